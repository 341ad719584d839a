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

// Shared requirement objects: the operations table refers to these six, and freezes them when
// it is built (`operations.ts`), before any can be handed out. Literals, so importing costs nothing.
/** No requirement beyond read. */
export const READ: AccessRequirements = { write: false, manage: false, extras: false };
/** Point writes. */
export const WRITE: AccessRequirements = { write: true, manage: false, extras: false };
/** Collection extras, read side (snapshot listing/download, cluster info). */
export const EXTRAS: AccessRequirements = { write: false, manage: false, extras: true };
/** Collection extras, write side (snapshots, payload indexes, named vectors). */
export const WRITE_EXTRAS: AccessRequirements = { write: true, manage: false, extras: true };
/** Manage (implies write). */
export const MANAGE: AccessRequirements = { write: false, manage: true, extras: false };
/** What `do_update_collection_cluster` and the WAL debug endpoints ask for. */
export const WRITE_MANAGE_EXTRAS: AccessRequirements = { write: true, manage: true, extras: true };
