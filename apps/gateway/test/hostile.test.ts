// Hostile keys, tokens and paths (the cluster's rules from qdrant-auth-semantics.md, mirroring
// @qdrant-kit/core's hostile-input cases) sent through the real app: in-process and over HTTP.
// Each case states the exact status and body, and whether (and with which path) the request
// may reach the upstream.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGatewayServer } from '../src/node.js';
import { inProcessGateway, nodeGateway, testConfig } from './support/gateways.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

const SECRET = 'hostile-admin-key-0123';
const NOW = Math.floor(Date.now() / 1000);

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
/** A token from raw header and payload JSON text, HMAC-signed with `secret` and `hash`. */
async function craft(header: string, payload: string, secret = SECRET, hash = 'SHA-256') {
  const input = `${b64url(new TextEncoder().encode(header))}.${b64url(new TextEncoder().encode(payload))}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)),
  );
  return `${input}.${b64url(signature)}`;
}
const HS256 = '{"alg":"HS256","typ":"JWT"}';

interface HostileCase {
  name: string;
  method?: string;
  path: string;
  headers: () => Promise<Record<string, string>> | Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  status: number;
  /** Exact body text, or a JSON `status.error` for JSON bodies. */
  text?: string;
  error?: string;
  /** Path the upstream must receive; `null` = must not be reached. */
  upstream: string | null;
}

const jwt = (claims: Record<string, unknown>) => () =>
  signDatabaseKey(SECRET, claims as never).then((k) => ({ 'api-key': k }));
const withHeaders =
  (base: HostileCase['headers'], extra: Record<string, string>): HostileCase['headers'] =>
  async () => ({ ...(await base()), ...extra });
const bytes = (buffer: Buffer) => new Uint8Array(buffer) as Uint8Array<ArrayBuffer>;
const LOOKUP_SECRET = '{"query":[1,2],"lookup_from":{"collection":"secret"}}';
const raw = (header: string, payload: string, secret?: string, hash?: string) => async () => ({
  'api-key': await craft(header, payload, secret, hash),
});

const CASES: HostileCase[] = [
  {
    name: 'no key',
    path: '/collections',
    headers: () => ({}),
    status: 401,
    text: 'Must provide an API key or an Authorization bearer token',
    upstream: null,
  },
  {
    name: 'empty api-key wins over a valid Bearer',
    path: '/collections',
    headers: () => ({ 'api-key': '', authorization: `Bearer ${SECRET}` }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'lower-case bearer counts as absent',
    path: '/collections',
    headers: () => ({ authorization: `bearer ${SECRET}` }),
    status: 401,
    text: 'Must provide an API key or an Authorization bearer token',
    upstream: null,
  },
  {
    name: 'Bearer with two spaces',
    path: '/collections',
    headers: () => ({ authorization: `Bearer  ${SECRET}` }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'valid Bearer admin key',
    path: '/collections',
    headers: () => ({ authorization: `Bearer ${SECRET}` }),
    status: 200,
    upstream: '/collections',
  },
  {
    name: 'non-ASCII api-key counts as absent',
    path: '/collections',
    headers: () => ({ 'api-key': 'cl\u00e9' }),
    status: 401,
    text: 'Must provide an API key or an Authorization bearer token',
    upstream: null,
  },
  {
    name: 'not a JWT',
    path: '/collections',
    headers: () => ({ 'api-key': 'a.b.c' }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'alg none',
    path: '/collections',
    headers: async () => ({
      'api-key': `${b64url(new TextEncoder().encode('{"alg":"none"}'))}.${b64url(new TextEncoder().encode('{}'))}.`,
    }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'alg HS384',
    path: '/collections',
    headers: raw('{"alg":"HS384"}', '{}', SECRET, 'SHA-384'),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'HS512 signature claiming HS256',
    path: '/collections',
    headers: raw(HS256, '{}', SECRET, 'SHA-512'),
    status: 403,
    text: 'InvalidSignature',
    upstream: null,
  },
  {
    name: 'signed with another secret',
    path: '/collections',
    headers: raw(HS256, '{"access":"m"}', 'other-secret'),
    status: 403,
    text: 'InvalidSignature',
    upstream: null,
  },
  {
    name: 'expired beyond leeway',
    path: '/collections',
    headers: jwt({ exp: NOW - 120 }),
    status: 403,
    text: 'ExpiredSignature',
    upstream: null,
  },
  {
    name: 'expired within the 30 s leeway',
    path: '/collections',
    headers: jwt({ exp: NOW - 5 }),
    status: 200,
    upstream: '/collections',
  },
  {
    name: 'exp as a float',
    path: '/collections',
    headers: raw(HS256, `{"exp":${NOW + 100}.5}`),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'exp negative',
    path: '/collections',
    headers: raw(HS256, '{"exp":-1}'),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'exp as a string',
    path: '/collections',
    headers: raw(HS256, `{"exp":"${NOW + 100}"}`),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'malformed claims and expired: claims error first',
    path: '/collections',
    headers: raw(HS256, '{"exp":1,"access":"rw"}'),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'global rw is not a mode',
    path: '/collections',
    headers: raw(HS256, '{"access":"rw"}'),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'duplicate collection',
    path: '/collections/docs',
    headers: raw(
      HS256,
      '{"access":[{"collection":"docs","access":"r"},{"collection":"docs","access":"rw"}]}',
    ),
    status: 401,
    text: 'access[1].collection: Collection name should be unique',
    upstream: null,
  },
  {
    name: 'payload claim',
    path: '/collections/docs',
    headers: raw(HS256, '{"access":[{"collection":"docs","access":"r","payload":{"a":1}}]}'),
    status: 401,
    text: "access[0].payload: The 'payload' constraint is deprecated and should not be used",
    upstream: null,
  },
  {
    name: 'empty access list grants nothing',
    path: '/collections/docs',
    headers: jwt({ access: [] }),
    status: 403,
    error: 'Forbidden: Access to collection docs is required',
    upstream: null,
  },
  {
    name: 'unknown claims ignored',
    path: '/collections/docs',
    headers: raw(HS256, '{"access":"r","iss":"x","nbf":99999999999,"foo":[1]}'),
    status: 200,
    upstream: '/collections/docs',
  },
  {
    name: 'dashboard traversal with a bad key: 401, not exempt',
    path: '/dashboard%2f..%2fcollections',
    headers: () => ({ 'api-key': 'nope' }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'unknown route with a collection token: 404',
    path: '/dashboard%2f..%2fcollections',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 404,
    upstream: null,
  },
  {
    name: 'exempt /healthz/ with a bad key, forwarded normalised',
    path: '//healthz//',
    headers: () => ({ 'api-key': 'nope' }),
    status: 200,
    upstream: '/healthz',
  },
  {
    name: '/metrics is not exempt',
    path: '/metrics',
    headers: () => ({ 'api-key': 'nope' }),
    status: 401,
    text: 'Invalid API key or JWT',
    upstream: null,
  },
  {
    name: 'percent-encoded collection name is decoded for the decision, forwarded as sent',
    path: '/collections/%64ocs',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 200,
    upstream: '/collections/%64ocs',
  },
  {
    // The cluster decodes the path twice (route, then parameter): the snapshot is named `..`.
    // Forwarding a decoded path would let a URL parser resolve it to DELETE /collections/docs.
    name: 'double-encoded dot segments reach the upstream exactly as authorized',
    method: 'DELETE',
    path: '/collections/docs/snapshots/%%32%65%%32%65',
    headers: jwt({ access: [{ collection: 'docs', access: 'rw' }] }),
    status: 200,
    upstream: '/collections/docs/snapshots/%%32%65%%32%65',
  },
  {
    name: 'repeated and trailing slashes are merged upstream',
    path: '//collections///docs/',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 200,
    upstream: '/collections/docs',
  },
  {
    name: 'gzip body naming another collection is read and refused',
    method: 'POST',
    path: '/collections/docs/points/query',
    body: bytes(gzipSync(LOOKUP_SECRET)),
    headers: withHeaders(jwt({ access: [{ collection: 'docs', access: 'r' }] }), {
      'content-encoding': 'gzip',
      'content-type': 'application/json',
    }),
    status: 403,
    error: 'Forbidden: Access to collection secret is required',
    upstream: null,
  },
  {
    name: 'gzip body within the grant is forwarded',
    method: 'POST',
    path: '/collections/docs/points/query',
    body: bytes(gzipSync('{"query":[1,2],"lookup_from":{"collection":"docs"}}')),
    headers: withHeaders(jwt({ access: [{ collection: 'docs', access: 'r' }] }), {
      'content-encoding': 'gzip',
      'content-type': 'application/json',
    }),
    status: 200,
    upstream: '/collections/docs/points/query',
  },
  {
    name: 'a body encoding the gateway cannot read is refused on routes that need the body',
    method: 'POST',
    path: '/collections/docs/points/query',
    body: bytes(brotliCompressSync(LOOKUP_SECRET)),
    headers: withHeaders(jwt({ access: [{ collection: 'docs', access: 'r' }] }), {
      'content-encoding': 'br',
      'content-type': 'application/json',
    }),
    status: 415,
    error:
      'Unsupported Content-Encoding: the gateway reads gzip, deflate or identity bodies on routes whose body names collections',
    upstream: null,
  },
  {
    name: 'encoded slash stays inside the collection name (denied)',
    path: '/collections/docs%2F..%2Fsecret',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 403,
    error: 'Forbidden: Access to collection docs/../secret is required',
    upstream: null,
  },
  {
    name: 'encoded slash stays inside the collection name (allowed, kept encoded)',
    path: '/collections/a%2Fb',
    headers: jwt({ access: [{ collection: 'a/b', access: 'r' }] }),
    status: 200,
    upstream: '/collections/a%2Fb',
  },
  {
    name: 'space in a collection name is re-encoded upstream',
    method: 'POST',
    path: '/collections/my%20docs/points/search',
    body: '{"vector":[1],"limit":1}',
    headers: jwt({ access: [{ collection: 'my docs', access: 'r' }] }),
    status: 200,
    upstream: '/collections/my%20docs/points/search',
  },
  {
    name: 'nested prefetch lookup into another collection',
    method: 'POST',
    path: '/collections/docs/points/query',
    body: '{"prefetch":[{"prefetch":[{"query":1,"lookup_from":{"collection":"secret"}}]}],"query":1}',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 403,
    error: 'Forbidden: Access to collection secret is required',
    upstream: null,
  },
  {
    name: 'query body that is not JSON is refused (the collections it names cannot be checked)',
    method: 'POST',
    path: '/collections/docs/points/query',
    body: '{"query":',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 400,
    // serde_json's own message, as the cluster's `Format error in JSON body` 400 carries it.
    error: 'Format error in JSON body: EOF while parsing an object at line 1 column 9',
    upstream: null,
  },
  {
    name: 'write with a read grant',
    method: 'PUT',
    path: '/collections/docs/points',
    body: '{"points":[]}',
    headers: jwt({ access: [{ collection: 'docs', access: 'r' }] }),
    status: 403,
    error: 'Forbidden: Write access to collection docs is required',
    upstream: null,
  },
  {
    name: 'prw cannot touch extras',
    method: 'PUT',
    path: '/collections/docs/index',
    body: '{"field_name":"a"}',
    headers: jwt({ access: [{ collection: 'docs', access: 'prw' }] }),
    status: 403,
    error: 'Forbidden: Only points access is allowed for collection docs',
    upstream: null,
  },
  {
    name: 'collection token on a global operation',
    path: '/cluster',
    headers: jwt({ access: [{ collection: 'docs', access: 'rw' }] }),
    status: 403,
    error: 'Forbidden: Global access is required',
    upstream: null,
  },
  {
    name: 'snapshot upload refused in plain text before the body is read',
    method: 'POST',
    path: '/collections/docs/snapshots/upload',
    body: 'x'.repeat(1000),
    headers: jwt({ access: [{ collection: 'docs', access: 'rw' }] }),
    status: 403,
    text: 'Forbidden: Global access is required',
    upstream: null,
  },
];

let upstream: RecordingUpstream;
let node: NodeGatewayServer;
let app: ReturnType<typeof inProcessGateway>['app'];
let n = 0;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  // One JWT secret: with two, a well-signed token with bad claims reports the other secret's
  // InvalidSignature (the cluster skips a parser that found no valid JWT); core covers that.
  const config = testConfig(upstream.url, { apiKey: SECRET });
  app = inProcessGateway(config).app;
  node = await nodeGateway(config);
});
afterAll(async () => {
  await node?.close();
  await upstream?.close();
});

async function check(
  c: HostileCase,
  send: (target: string, init: RequestInit) => Promise<Response>,
) {
  const mark = `hostile${++n}`;
  const target = `${c.path}?marker=${mark}`;
  const response = await send(target, {
    method: c.method ?? 'GET',
    headers: await c.headers(),
    body: c.body,
  });
  const text = await response.text();
  expect(response.status, text).toBe(c.status);
  if (c.text !== undefined) expect(text).toBe(c.text);
  if (c.error !== undefined) expect(JSON.parse(text).status.error).toBe(c.error);
  const arrived = upstream.find(mark).map((r) => r.url);
  expect(arrived).toEqual(c.upstream === null ? [] : [`${c.upstream}?marker=${mark}`]);
}

describe('hostile input through app.request', () => {
  for (const c of CASES)
    it(c.name, () => check(c, async (t, init) => app.request(`http://gateway.test${t}`, init)));
});

describe('hostile input through a Node server', () => {
  for (const c of CASES) it(c.name, () => check(c, (t, init) => fetch(`${node.url}${t}`, init)));
  it('huge token: answered (431 from Node, 401 in-process), never forwarded', async () => {
    const token = await signDatabaseKey(
      SECRET,
      claimsFor({ access: 'm', subject: 'x'.repeat(100_000) }),
    );
    const overHttp = await fetch(`${node.url}/collections?marker=huge`, {
      headers: { 'api-key': token },
    });
    expect(overHttp.status).toBe(431);
    const inProcess = await app.request('http://gateway.test/collections?marker=huge', {
      headers: { 'api-key': token },
    });
    expect(inProcess.status).toBeLessThan(500);
    expect(upstream.find('marker=huge').length).toBe(inProcess.status === 200 ? 1 : 0);
  });
});
