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

/** The answer's bytes as its own headers describe them: throws when they disagree. */
async function labelledText(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const length = response.headers.get('content-length');
  if (length !== null) assertEqual(Number(length), bytes.byteLength, 'content-length');
  const coding = response.headers.get('content-encoding');
  if (coding === null || coding === 'identity') return new TextDecoder().decode(bytes);
  if (coding === 'br' || coding === 'zstd') {
    // No decoder on every runtime: at least the bytes must not be a plain body labelled so.
    const plain = new TextDecoder().decode(bytes);
    let parsed = true;
    try {
      JSON.parse(plain);
    } catch {
      parsed = false;
    }
    assert(!parsed, `a plain body labelled ${coding}`);
    if (coding === 'zstd') assertDeepEqual(Array.from(bytes.slice(0, 4)), [0x28, 0xb5, 0x2f, 0xfd]);
    return '';
  }
  assert(coding === 'gzip', `unexpected content-encoding ${coding}`);
  const decoded = new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
  );
  return decoded.text();
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

  test('key hiding: a collection key lists only its collections; telemetry is refused', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r', other: 'r' } }));
    const app = gateway(ctx, { upstreamApiKey: UPSTREAM_KEY });
    const mark = marker();
    const listed = await app.request(url('/collections', mark), {
      headers: { 'api-key': token, 'accept-encoding': 'gzip' },
    });
    assertEqual(listed.status, 200);
    const body = JSON.parse(await labelledText(listed)) as { result: unknown };
    assertDeepEqual(body.result, { collections: [{ name: 'docs' }, { name: 'other' }] });
    const [hit] = await recorded(ctx, mark);
    assert(hit, 'list did not reach the upstream');
    assertEqual(hit.headers['api-key'], UPSTREAM_KEY);
    assertEqual(hit.headers['accept-encoding'], 'identity');

    const telemetry = await app.request(url('/cluster/telemetry', marker()), {
      headers: { 'api-key': token },
    });
    const cluster = JSON.parse(await telemetry.text()) as { result: Record<string, unknown> };
    assertDeepEqual(Object.keys(cluster.result.collections as object), ['docs', 'other']);
    assertEqual(cluster.result.cluster, undefined);

    const refusedMark = marker();
    const refused = await app.request(url('/telemetry', refusedMark), {
      headers: { 'api-key': token },
    });
    assertEqual(refused.status, 403);
    const error = (await refused.json()) as { status: { error: string } };
    assert(
      error.status.error.startsWith('Forbidden: Global access is required'),
      error.status.error,
    );
    assertEqual((await recorded(ctx, refusedMark)).length, 0);
  }),

  test('compressed answers: bytes and content-encoding/content-length agree', async (ctx) => {
    for (const coding of ['gzip', 'br', 'zstd', 'identity']) {
      const mark = marker();
      const response = await gateway(ctx).request(url('/collections/docs', mark), {
        headers: { 'api-key': ADMIN, 'accept-encoding': coding },
      });
      assertEqual(response.status, 200, coding);
      const text = await labelledText(response);
      if (text !== '') {
        const body = JSON.parse(text) as { result: { upstream?: boolean } };
        assertEqual(body.result.upstream, true, coding);
      }
      const [hit] = await recorded(ctx, mark);
      assert(hit, 'request did not reach the upstream');
      const sent = String(hit.headers['accept-encoding']);
      assert(sent === coding || sent === 'identity', `${coding}: upstream was asked for ${sent}`);
    }
  }),

  test('HEAD: the GET status and headers, no body', async (ctx) => {
    const app = gateway(ctx);
    for (const path of ['/healthz', '/collections/docs']) {
      const response = await app.request(url(path, marker()), {
        method: 'HEAD',
        headers: { 'api-key': ADMIN },
      });
      assertEqual(response.status, 200, path);
      assertEqual(response.headers.get('content-type'), 'application/json', path);
      assertEqual((await response.arrayBuffer()).byteLength, 0, path);
    }
  }),

  test('a redirect from the upstream is passed back; the key never follows it', async (ctx) => {
    const followed = marker();
    const target = `${upstreamUrl(ctx)}/collections/followed?marker=${followed}`;
    const response = await gateway(ctx, { upstreamApiKey: UPSTREAM_KEY }).request(
      url('/collections/docs', marker()),
      { headers: { 'api-key': ADMIN, 'x-upstream-behaviour': `redirect:${target}` } },
    );
    assertEqual(response.status, 302);
    assertEqual(response.headers.get('location'), target);
    assertEqual((await recorded(ctx, followed)).length, 0);
  }),

  test('JWT RBAC is off unless configured, like a cluster: a JWT is 401', async (ctx) => {
    const token = await signDatabaseKey(ADMIN, claimsFor({ access: 'm' }));
    const mark = marker();
    // The defaults only: no jwtRbac given.
    const app = createGateway(
      gatewayConfig({ upstreamUrl: upstreamUrl(ctx), apiKey: ADMIN, logRequests: false }),
    );
    const response = await app.request(url('/collections', mark), {
      headers: { 'api-key': token },
    });
    assertEqual(response.status, 401);
    assertEqual(await response.text(), 'Invalid API key or JWT');
    assertEqual((await recorded(ctx, mark)).length, 0);
  }),
];

export default cases;
