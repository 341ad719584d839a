// Red-team findings against key-hiding mode (QDRANT_UPSTREAM_API_KEY): each test failed on the
// code before its fix. The cluster behind the gateway sees only the gateway's key, so any gap
// here is access the cluster itself would never grant.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createGateway,
  GatewayConfigError,
  gatewayConfig,
  parseGatewayConfig,
} from '../src/index.js';
import { createNodeGateway } from '../src/node.js';
import { createUpstreamValueExistsChecker } from '../src/value-exists.js';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import {
  filterAliases,
  filterClusterTelemetry,
  filterCollectionAliases,
  filterCollections,
  filterIssues,
  UnfilterableResponseError,
} from '../src/filter/response-filters.js';

const UPSTREAM_KEY = 'redteam-upstream-key';

describe('key hiding without a caller key', () => {
  // A cluster with a key refuses anonymous requests (src/actix/auth.rs); a gateway with no key
  // of its own checked nothing and sent them upstream with the hidden key. A lower-case or
  // misspelt QDRANT__SERVICE__API_KEY leads there: the cluster's env reader (`config` crate,
  // src/settings.rs:329) matches names case-insensitively, the gateway reads exact names.
  it('parseGatewayConfig refuses QDRANT_UPSTREAM_API_KEY without any caller key', () => {
    expect(() =>
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        qdrant__service__api_key: 'lower-case-is-not-read',
      }),
    ).toThrow(GatewayConfigError);
    expect(() =>
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        QDRANT__SERVICE__API_KEY: '',
      }),
    ).toThrow(/QDRANT_UPSTREAM_API_KEY/);
    // Any one caller key is enough.
    expect(
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        QDRANT__SERVICE__READ_ONLY_API_KEY: 'ro',
      }).upstreamApiKey,
    ).toBe(UPSTREAM_KEY);
  });

  it('createGateway and createNodeGateway refuse a hand-written config of that kind', () => {
    const config = gatewayConfig({
      upstreamUrl: 'http://127.0.0.1:9',
      upstreamApiKey: UPSTREAM_KEY,
    });
    expect(() => createGateway(config)).toThrow(GatewayConfigError);
    expect(() => createNodeGateway(config)).toThrow(GatewayConfigError);
    // Without key hiding, no key still means "forward everything", as a cluster without keys.
    expect(() => createGateway(gatewayConfig({ upstreamUrl: 'http://127.0.0.1:9' }))).not.toThrow();
  });
});

async function listen(
  handler: (
    headers: IncomingHttpHeaders,
    reply: (status: number, headers: Record<string, string>, body: string) => void,
  ) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      handler(req.headers, (status, headers, body) => {
        res.writeHead(status, headers);
        res.end(body);
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('value_exists checks never follow a redirect with the hidden key', () => {
  // The forwarders use `redirect: 'manual'` (src/upstream/fetch.ts) so the key goes nowhere but
  // the upstream; the value_exists scroll (POST /collections/{c}/points/scroll, asked with the
  // upstream key) followed redirects, and fetch keeps custom headers such as `api-key` on a
  // cross-origin redirect (it strips only `authorization`).
  it('a 307 from the upstream sends nothing elsewhere and counts as no match', async () => {
    const reached: Array<string | undefined> = [];
    const elsewhere = await listen((headers, reply) => {
      reached.push(headers['api-key'] as string | undefined);
      reply(
        200,
        { 'content-type': 'application/json' },
        '{"result":{"points":[{"id":1}]},"status":"ok","time":0}',
      );
    });
    const upstream = await listen((_headers, reply) =>
      reply(
        307,
        { location: `${elsewhere.url}/collections/users/points/scroll`, 'content-length': '0' },
        '',
      ),
    );
    try {
      const check = createUpstreamValueExistsChecker({
        upstreamUrl: upstream.url,
        upstreamApiKey: UPSTREAM_KEY,
        cacheMs: 0,
        timeoutMs: 2_000,
      });
      const outcome = await check({
        collection: 'users',
        matches: [{ key: 'user', value: 'alice' }],
      });
      expect(reached).toEqual([]);
      expect(outcome).toBe('no-match');
    } finally {
      upstream.server.close();
      elsewhere.server.close();
    }
  });
});

describe('filtered answers with a key written twice fail closed', () => {
  // JSON.parse keeps the last copy, the span edits found the first: the filter decided on one
  // copy and kept the other, so `secret` reached the caller. serde never writes a key twice
  // (a cluster's answers never have one), so such an answer is refused with 502.
  const grants = [{ collection: 'docs', access: 'r' as const }];
  const cases: Array<[string, typeof filterCollections, string]> = [
    [
      'two results',
      filterCollections,
      '{"result":{"collections":[{"name":"secret"}]},"result":{"collections":[{"name":"docs"}]}}',
    ],
    [
      'two lists',
      filterCollections,
      '{"result":{"collections":[{"name":"secret"}],"collections":[{"name":"docs"}]}}',
    ],
    [
      'two names',
      filterCollections,
      '{"result":{"collections":[{"name":"secret","name":"docs"}]}}',
    ],
    [
      'two targets',
      filterAliases,
      '{"result":{"aliases":[{"alias_name":"docs","collection_name":"secret","collection_name":"docs"}]}}',
    ],
    [
      'two alias names',
      filterCollectionAliases,
      '{"result":{"aliases":[{"alias_name":"secret","alias_name":"docs"}]}}',
    ],
    [
      'two related collections',
      filterIssues,
      '{"result":{"issues":[{"related_collection":"secret","related_collection":"docs"}]}}',
    ],
    [
      'two telemetry maps',
      filterClusterTelemetry,
      '{"result":{"collections":{"secret":{}},"collections":{"docs":{}}}}',
    ],
    [
      'an escaped twin',
      filterCollections,
      '{"result":{"collections":[{"name":"secret","n\\u0061me":"docs"}]}}',
    ],
  ];
  it.each(cases)('%s', (_name, filter, text) => {
    expect(() => filter(text, grants)).toThrow(UnfilterableResponseError);
  });

  it('the same keys at different objects are fine', () => {
    const text =
      '{"result":{"collections":[{"name":"docs"},{"name":"secret"}]},"status":"ok","time":0}';
    expect(JSON.parse(filterCollections(text, grants))).toEqual({
      result: { collections: [{ name: 'docs' }] },
      status: 'ok',
      time: 0,
    });
  });

  it('through the gateway: 502, nothing of the answer', async () => {
    const admin = 'redteam-admin';
    const key = await signDatabaseKey(admin, claimsFor({ access: { docs: 'r' } }));
    const stub: typeof fetch = async () =>
      new Response(
        '{"result":{"collections":[{"name":"secret"}]},"result":{"collections":[{"name":"docs"}]},"status":"ok","time":0}',
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const app = createGateway(
      gatewayConfig({
        upstreamUrl: 'http://127.0.0.1:9',
        apiKey: admin,
        jwtRbac: true,
        upstreamApiKey: UPSTREAM_KEY,
        logRequests: false,
      }),
      { fetch: stub },
    );
    const response = await app.request('/collections', { headers: { 'api-key': key } });
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(text).not.toContain('secret');
  });
});
