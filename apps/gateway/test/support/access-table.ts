// Turns the cluster's own access table (spec/ at the repository root) into concrete requests and keys.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';

export const COLLECTION = 'test_collection';
export const ADMIN_KEY = 'conformance-admin-key';
export const READ_ONLY_KEY = 'conformance-read-only-key';

interface Action {
  rest: string | null;
  global_r: boolean | null;
  coll_r: boolean | null;
  coll_rw: boolean | null;
  coll_prw: boolean | null;
  global_m: boolean | null;
  everything: boolean | null;
}

const tablePath = fileURLToPath(
  new URL('../../../../spec/qdrant-access-table.json', import.meta.url),
);
const table = JSON.parse(readFileSync(tablePath, 'utf8')) as { actions: Record<string, Action> };

const SAMPLE_PARAMS: Record<string, string> = {
  collection_name: COLLECTION,
  field_name: 'city',
  shard_id: '0',
  peer_id: '1',
  snapshot_name: 'snap.snapshot',
  id: '1',
  vector_name: 'image',
};

export interface ConformanceCase {
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly column: 'global_r' | 'coll_r' | 'coll_rw' | 'coll_prw' | 'global_m' | 'everything';
  readonly keyName: string;
  readonly key: string;
  readonly allowed: boolean;
}

/** One case per (REST action, key) with a defined expectation. */
export async function conformanceCases(): Promise<ConformanceCase[]> {
  const keys: Record<ConformanceCase['column'], Array<[string, string]>> = {
    global_r: [
      ['jwt r', await signDatabaseKey(ADMIN_KEY, claimsFor({ access: 'r' }))],
      ['read-only key', READ_ONLY_KEY],
    ],
    coll_r: [
      [
        'jwt coll r',
        await signDatabaseKey(ADMIN_KEY, claimsFor({ access: { [COLLECTION]: 'r' } })),
      ],
    ],
    coll_rw: [
      [
        'jwt coll rw',
        await signDatabaseKey(ADMIN_KEY, claimsFor({ access: { [COLLECTION]: 'rw' } })),
      ],
    ],
    coll_prw: [
      [
        'jwt coll prw',
        await signDatabaseKey(ADMIN_KEY, claimsFor({ access: { [COLLECTION]: 'prw' } })),
      ],
    ],
    global_m: [
      ['jwt m', await signDatabaseKey(ADMIN_KEY, claimsFor({ access: 'm' }))],
      ['api key', ADMIN_KEY],
    ],
    everything: [['invalid key', 'definitely-not-a-key']],
  };
  const cases: ConformanceCase[] = [];
  for (const [action, row] of Object.entries(table.actions)) {
    if (!row.rest) continue;
    const [method, template] = row.rest.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');
    for (const column of Object.keys(keys) as ConformanceCase['column'][]) {
      const expected = row[column];
      // `everything: null` means "not exempt": an invalid key must be refused.
      const allowed = column === 'everything' ? expected === true : expected;
      if (allowed === null) continue;
      for (const [keyName, key] of keys[column]) {
        cases.push({ action, method, path, column, keyName, key, allowed });
      }
    }
  }
  return cases;
}

/** A body the route accepts well enough for the decision (JSON object for writes). */
export function sampleBody(method: string): string | undefined {
  return method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}';
}
