// Shared reading of the upstream access table (the repository's spec/, see spec/README.md;
// a static import so the runtime bundles carry it).
import type { Access } from '@qdrant-kit/core';
import table from '../../../../spec/qdrant-access-table.json';

/** A column of the access table, i.e. a kind of key. */
export type Column = 'global_r' | 'coll_r' | 'coll_rw' | 'coll_prw' | 'global_m';

export interface TableRow {
  readonly action: string;
  readonly rest: string | null;
  readonly grpc: string | null;
  readonly global_r: boolean;
  readonly coll_r: boolean;
  readonly coll_rw: boolean;
  readonly coll_prw: boolean | null;
  readonly global_m: boolean;
  readonly everything: boolean | null;
}

export const rows: readonly TableRow[] = Object.entries(
  (table as { actions: Record<string, Omit<TableRow, 'action'>> }).actions,
).map(([action, row]) => ({ action, ...row }));

/** The collection every table request addresses. */
export const COLLECTION = 'test_collection';

const SAMPLE_PARAMS: Record<string, string> = {
  collection_name: COLLECTION,
  id: '1',
  shard_id: '0',
  shard: '0',
  snapshot_name: 'test.snapshot',
  snapshot: 'test.snapshot',
  field_name: 'field',
  vector_name: 'vec',
  peer_id: '1',
  key: 'k',
};

/** `GET /collections/{collection_name}` -> `{ method: 'GET', path: '/collections/test_collection' }`. */
export function concreteRequest(rest: string): { method: string; path: string; pattern: string } {
  const [method, pattern] = rest.split(' ') as [string, string];
  const path = pattern.replace(/\{([^}]+)\}/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? 'x');
  return { method, path, pattern };
}

/**
 * Actions touching collection "extras" (snapshots, payload indexes, named vectors, collection
 * cluster info) per docs/qdrant-auth-semantics.md §5: a `prw` grant may not call them.
 */
export function needsExtras(action: string): boolean {
  return /snapshot|index|vector_name|cluster_info/.test(action);
}

/** The table's expectation for a column; `coll_prw: null` derived from the rules. */
export function expected(row: TableRow, column: Column): boolean {
  if (column !== 'coll_prw') return row[column];
  if (row.coll_prw !== null) return row.coll_prw;
  return row.coll_rw && !needsExtras(row.action);
}

export function accessFor(column: Column, collection = COLLECTION): Access {
  switch (column) {
    case 'global_r':
      return { kind: 'global', mode: 'r' };
    case 'global_m':
      return { kind: 'global', mode: 'm' };
    case 'coll_r':
      return { kind: 'collections', collections: [{ collection, access: 'r' }] };
    case 'coll_rw':
      return { kind: 'collections', collections: [{ collection, access: 'rw' }] };
    case 'coll_prw':
      return { kind: 'collections', collections: [{ collection, access: 'prw' }] };
  }
}

export const COLUMNS: readonly Column[] = ['global_r', 'coll_r', 'coll_rw', 'coll_prw', 'global_m'];

/** "allowed" as upstream's test counts it: anything but 401/403. */
export function isAllowed(result: { ok: boolean; status?: number }): boolean {
  return result.ok || (result.status !== 403 && result.status !== 401);
}

/** Parses qdrant-rest-routes.txt content (handed in by the host through `ctx.env`). */
export function parseRouteList(
  text: string | undefined,
): Array<{ method: string; pattern: string }> {
  if (!text) throw new Error('QK_REST_ROUTES (content of qdrant-rest-routes.txt) was not provided');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [method, pattern] = line.split(/\s+/) as [string, string];
      return { method, pattern };
    });
}
