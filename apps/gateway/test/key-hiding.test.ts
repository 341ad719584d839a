// Key hiding (QDRANT_UPSTREAM_API_KEY): the cluster answers with the gateway's key, so the
// gateway's decision is the only check and what the cluster would leave out of an answer for a
// collection-scoped key must be left out by the gateway. Both forwarders: the Node pool over
// HTTP and the fetch forwarder in process. Also HEAD, compression and redirects on Node.
import { Agent } from 'node:http';
import { claimsFor, restRoutes, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RESPONSE_FILTER_RULES } from '@qdrant-kit/hono';
import type { GatewayConfig } from '../src/index.js';
import type { NodeGatewayServer } from '../src/node.js';
import { inProcessGateway, nodeGateway, testConfig } from './support/gateways.js';
import { checkLength, decodeAsLabelled, rawRequest } from './support/raw-http.js';
import {
  BIG_PEER_ID,
  type RecordingUpstream,
  startRecordingUpstream,
  TENANT_DATA,
} from '@qdrant-kit/test-support/upstream';

const ADMIN = 'key-hiding-admin-key';
const UPSTREAM_KEY = 'key-hiding-upstream-key';
let upstream: RecordingUpstream;
let elsewhere: RecordingUpstream;
let hidden: NodeGatewayServer;
let plain: NodeGatewayServer;
let scoped: string;
let n = 0;
const mark = () => `kh${++n}x${Date.now()}`;

