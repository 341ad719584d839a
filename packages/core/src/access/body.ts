// Collections a REST request body names besides the one it is addressed to, read from the parsed
// JSON value with serde's model (body-object-reader.ts): map and sequence forms, in the order the
// cluster checks them (`check_access` implementations in `lib/storage/src/rbac/ops_checks.rs`):
// - recommend, discover: `lookup_from`
// - query: `lookup_from`, then each `prefetch` depth-first (its `lookup_from`, then its prefetches)
// - groups: the source request's lookups, then `with_lookup`
// - batches: each request in order.
// A lookup only needs the collection to be in the key (any mode), and only collection-scoped keys
// are checked: a global key reads every collection anyway. gRPC messages: grpc-body.ts.
import { readBodyObject } from './body-object-reader.js';
import type { BodyLookups } from './requirements.js';

/** Result of reading a body: the named collections in check order. */
export interface BodyCollections {
  readonly collections: string[];
  /**
   * REST only: why the body cannot be one the cluster accepts at a position that names a
   * collection (serde's message, e.g. ``missing field `collection` ``); the cluster answers 400.
   */
  readonly invalid?: string;
}

/**
 * Lists the collections a parsed REST body names for lookups, in the order the cluster checks
 * them. Bodies are read as serde reads them: every struct in map or sequence form
 * (`"lookup_from": ["other"]`, `"with_lookup": ["other", true, true]`, positional prefetches,
 * `[[...]]` batches). A value serde would refuse at a position that names a collection sets
 * `invalid` (fail closed: the caller refuses the request). A parsed value cannot show duplicate
 * keys; to check those, scan the original bytes with `scanBody`. Never throws.
 */
export function collectionsInBody(kind: BodyLookups, body: unknown): BodyCollections {
  const read = readBodyObject(kind, body);
  return read.invalid === undefined
    ? { collections: read.collections }
    : { collections: read.collections, invalid: read.invalid };
}
