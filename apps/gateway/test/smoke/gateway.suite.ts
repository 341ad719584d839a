// Runtime-neutral smoke suite: the real gateway app (fetch forwarder) in front of a real
// recording upstream on loopback, whose URL arrives as ctx.env.UPSTREAM_URL. Runs under
// vitest and inside workerd, Deno and Bun through @qdrant-kit/runtime-harness.
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type SuiteContext,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import { createGateway, gatewayConfig } from '../../src/index.js';
import { createWorkerHandler } from '../../src/worker.js';

const ADMIN = 'smoke-admin-key';
const READ_ONLY = 'smoke-read-only-key';
const UPSTREAM_KEY = 'smoke-upstream-key';

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
}

function upstreamUrl(ctx: SuiteContext): string {
  const url = ctx.env.UPSTREAM_URL;
  assert(url, 'UPSTREAM_URL missing from ctx.env');
  return url;
}

function gateway(ctx: SuiteContext, extra: Partial<Parameters<typeof gatewayConfig>[0]> = {}) {
  return createGateway(
    gatewayConfig({
      upstreamUrl: upstreamUrl(ctx),
      apiKey: ADMIN,
      readOnlyApiKey: READ_ONLY,
      jwtRbac: true,
      logRequests: false,
      upstreamTimeoutMs: 2000,
      ...extra,
    }),
  );
}

function marker(): string {
  return `m${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

async function recorded(ctx: SuiteContext, mark: string): Promise<Recorded[]> {
  const response = await fetch(`${upstreamUrl(ctx)}/__recorded?marker=${mark}`);
  return (await response.json()) as Recorded[];
}

function url(path: string, mark: string): string {
  return `http://gateway.test${path}${path.includes('?') ? '&' : '?'}marker=${mark}`;
}

