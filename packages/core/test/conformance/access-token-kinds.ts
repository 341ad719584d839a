// The whole decision a gateway makes, per token kind: exemption, then key verification, then
// authorization. Every row of upstream's access table, for the keys its test suite uses.
import {
  authorizeGrpc,
  authorizeRequest,
  isExemptGrpcMethod,
  isExemptPath,
} from '@qdrant-kit/core';
import { assert, assertEqual, type TestCase, test } from '@qdrant-kit/runtime-harness/suite';
import { createKeyVerifier, signDatabaseKey } from './hs256-fixtures.js';
import {
  COLLECTION,
  type Column,
  concreteRequest,
  expected,
  rows,
  type TableRow,
} from './access-fixtures.js';

const API_KEY = 'conformance-api-key';
const ALT_KEY = 'conformance-alt-api-key';
const READ_ONLY_KEY = 'conformance-read-only-key';

type TokenKind =
  | 'jwt global r'
  | 'jwt global m'
  | 'jwt coll r'
  | 'jwt coll rw'
  | 'jwt coll prw'
  | 'jwt signed with alt key'
  | 'api key'
  | 'alt key'
  | 'read-only key'
  | 'invalid'
  | 'none';

/** Which table column decides each kind; `null` = only exempt routes pass. */
const COLUMN_OF: Record<TokenKind, Column | null> = {
  'jwt global r': 'global_r',
  'jwt global m': 'global_m',
  'jwt coll r': 'coll_r',
  'jwt coll rw': 'coll_rw',
  'jwt coll prw': 'coll_prw',
  'jwt signed with alt key': 'global_m',
  'api key': 'global_m',
  'alt key': 'global_m',
  'read-only key': 'global_r',
  invalid: null,
  none: null,
};

async function tokens(): Promise<Record<TokenKind, string | undefined>> {
  const grant = (access: 'r' | 'rw' | 'prw') => [{ collection: COLLECTION, access }];
  return {
    'jwt global r': await signDatabaseKey(API_KEY, { access: 'r' }),
    'jwt global m': await signDatabaseKey(API_KEY, { access: 'm' }),
    'jwt coll r': await signDatabaseKey(API_KEY, { access: grant('r') }),
    'jwt coll rw': await signDatabaseKey(API_KEY, { access: grant('rw') }),
    'jwt coll prw': await signDatabaseKey(API_KEY, { access: grant('prw') }),
    'jwt signed with alt key': await signDatabaseKey(ALT_KEY, {}),
    'api key': API_KEY,
    'alt key': ALT_KEY,
    'read-only key': READ_ONLY_KEY,
    invalid: 'not-a-valid-key',
    none: undefined,
  };
}

const verifier = createKeyVerifier({
  apiKey: API_KEY,
  altApiKey: ALT_KEY,
  readOnlyApiKey: READ_ONLY_KEY,
  jwtRbac: true,
  cache: false,
});

/** The gateway's pipeline for one request; returns whether the cluster would let it through. */
async function allowed(
  row: TableRow,
  transport: 'rest' | 'grpc',
  key: string | undefined,
): Promise<{ allowed: boolean; detail: string }> {
  const headers = new Headers();
  if (key !== undefined) headers.set('api-key', key);
  if (transport === 'rest') {
    const { method, path } = concreteRequest(row.rest as string);
    if (isExemptPath(path)) return { allowed: true, detail: 'exempt' };
    const verified = await verifier.verify(headers);
    if (!verified.ok) return { allowed: false, detail: `${verified.status} ${verified.message}` };
    const decision = authorizeRequest(verified.access, { method, path, body: {} });
    return { allowed: decision.ok, detail: JSON.stringify(decision.ok ? 'ok' : decision) };
  }
  const fullMethod = `/${row.grpc as string}`;
  if (isExemptGrpcMethod(fullMethod)) return { allowed: true, detail: 'exempt' };
  const verified = await verifier.verify(headers);
  if (!verified.ok) return { allowed: false, detail: `${verified.status} ${verified.message}` };
  const decision = authorizeGrpc(verified.access, fullMethod, { collection_name: COLLECTION });
  return { allowed: decision.ok, detail: JSON.stringify(decision.ok ? 'ok' : decision) };
}

const cases: TestCase[] = [
  test('every access-table row, REST and gRPC, for every token kind', async () => {
    const byKind = await tokens();
    let decided = 0;
    for (const row of rows) {
      for (const transport of ['rest', 'grpc'] as const) {
        if (!(transport === 'rest' ? row.rest : row.grpc)) continue;
        for (const [kind, key] of Object.entries(byKind) as Array<
          [TokenKind, string | undefined]
        >) {
          const column = COLUMN_OF[kind];
          const want = column === null ? row.everything === true : expected(row, column);
          const got = await allowed(row, transport, key);
          assertEqual(got.allowed, want, `${row.action} ${transport} with ${kind} (${got.detail})`);
          decided++;
        }
      }
    }
    assert(decided > 1500, `only ${decided} decisions`);
  }),
  test('invalid and missing keys get the cluster 401s on non-exempt routes', async () => {
    const missing = await verifier.verify(new Headers());
    assertEqual(missing.ok, false);
    if (!missing.ok) {
      assertEqual(missing.status, 401);
      assertEqual(missing.message, 'Must provide an API key or an Authorization bearer token');
    }
    const invalid = await verifier.verify(new Headers({ 'api-key': 'nope' }));
    assertEqual(invalid.ok, false);
    if (!invalid.ok) assertEqual(invalid.message, 'Invalid API key or JWT');
  }),
];

export default cases;
