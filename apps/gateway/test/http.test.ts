// HTTP-level behaviour of the Node gateway (real server, pooled forwarder, real upstream).
import { request as httpRequest } from 'node:http';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGatewayServer } from '../src/node.js';
import { type ChildGateway, startChildGateway } from './support/child.js';
import { nodeGateway, testConfig } from './support/gateways.js';
import {
  deadPort,
  type RecordingUpstream,
  startRecordingUpstream,
} from '@qdrant-kit/test-support/upstream';

const ADMIN = 'http-admin-key';
let upstream: RecordingUpstream;
let gateway: NodeGatewayServer & { logs: import('@qdrant-kit/hono').RequestLogEntry[] };
let collectionReader: string;
let collectionWriter: string;
let n = 0;
const mark = () => `h${++n}x${Date.now()}`;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await nodeGateway(
    testConfig(upstream.url, { apiKey: ADMIN, upstreamTimeoutMs: 400, maxBufferedBodyBytes: 4096 }),
  );
  collectionReader = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
  collectionWriter = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'rw' } }));
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

/** A raw node:http request, so the test controls chunking, aborts and header sizes. */
function raw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: (req: import('node:http').ClientRequest) => void;
  },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body) options.body(req);
    else req.end();
  });
}

describe('headers and bodies', () => {
  it('oversized headers: 431 from Node, never forwarded', async () => {
    const m = mark();
    const res = await raw(`${gateway.url}/collections?marker=${m}`, {
      headers: { 'api-key': ADMIN, 'x-padding': 'p'.repeat(40_000) },
    });
    expect(res.status).toBe(431);
    expect(upstream.find(m)).toEqual([]);
  });

  it('oversized body on a route read for authorization: 413 JSON (content-length)', async () => {
    const m = mark();
    const res = await fetch(`${gateway.url}/collections/docs/points/query?marker=${m}`, {
      method: 'POST',
      headers: { 'api-key': collectionReader, 'content-type': 'application/json' },
      body: JSON.stringify({ query: Array.from({ length: 2000 }, () => 0.123456) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { status: { error: string }; time: number };
    expect(body.status.error).toMatch(/^Payload too large/);
    expect(typeof body.time).toBe('number');
    expect(upstream.find(m)).toEqual([]);
  });

  it('oversized chunked body on a route read for authorization: 413 JSON', async () => {
    const m = mark();
    const res = await raw(`${gateway.url}/collections/docs/points/query?marker=${m}`, {
      method: 'POST',
      headers: { 'api-key': collectionReader, 'content-type': 'application/json' },
      body: (req) => {
        req.write('{"query":[');
        for (let i = 0; i < 100; i++) req.write(`${'0.5,'.repeat(50)}`);
        req.end('0.5]}');
      },
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).status.error).toMatch(/^Payload too large/);
    expect(upstream.find(m)).toEqual([]);
  });

  it('large bodies on streamed routes are not limited by the gateway', async () => {
    const m = mark();
    const payload = JSON.stringify({ points: [{ id: 1, vector: Array(5000).fill(0.25) }] });
    const res = await fetch(`${gateway.url}/collections/docs/points?marker=${m}`, {
      method: 'PUT',
      headers: { 'api-key': collectionWriter, 'content-type': 'application/json' },
      body: payload,
    });
    expect(res.status).toBe(200);
    expect(upstream.find(m)[0]?.bodyBytes).toBe(payload.length);
  });

  it('chunked uploads stream through chunked', async () => {
    const m = mark();
    const res = await raw(`${gateway.url}/collections/docs/points?marker=${m}`, {
      method: 'PUT',
      headers: { 'api-key': collectionWriter, 'content-type': 'application/json' },
      body: (req) => {
        req.write('{"points":[');
        setTimeout(() => req.end(']}'), 50);
      },
    });
    expect(res.status).toBe(200);
    const [hit] = upstream.find(m);
    expect(hit?.chunked).toBe(true);
    expect(hit?.bodyBytes).toBe('{"points":[]}'.length);
  });

  it('hop-by-hop headers are dropped, others forwarded', async () => {
    const m = mark();
    await raw(`${gateway.url}/collections?marker=${m}`, {
      headers: {
        'api-key': ADMIN,
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'x-end': '2',
        te: 'trailers',
      },
    });
    const [hit] = upstream.find(m);
    expect(hit?.headers['x-hop']).toBeUndefined();
    expect(hit?.headers.te).toBeUndefined();
    expect(hit?.headers['x-end']).toBe('2');
  });
});

describe('upstream failures', () => {
  it('slow upstream: 504 JSON after the timeout', async () => {
    const res = await fetch(`${gateway.url}/collections`, {
      headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'slow:3000' },
    });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { status: { error: string } }).status.error).toMatch(
      /^Gateway Timeout/,
    );
  });

  it('dead upstream (connection refused): 502 JSON', async () => {
    const dead = await nodeGateway(testConfig(await deadPort(), { apiKey: ADMIN }));
    try {
      const res = await fetch(`${dead.url}/collections`, { headers: { 'api-key': ADMIN } });
      expect(res.status).toBe(502);
      const body = (await res.json()) as { status: { error: string }; time: number };
      expect(body.status.error).toMatch(/^Bad Gateway/);
    } finally {
      await dead.close();
    }
  });

  it('upstream reset mid-response: the caller sees a broken response, the gateway lives on', async () => {
    const res = await fetch(`${gateway.url}/collections`, {
      headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'reset-mid-response' },
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const after = await fetch(`${gateway.url}/collections`, { headers: { 'api-key': ADMIN } });
    expect(after.status).toBe(200);
  });

  it('client abort cancels the upstream request (waiting for headers)', async () => {
    const m = mark();
    const controller = new AbortController();
    const pending = fetch(`${gateway.url}/collections?marker=${m}`, {
      headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'hang' },
      signal: controller.signal,
    });
    await waitFor(() => upstream.find(m).length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => upstream.closedEarly.some((u) => u.includes(m)));
  });

  it('client abort cancels the upstream request (while streaming the response)', async () => {
    const m = mark();
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/collections?marker=${m}`, {
      headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'stream-slowly' },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => upstream.closedEarly.some((u) => u.includes(m)));
  });
});

describe('concurrency', () => {
  it('concurrent requests with mixed keys each get their own decision', async () => {
    const keys = [
      { key: ADMIN, path: '/collections/other/points/search', allowed: true },
      { key: collectionReader, path: '/collections/docs/points/search', allowed: true },
      { key: collectionReader, path: '/collections/other/points/search', allowed: false },
      { key: collectionWriter, path: '/collections/docs/points/search', allowed: true },
      { key: 'wrong', path: '/collections/docs/points/search', allowed: false },
    ];
    const jobs = Array.from({ length: 250 }, (_, i) => {
      const k = keys[i % keys.length]!;
      const m = mark();
      return fetch(`${gateway.url}${k.path}?marker=${m}`, {
        method: 'POST',
        headers: { 'api-key': k.key, 'content-type': 'application/json' },
        body: '{"vector":[1,2],"limit":1}',
      }).then(async (res) => ({ k, m, status: res.status, text: await res.text() }));
    });
    for (const r of await Promise.all(jobs)) {
      if (r.k.allowed) {
        expect(r.status).toBe(200);
        expect(upstream.find(r.m)).toHaveLength(1);
      } else {
        expect([401, 403]).toContain(r.status);
        expect(upstream.find(r.m)).toHaveLength(0);
      }
    }
  });
});

describe('hostile requests never produce a 500', () => {
  const hostile: Array<[string, string, Record<string, string>]> = [
    ['GET', '/collections/%ZZ/points', {}],
    ['GET', '/collections/%E0%A4%A/points', {}],
    ['GET', `/${'a/'.repeat(2000)}`, {}],
    ['GET', '/collections/docs/../../cluster', {}],
    ['PROPFIND', '/collections', {}],
    ['GET', '/collections', { authorization: 'Bearer ' }],
    ['GET', '/collections', { authorization: 'Bearer a.b.c' }],
    ['GET', '/collections', { authorization: `Bearer ${'x'.repeat(8000)}` }],
    ['GET', '/collections', { 'api-key': 'eyJhbGciOiJub25lIn0.eyJhY2Nlc3MiOiJtIn0.' }],
  ];
  for (const [method, path, headers] of hostile) {
    it(`${method} ${path.slice(0, 60)} ${JSON.stringify(headers).slice(0, 40)}`, async () => {
      const res = await raw(`${gateway.url}${path}`, { method, headers });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(/at .+:\d+:\d+/);
    });
  }
});

describe('value_exists claims are checked against the upstream', () => {
  it('match passes, no match 401, missing collection 403, result cached', async () => {
    upstream.points.set('tenants', [{ tenant: 'acme' }]);
    const sign = (value: string, collection = 'tenants') =>
      signDatabaseKey(ADMIN, {
        access: [{ collection: 'docs', access: 'r' }],
        value_exists: { collection, matches: [{ key: 'tenant', value }] },
      });
    const send = async (key: string) => {
      const res = await fetch(`${gateway.url}/collections/docs`, { headers: { 'api-key': key } });
      return { status: res.status, text: await res.text() };
    };
    const before = upstream.requests.filter((r) => r.url.includes('/points/scroll')).length;
    const good = await sign('acme');
    expect((await send(good)).status).toBe(200);
    expect((await send(good)).status).toBe(200);
    const scrolls = upstream.requests.filter((r) => r.url.includes('/points/scroll'));
    expect(scrolls.length - before).toBe(1);
    expect(scrolls.at(-1)?.headers['api-key']).toBe(ADMIN);
    expect(await send(await sign('globex'))).toEqual({
      status: 401,
      text: 'Invalid JWT, stateful validation failed',
    });
    expect(await send(await sign('acme', 'nowhere'))).toEqual({
      status: 403,
      text: 'Invalid JWT, stateful validation failed',
    });
  });
});

describe('value_exists with integers beyond 2^53', () => {
  it('sends them to the upstream as exact JSON numbers (signed by hand: JS cannot sign them)', async () => {
    upstream.points.set('big', [{ tenant: 9007199254740992 }]);
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const input = `${b64('{"alg":"HS256"}')}.${b64(
      '{"access":[{"collection":"docs","access":"r"}],"value_exists":{"collection":"big","matches":[{"key":"tenant","value":9007199254740993}]}}',
    )}`;
    const hmac = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(ADMIN),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const signature = await crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode(input));
    const token = `${input}.${Buffer.from(signature).toString('base64url')}`;
    const res = await fetch(`${gateway.url}/collections/docs`, { headers: { 'api-key': token } });
    await res.text();
    const scroll = upstream.requests.filter((r) =>
      r.url.startsWith('/collections/big/points/scroll'),
    );
    expect(scroll.at(-1)?.bodyText).toContain('"value":9007199254740993');
    expect(res.status).toBe(200);
  });
});

describe('logs', () => {
  it('one JSON-ready entry per request, without secrets', async () => {
    gateway.logs.length = 0;
    await fetch(`${gateway.url}/collections/docs/points/search`, {
      method: 'POST',
      headers: { 'api-key': collectionReader, 'content-type': 'application/json' },
      body: '{"vector":[1],"limit":1}',
    });
    await fetch(`${gateway.url}/collections/other`, { headers: { 'api-key': collectionReader } });
    await fetch(`${gateway.url}/collections`, { headers: { 'api-key': ADMIN } });
    expect(gateway.logs).toHaveLength(3);
    const [search, denied, list] = gateway.logs;
    expect(search).toMatchObject({
      method: 'POST',
      route: '/collections/{collection_name}/points/search',
      collection: 'docs',
      decision: 'allowed',
      status: 200,
      keyKind: 'jwt',
    });
    expect(denied).toMatchObject({ decision: 'denied', status: 403, collection: 'other' });
    expect(list).toMatchObject({ decision: 'allowed', keyKind: 'api-key' });
    const text = JSON.stringify(gateway.logs);
    expect(text).not.toContain(ADMIN);
    expect(text).not.toContain(collectionReader);
    expect(text).not.toContain(collectionReader.split('.')[2]!);
    for (const entry of gateway.logs) expect(typeof entry.latencyMs).toBe('number');
  });
});

describe('the built server process', () => {
  let child: ChildGateway | undefined;
  afterAll(() => {
    child?.child.kill('SIGKILL');
  });

  it('streams a 200 MB upload without buffering it (peak memory stays flat)', async () => {
    child = await startChildGateway({
      QDRANT_UPSTREAM_URL: upstream.url,
      QDRANT__SERVICE__API_KEY: ADMIN,
      QDRANT_GATEWAY_LOG: '0',
    });
    // Warm up so JIT and pools are in the baseline.
    for (let i = 0; i < 20; i++) {
      await fetch(`${child.url}/collections/docs/points`, {
        method: 'PUT',
        headers: { 'api-key': ADMIN },
        body: 'x'.repeat(1 << 16),
      }).then((r) => r.arrayBuffer());
    }
    const before = child.memory();
    const m = mark();
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(1 << 16, 120);
    const res = await raw(`${child.url}/collections/docs/points?marker=${m}`, {
      method: 'PUT',
      headers: {
        'api-key': ADMIN,
        'content-type': 'application/octet-stream',
        'content-length': String(total),
      },
      body: (req) => {
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
          req.end();
        };
        pump();
      },
    });
    expect(res.status).toBe(200);
    expect(upstream.find(m)[0]?.bodyBytes).toBe(total);
    const after = child.memory();
    const growth = after.peak - before.peak;
    console.log(
      `200 MB upload: gateway peak RSS ${(before.peak / 2 ** 20).toFixed(1)} MiB -> ${(after.peak / 2 ** 20).toFixed(1)} MiB`,
    );
    // Buffering would grow the peak by the body size (200 MiB); streaming keeps the growth to
    // garbage-collector slack and socket buffers, which plateau (800 MB uploads measured the same).
    expect(growth).toBeLessThan(100 * 1024 * 1024);
  });

  it('SIGTERM drains in-flight requests, then exits 0', async () => {
    const c = child!;
    const inFlight = fetch(`${c.url}/collections`, {
      headers: { 'api-key': ADMIN, 'x-upstream-behaviour': 'slow:300' },
    });
    await new Promise((r) => setTimeout(r, 100));
    c.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await c.exited).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