const cases: TestCase[] = [
  test('no key: 401 plain text, upstream never reached', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/collections', mark));
    assertEqual(response.status, 401);
    assertEqual(await response.text(), 'Must provide an API key or an Authorization bearer token');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('wrong key: 401 Invalid API key or JWT', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/collections', mark), {
      headers: { 'api-key': 'nope' },
    });
    assertEqual(response.status, 401);
    assertEqual(await response.text(), 'Invalid API key or JWT');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('admin key: forwarded with the authorized path and the caller key', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/collections//docs/', mark), {
      headers: { 'api-key': ADMIN },
    });
    assertEqual(response.status, 200);
    const [hit] = await recorded(ctx, mark);
    assert(hit, 'request did not reach the upstream');
    assertEqual(hit.url, `/collections/docs?marker=${mark}`);
    assertEqual(hit.headers['api-key'], ADMIN);
  }),

  test('collection JWT: search on its collection passes, another collection is 403 JSON', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
    const app = gateway(ctx);
    const allowedMark = marker();
    const allowed = await app.request(url('/collections/docs/points/search', allowedMark), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vector: [0.1, 0.2], limit: 3 }),
    });
    assertEqual(allowed.status, 200);
    const [hit] = await recorded(ctx, allowedMark);
    assert(hit, 'allowed search did not reach the upstream');
    assertEqual(hit.url, `/collections/docs/points/search?marker=${allowedMark}`);
    assertEqual(hit.method, 'POST');

    const deniedMark = marker();
    const denied = await app.request(url('/collections/other/points/search', deniedMark), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vector: [0.1, 0.2], limit: 3 }),
    });
    assertEqual(denied.status, 403);
    const body = (await denied.json()) as { status: { error: string }; time: number };
    assertEqual(body.status.error, 'Forbidden: Access to collection other is required');
    assertEqual(typeof body.time, 'number');
    assertEqual((await recorded(ctx, deniedMark)).length, 0);
  }),

  test('read-only key cannot write', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/collections/docs/points', mark), {
      method: 'PUT',
      headers: { 'api-key': READ_ONLY, 'content-type': 'application/json' },
      body: JSON.stringify({ points: [] }),
    });
    assertEqual(response.status, 403);
    const body = (await response.json()) as { status: { error: string } };
    assertEqual(body.status.error, 'Forbidden: Global manage access is required');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('bad signature: 403 InvalidSignature; expired: 403 ExpiredSignature', async (ctx) => {
    const forged = await signDatabaseKey('not-the-admin-key', claimsFor({ access: 'm' }));
    const app = gateway(ctx);
    const bad = await app.request(url('/collections', marker()), {
      headers: { 'api-key': forged },
    });
    assertEqual(bad.status, 403);
    assertEqual(await bad.text(), 'InvalidSignature');
    const expired = await signDatabaseKey(ADMIN, {
      access: 'm',
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const old = await app.request(url('/collections', marker()), {
      headers: { 'api-key': expired },
    });
    assertEqual(old.status, 403);
    assertEqual(await old.text(), 'ExpiredSignature');
  }),

  test('lookup_from another collection needs access to it (body read)', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
    const mark = marker();
    const response = await gateway(ctx).request(url('/collections/docs/points/query', mark), {
      method: 'POST',
      headers: { 'api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 1, lookup_from: { collection: 'secret' } }),
    });
    assertEqual(response.status, 403);
    const body = (await response.json()) as { status: { error: string } };
    assertEqual(body.status.error, 'Forbidden: Access to collection secret is required');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('buffered query body arrives intact upstream', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
    const mark = marker();
    const payload = JSON.stringify({ query: [0.5, 0.25], limit: 2 });
    const response = await gateway(ctx).request(url('/collections/docs/points/query', mark), {
      method: 'POST',
      headers: { 'api-key': token, 'content-type': 'application/json' },
      body: payload,
    });
    assertEqual(response.status, 200);
    const [hit] = await recorded(ctx, mark);
    assert(hit, 'query did not reach the upstream');
    assertEqual(hit.bodyBytes, payload.length);
  }),

  test('exempt /healthz passes even with an invalid key', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/healthz', mark), {
      headers: { 'api-key': 'garbage' },
    });
    assertEqual(response.status, 200);
    assertEqual((await recorded(ctx, mark)).length, 1);
  }),

  test('unknown path with a bad key is 401, never forwarded', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx).request(url('/dashboard%2f..%2fcollections', mark), {
      headers: { 'api-key': 'garbage' },
    });
    assertEqual(response.status, 401);
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('QDRANT_UPSTREAM_API_KEY replaces the caller key upstream', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'rw' } }));
    const mark = marker();
    const response = await gateway(ctx, { upstreamApiKey: UPSTREAM_KEY }).request(
      url('/collections/docs/points/count', mark),
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    assertEqual(response.status, 200);
    const [hit] = await recorded(ctx, mark);
    assert(hit, 'request did not reach the upstream');
    assertEqual(hit.headers['api-key'], UPSTREAM_KEY);
    assertEqual(hit.headers.authorization, undefined);
  }),

  test('CORS preflight answered before auth', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx, { corsOrigins: ['https://app.example'] }).request(
      url('/collections/docs/points/search', mark),
      {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'api-key, content-type',
        },
      },
    );
    assertEqual(response.status, 204);
    assertEqual(response.headers.get('access-control-allow-origin'), 'https://app.example');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),

  test('no key configured: everything forwarded', async (ctx) => {
    const mark = marker();
    const response = await gateway(ctx, { apiKey: undefined, readOnlyApiKey: undefined }).request(
      url('/collections/docs', mark),
      { method: 'DELETE' },
    );
    assertEqual(response.status, 200);
    const hits = await recorded(ctx, mark);
    assertDeepEqual(
      hits.map((h) => [h.method, h.url]),
      [['DELETE', `/collections/docs?marker=${mark}`]],
    );
  }),

  test('dead upstream: 502 in the JSON error shape', async (ctx) => {
    const dead = ctx.env.DEAD_UPSTREAM_URL;
    assert(dead, 'DEAD_UPSTREAM_URL missing');
    const response = await gateway(ctx, { upstreamUrl: dead }).request(
      url('/collections', marker()),
      {
        headers: { 'api-key': ADMIN },
      },
    );
    assertEqual(response.status, 502);
    const body = (await response.json()) as { status: { error: string }; time: number };
    assert(body.status.error.startsWith('Bad Gateway'), body.status.error);
  }),

  test('slow upstream: 504 after the configured timeout', async (ctx) => {
    const response = await gateway(ctx, { upstreamTimeoutMs: 200 }).request(
      url('/collections', marker()),
      { headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'slow:3000' } },
    );
    assertEqual(response.status, 504);
    const body = (await response.json()) as { status: { error: string } };
    assert(body.status.error.startsWith('Gateway Timeout'), body.status.error);
  }),

  test('Workers handler: configured from bindings; bad config is a 503 naming the variable', async (ctx) => {
    const handler = createWorkerHandler();
    const env = {
      QDRANT_UPSTREAM_URL: upstreamUrl(ctx),
      QDRANT__SERVICE__API_KEY: ADMIN,
      QDRANT__SERVICE__JWT_RBAC: 'true',
      QDRANT_GATEWAY_LOG: 'false',
      SOME_KV: { binding: true },
    };
    const mark = marker();
    const ok = await handler.fetch(
      new Request(url('/collections', mark), { headers: { 'api-key': ADMIN } }),
      env,
    );
    assertEqual(ok.status, 200);
    assertEqual((await recorded(ctx, mark)).length, 1);
    const broken = createWorkerHandler();
    const response = await broken.fetch(new Request(url('/collections', marker())), {
      QDRANT_UPSTREAM_URL: 'nope',
      QDRANT__SERVICE__API_KEY: 'worker-secret-value',
    });
    assertEqual(response.status, 503);
    const text = await response.text();
    assert(text.includes('QDRANT_UPSTREAM_URL'), text);
    assert(!text.includes('worker-secret-value'), 'secret leaked');
  }),
];

export default cases;