const hiding = (extra: Partial<GatewayConfig> = {}) =>
  testConfig(upstream.url, { apiKey: ADMIN, upstreamApiKey: UPSTREAM_KEY, ...extra });

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  elsewhere = await startRecordingUpstream();
  hidden = await nodeGateway(hiding());
  plain = await nodeGateway(testConfig(upstream.url, { apiKey: ADMIN }));
  // Key order matters for /issues: the cluster lists them collection by collection, in key order.
  scoped = await signDatabaseKey(
    ADMIN,
    claimsFor({ access: { 'docs-alias': 'r', docs: 'r', other: 'prw' } }),
  );
});
afterAll(async () => {
  await hidden?.close();
  await plain?.close();
  await upstream?.close();
  await elsewhere?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  bytes: number;
}

type Client = (path: string, headers: Record<string, string>, method?: string) => Promise<Answer>;

const overHttp =
  (server: () => NodeGatewayServer): Client =>
  async (path, headers, method) => {
    const response = await rawRequest(`${server().url}${path}`, { headers, method });
    checkLength(response);
    return {
      status: response.status,
      headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
      text: decodeAsLabelled(response),
      bytes: response.bytes.byteLength,
    };
  };

const inProcess =
  (config: () => GatewayConfig): Client =>
  async (path, headers, method) => {
    const response = await inProcessGateway(config()).app.request(path, { headers, method });
    const body = new Uint8Array(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    if (out['content-length'] !== undefined)
      expect(Number(out['content-length'])).toBe(body.byteLength);
    return {
      status: response.status,
      headers: out,
      text: new TextDecoder().decode(body),
      bytes: body.byteLength,
    };
  };

const FORWARDERS: Array<[string, () => Client, () => Client]> = [
  ['Node pool over HTTP', () => overHttp(() => hidden), () => overHttp(() => plain)],
  [
    'fetch forwarder in process',
    () => inProcess(() => hiding()),
    () => inProcess(() => testConfig(upstream.url, { apiKey: ADMIN })),
  ],
];

const result = (answer: Answer) =>
  (JSON.parse(answer.text) as { result: Record<string, unknown> }).result;

describe.each(FORWARDERS)('key hiding, %s', (_name, hiddenClient, plainClient) => {
  const key = () => ({ 'api-key': scoped, 'accept-encoding': 'gzip, br' });

  it("GET /collections lists only the key's collections (toc/mod.rs:371 all_collections)", async () => {
    const answer = await hiddenClient()('/collections', key());
    expect(answer.status).toBe(200);
    expect(result(answer)).toEqual({
      collections: [{ name: 'docs' }, { name: 'docs-alias' }, { name: 'other' }],
    });
    // The rest of the answer is the cluster's own bytes.
    expect(answer.text).toMatch(/,"status":"ok","time":1\.2e-5}$/);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBe(answer.bytes);
  });

  it('paths the cluster normalises to a filtered route are filtered too', async () => {
    for (const path of ['/collections/', '//collections?x=1', '/collections//docs//aliases/']) {
      const answer = await hiddenClient()(path, key());
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).not.toContain('secret');
    }
  });

  it('HEAD on a filtered route never reaches the upstream for a collection key', async () => {
    const m = mark();
    const answer = await hiddenClient()(`/collections?marker=${m}`, key(), 'HEAD');
    expect(answer.status).toBe(404);
    expect(upstream.find(m)).toHaveLength(0);
  });

  it('GET /aliases keeps aliases named in the key, of collections in the key', async () => {
    const answer = await hiddenClient()('/aliases', key());
    expect(result(answer)).toEqual({
      aliases: [{ alias_name: 'docs-alias', collection_name: 'docs' }],
    });
  });

  it('GET /collections/docs/aliases keeps aliases whose own names are in the key', async () => {
    const answer = await hiddenClient()('/collections/docs/aliases', key());
    expect(result(answer)).toEqual({
      aliases: [{ alias_name: 'docs-alias', collection_name: 'docs' }],
    });
  });

  it("GET /issues: issues of the key's collections, in key order, none without a collection", async () => {
    const answer = await hiddenClient()('/issues', key());
    const issues = result(answer).issues as Array<{ id: string }>;
    expect(issues.map((i) => i.id)).toEqual([
      'UNINDEXED_FIELD/docs:a',
      'UNINDEXED_FIELD/docs:b',
      'UNINDEXED_FIELD/other:a',
    ]);
  });

  it("GET /cluster/telemetry: only the key's collections, no cluster part, u64 ids kept exactly", async () => {
    const answer = await hiddenClient()('/cluster/telemetry?details_level=3', key());
    const telemetry = result(answer);
    expect(Object.keys(telemetry.collections as object)).toEqual(['docs', 'docs-alias', 'other']);
    expect(telemetry.cluster).toBeUndefined();
    expect(answer.text).toContain(`"peer_id":${BIG_PEER_ID}`);
  });

  it('GET /telemetry is refused for a collection-scoped key: 403 JSON, never forwarded', async () => {
    const m = mark();
    const answer = await hiddenClient()(`/telemetry?marker=${m}`, key());
    expect(answer.status).toBe(403);
    const body = JSON.parse(answer.text) as { status: { error: string }; time: number };
    expect(body.status.error).toMatch(/^Forbidden: Global access is required/);
    expect(typeof body.time).toBe('number');
    expect(upstream.find(m)).toHaveLength(0);
  });

  it('the upstream is asked for identity on a filtered route, with the gateway key', async () => {
    const m = mark();
    await hiddenClient()(`/collections?marker=${m}`, key());
    const [hit] = upstream.find(m);
    expect(hit?.headers['accept-encoding']).toBe('identity');
    expect(hit?.headers['api-key']).toBe(UPSTREAM_KEY);
  });

  it('a global key sees the whole answer, as the cluster shows the gateway key', async () => {
    const answer = await hiddenClient()('/collections', { 'api-key': ADMIN });
    expect((result(answer).collections as unknown[]).length).toBe(TENANT_DATA.collections.length);
    const telemetry = await hiddenClient()('/telemetry', { 'api-key': ADMIN });
    expect(telemetry.status).toBe(200);
  });

  it('without key hiding nothing is filtered or refused: the cluster filters by the caller key', async () => {
    const m = mark();
    const answer = await plainClient()(`/collections?marker=${m}`, key());
    expect((result(answer).collections as unknown[]).length).toBe(TENANT_DATA.collections.length);
    expect(upstream.find(m)[0]?.headers['api-key']).toBe(scoped);
    expect((await plainClient()('/telemetry', key())).status).toBe(200);
  });

  it('an answer larger than the filter limit is a 502 JSON, never passed', async () => {
    const client =
      _name === 'Node pool over HTTP'
        ? null
        : inProcess(() => hiding({ maxFilteredResponseBytes: 4096 }));
    const answer = client
      ? await client('/collections', { ...key(), 'x-upstream-behaviour': 'many-collections:1000' })
      : await limitedOverHttp('/collections', {
          ...key(),
          'x-upstream-behaviour': 'many-collections:1000',
        });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text).status.error).toBe(
      'Bad Gateway: the upstream response is larger than the 4096 bytes the gateway reads to filter it',
    );
  });

  it("an answer that is not the cluster's JSON, or compressed despite identity, is a 502", async () => {
    for (const behaviour of ['not-json', 'ignore-identity']) {
      const answer = await hiddenClient()('/collections', {
        ...key(),
        'x-upstream-behaviour': behaviour,
      });
      expect(answer.status, behaviour).toBe(502);
      expect(answer.text).not.toContain('secret');
    }
  });
});

let limited: NodeGatewayServer | undefined;
async function limitedOverHttp(path: string, headers: Record<string, string>): Promise<Answer> {
  limited ??= await nodeGateway(hiding({ maxFilteredResponseBytes: 4096 }));
  return overHttp(() => limited!)(path, headers);
}
afterAll(() => limited?.close());

