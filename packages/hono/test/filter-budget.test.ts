// Key hiding reads list answers whole to filter them. One answer is capped
// (QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES), and all answers being read at once share one
// budget (QDRANT_GATEWAY_FILTER_BUFFER_BYTES): a flood of slow, large list answers gets 503 with
// `Retry-After` in the cluster's JSON error shape once the budget is spent, never a 500 and never
// the unfiltered body. Real HTTP on loopback: a slow upstream, the gateway served by
// `@hono/node-server`, with the fetch forwarder and with Node's pooled one.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGateway,
  createResponseBufferBudget,
  type GatewayConfig,
  gatewayConfig,
  parseGatewayConfig,
  type ResponseBufferBudget,
} from '../src/index.js';
import { createNodeGateway } from '../src/node.js';

const ADMIN = 'filter-budget-admin-key';
const UPSTREAM_KEY = 'filter-budget-upstream-key';
const KIB = 1024;

/** One `{"name":...}` entry (25 bytes with its comma) per collection: `secret-*` must never reach the scoped caller. */
function collectionsText(count: number): { head: string; tail: string } {
  const entries = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ name: i === 0 ? 'docs' : `secret-${String(i).padStart(6, '0')}` }),
  );
  const whole = `{"result":{"collections":[${entries.join(',')}]},"status":"ok","time":0.001}`;
  const cut = Math.floor(whole.length * 0.8);
  return { head: whole.slice(0, cut), tail: whole.slice(cut) };
}

interface SlowUpstream {
  readonly url: string;
  /** Responses that sent the first 80% and wait for {@link finish}. */
  readonly waiting: ServerResponse[];
  /** Sends the rest of the oldest waiting answer, or of all of them. */
  finish(all?: 'all'): void;
  close(): Promise<void>;
}

/**
 * `GET /collections?hold=1` sends 80% of a ~`size` answer (chunked, no length) and waits;
 * without `hold` the whole answer goes at once.
 */
async function startSlowUpstream(size: number): Promise<SlowUpstream> {
  const { head, tail } = collectionsText(Math.ceil(size / 25));
  const waiting: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.includes('hold=1')) {
      res.write(head);
      waiting.push(res);
    } else res.end(head + tail);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    waiting,
    finish(all) {
      for (const res of waiting.splice(0, all === 'all' ? waiting.length : 1)) res.end(tail);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// About 24 KiB per answer, 80% of it (about 19.7 KiB) held while the upstream waits.
const ANSWER_BYTES = 24 * KIB;
let upstream: SlowUpstream;
let scoped: string;

beforeAll(async () => {
  upstream = await startSlowUpstream(ANSWER_BYTES);
  scoped = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
});
afterAll(async () => {
  upstream.finish('all');
  await upstream?.close();
});

const hiding = (extra: Partial<GatewayConfig> = {}) =>
  gatewayConfig({
    upstreamUrl: upstream.url,
    apiKey: ADMIN,
    upstreamApiKey: UPSTREAM_KEY,
    jwtRbac: true,
    logRequests: false,
    upstreamTimeoutMs: 20_000,
    ...extra,
  });

const forwarders = {
  fetch: (config: GatewayConfig, budget: ResponseBufferBudget) =>
    createGateway(config, { filterBufferBudget: budget }).fetch,
  'Node pool': (config: GatewayConfig, budget: ResponseBufferBudget) =>
    createNodeGateway(config, { filterBufferBudget: budget }).app.fetch,
} as const;

describe.each(Object.entries(forwarders))('buffered filtered answers (%s forwarder)', (_, make) => {
  it('a flood of slow large answers: 503 + Retry-After once the budget is spent, then freed', async () => {
    // Room for three held answers (59 KiB) and, as they end one by one, one whole answer and
    // two held ones (64 KiB); not for a fourth held one (79 KiB).
    const budget = createResponseBufferBudget(70 * KIB);
    const gateway = await listen(make(hiding({ maxFilteredResponseBytes: 30 * KIB }), budget));
    try {
      const get = (query: string) =>
        fetch(`${gateway.url}/collections${query}`, { headers: { 'api-key': scoped } });
      const slow = [get('?hold=1'), get('?hold=1'), get('?hold=1')];
      await waitFor(() => budget.usedBytes >= 57 * KIB, 'three held answers');

      const refused = await get('?hold=1');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('content-type')).toBe('application/json');
      const text = await refused.text();
      expect(text).not.toContain('secret-');
      expect(JSON.parse(text).status.error).toMatch(/^Service Unavailable: .*retry shortly$/);
      // Nothing of the refused answer is kept.
      expect(budget.usedBytes).toBeLessThan(60 * KIB);

      // One by one: each ends, is filtered and gives its bytes back before the next ends.
      for (let held = 2; held >= 0; held--) {
        upstream.finish();
        await waitFor(() => budget.usedBytes <= held * 20 * KIB, `${held} held answers`);
      }
      for (const answer of await Promise.all(slow)) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(await answer.text()).result.collections).toEqual([{ name: 'docs' }]);
      }
      // Every lease went back: the budget is whole again and a new answer is read.
      expect(budget.usedBytes).toBe(0);
      const after = await get('');
      expect(after.status).toBe(200);
      expect(JSON.parse(await after.text()).result.collections).toEqual([{ name: 'docs' }]);
      expect(budget.usedBytes).toBe(0);
    } finally {
      upstream.finish('all');
      gateway.server.close();
    }
  });

  it('an answer larger than the whole budget is too large (502), not worth a retry', async () => {
    const budget = createResponseBufferBudget(16 * KIB);
    const gateway = await listen(make(hiding(), budget));
    try {
      const answer = await fetch(`${gateway.url}/collections`, { headers: { 'api-key': scoped } });
      expect(answer.status).toBe(502);
      expect(answer.headers.get('retry-after')).toBeNull();
      const text = await answer.text();
      expect(text).not.toContain('secret-');
      expect(JSON.parse(text).status.error).toBe(
        `Bad Gateway: the upstream response is larger than the ${16 * KIB} bytes the gateway reads to filter it`,
      );
      expect(budget.usedBytes).toBe(0);
    } finally {
      gateway.server.close();
    }
  });
});

describe('the budget setting', () => {
  it('QDRANT_GATEWAY_FILTER_BUFFER_BYTES is read, 64 MiB by default, at least 1', () => {
    const env = {
      QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
      QDRANT__SERVICE__API_KEY: ADMIN,
    };
    expect(parseGatewayConfig(env).filterBufferBytes).toBe(64 * 1024 * KIB);
    expect(
      parseGatewayConfig({ ...env, QDRANT_GATEWAY_FILTER_BUFFER_BYTES: '1048576' })
        .filterBufferBytes,
    ).toBe(1024 * KIB);
    expect(() => parseGatewayConfig({ ...env, QDRANT_GATEWAY_FILTER_BUFFER_BYTES: '0' })).toThrow(
      /QDRANT_GATEWAY_FILTER_BUFFER_BYTES/,
    );
  });

  it('the configured budget applies to a gateway built from the config alone', async () => {
    const gateway = await listen(createGateway(hiding({ filterBufferBytes: 8 * KIB })).fetch);
    try {
      const answer = await fetch(`${gateway.url}/collections`, { headers: { 'api-key': scoped } });
      expect(answer.status).toBe(502);
      // The 32 MiB per-answer cap is lowered to the budget.
      expect(await answer.text()).toContain(`larger than the ${8 * KIB} bytes`);
    } finally {
      gateway.server.close();
    }
  });
});
