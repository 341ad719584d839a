/**
 * What an operation asks of a key, in Qdrant's own terms (`AccessRequirements` in
 * `lib/storage/src/rbac`): `write`, `manage` and `extras` (snapshots, payload indexes,
 * named vectors, collection cluster info — everything a `prw` grant may not touch).
 */
export interface AccessRequirements {
  readonly write: boolean;
  readonly manage: boolean;
  readonly extras: boolean;
}

/**
 * How an operation is checked:
 * - `exempt`: the key is not checked at all (health endpoints);
 * - `any`: any accepted key passes; the server filters what it answers (list endpoints, telemetry);
 * - `global`: a global operation — collection-scoped keys never pass;
 * - `collection`: an operation on the collection named in the path (or request message).
 */
export type OperationScope = 'exempt' | 'any' | 'global' | 'collection';

/**
 * Which collections a request body can name besides the one in the path, by request shape.
 * Each value mirrors one upstream `check_access` implementation (`ops_checks.rs`).
 */
export type BodyLookups =
  | 'recommend'
  | 'recommend-batch'
  | 'recommend-groups'
  | 'discover'
  | 'discover-batch'
  | 'query'
  | 'query-batch'
  | 'query-groups'
  | 'search-groups';

const cache = new Map<number, AccessRequirements>();

/** Frozen, shared requirement objects so route tables stay cheap to build and compare. */
export function requirements(write = false, manage = false, extras = false): AccessRequirements {
  const key = (write ? 1 : 0) | (manage ? 2 : 0) | (extras ? 4 : 0);
  let found = cache.get(key);
  if (!found) {
    found = Object.freeze({ write, manage, extras });
    cache.set(key, found);
  }
  return found;
}

/** No requirement beyond read. */
export const READ = requirements();
/** Point writes. */
export const WRITE = requirements(true);
/** Collection extras, read side (snapshot listing/download, cluster info). */
export const EXTRAS = requirements(false, false, true);
/** Collection extras, write side (snapshots, payload indexes, named vectors). */
export const WRITE_EXTRAS = requirements(true, false, true);
/** Manage (implies write). */
export const MANAGE = requirements(false, true);
/** What `do_update_collection_cluster` and the WAL debug endpoints ask for. */
export const WRITE_MANAGE_EXTRAS = requirements(true, true, true);