describe('the filter table covers every route a collection-scoped key reaches unfiltered', () => {
  it('every `any`-scope route of core has a rule (filter or refuse)', () => {
    const anyRoutes = restRoutes
      .filter((r) => r.scope === 'any')
      .map((r) => `${r.method} ${r.pattern}`);
    for (const route of anyRoutes) expect(RESPONSE_FILTER_RULES.has(route), route).toBe(true);
    expect(RESPONSE_FILTER_RULES.has('GET /collections/{collection_name}/aliases')).toBe(true);
  });
});

describe('HEAD on Node', () => {
  it('several HEADs then a GET on one keep-alive connection: GET headers, no body, no error', async () => {
    const errors = vi.spyOn(console, 'error');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const get = await rawRequest(`${plain.url}/collections/docs`, {
        headers: { 'api-key': ADMIN },
        agent,
      });
      const sockets = new Set([get.socket]);
      for (const path of ['/healthz', '/collections/docs', '/healthz', '/']) {
        const head = await rawRequest(`${plain.url}${path}`, {
          method: 'HEAD',
          headers: { 'api-key': ADMIN },
          agent,
        });
        expect(head.status, path).toBe(200);
        expect(head.bytes.byteLength).toBe(0);
        expect(head.headers['content-type']).toBe('application/json');
        sockets.add(head.socket);
      }
      const head = await rawRequest(`${plain.url}/collections/docs`, {
        method: 'HEAD',
        headers: { 'api-key': ADMIN },
        agent,
      });
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      const last = await rawRequest(`${plain.url}/collections/docs`, {
        headers: { 'api-key': ADMIN },
        agent,
      });
      expect(last.status).toBe(200);
      sockets.add(last.socket);
      expect(sockets.size).toBe(1);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      agent.destroy();
      errors.mockRestore();
    }
  });
});

describe.each([
  ['Node pool over HTTP', () => overHttpRaw],
  ['fetch forwarder in process', () => inProcessRaw],
] as const)('compression, %s', (_name, client) => {
  for (const coding of ['gzip', 'br', 'zstd', 'gzip;q=0, identity', '']) {
    it(`accept-encoding "${coding}": the upstream is asked for it, bytes and headers agree`, async () => {
      const m = mark();
      const headers: Record<string, string> = { 'api-key': ADMIN };
      if (coding !== '') headers['accept-encoding'] = coding;
      const answer = await client()(`/collections/docs/points/count?marker=${m}`, headers);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ result: { upstream: true } });
      const sent = upstream.find(m)[0]?.headers['accept-encoding'];
      // The pool passes bytes untouched, so the caller's header goes as it is. Node's fetch
      // decodes, so only codings it decodes are offered (gzip, br), and identity when none is.
      const expected =
        _name === 'Node pool over HTTP'
          ? coding === ''
            ? undefined
            : coding
          : coding === '' || coding === 'zstd'
            ? 'identity'
            : coding;
      expect(sent).toBe(expected);
    });
  }
});

async function overHttpRaw(path: string, headers: Record<string, string>): Promise<Answer> {
  return overHttp(() => plain)(path, headers, 'POST');
}
async function inProcessRaw(path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await inProcessGateway(testConfig(upstream.url, { apiKey: ADMIN })).app.request(
    path,
    { method: 'POST', headers, body: '{}' },
  );
  const bytes = Buffer.from(await response.arrayBuffer());
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    responseHeaders[k] = v;
  });
  // In process the caller reads the Response object itself: its bytes must match its labels.
  const text = decodeAsLabelled({
    status: response.status,
    headers: responseHeaders,
    bytes,
    socket: undefined as never,
  });
  checkLength({
    status: response.status,
    headers: responseHeaders,
    bytes,
    socket: undefined as never,
  });
  return { status: response.status, headers: responseHeaders, text, bytes: bytes.byteLength };
}

describe.each([
  [
    'Node pool over HTTP',
    (path: string, headers: Record<string, string>) => overHttp(() => hidden)(path, headers),
  ],
  [
    'fetch forwarder in process',
    (path: string, headers: Record<string, string>) => inProcess(() => hiding())(path, headers),
  ],
] as const)('redirects, %s', (_name, client) => {
  it('a 3xx from the upstream goes back to the caller; the key never follows it', async () => {
    const m = mark();
    const target = `${elsewhere.url}/collections/docs?marker=${m}`;
    const answer = await client(`/collections/docs?marker=${mark()}`, {
      'api-key': ADMIN,
      'x-upstream-behaviour': `redirect:${target}`,
    });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(target);
    expect(elsewhere.find(m)).toHaveLength(0);
  });
});
