/**
 * The access a verified key grants, independent of how the key was presented.
 *
 * Mirrors the `access` claim of a Qdrant JWT: a global mode (`r` read, `m` manage) or a
 * list of per-collection grants. A missing `access` claim and the admin keys both mean
 * global manage.
 */
export type Access = GlobalAccess | CollectionsAccess;

/** Global access: `r` reads everything, `m` does everything. */
export interface GlobalAccess {
  readonly kind: 'global';
  readonly mode: GlobalAccessMode;
}

/** Per-collection access: only the named collections, each with its own mode. */
export interface CollectionsAccess {
  readonly kind: 'collections';
  readonly collections: readonly CollectionGrant[];
}

/** `r` = read everything, `m` = manage everything. */
export type GlobalAccessMode = 'r' | 'm';

/**
 * `r` = read, `rw` = read and write, `prw` = read and write points only
 * (no snapshots, payload indexes, named vectors or other collection "extras").
 */
export type CollectionAccessMode = 'r' | 'rw' | 'prw';

/** One collection and the mode granted on it. Names are matched literally (no alias lookup). */
export interface CollectionGrant {
  readonly collection: string;
  readonly access: CollectionAccessMode;
}

/** Global manage access: what the admin keys, an unconfigured cluster and a JWT without `access` get. */
export const GLOBAL_MANAGE: GlobalAccess = Object.freeze({ kind: 'global', mode: 'm' });

/** Global read access: what the read-only key and `{"access":"r"}` get. */
export const GLOBAL_READ: GlobalAccess = Object.freeze({ kind: 'global', mode: 'r' });
