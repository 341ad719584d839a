// The official @qdrant/js-client-rest, used as a real client with an apiKey, through the Node
// gateway in front of a recording upstream.
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGatewayServer } from '../src/node.js';
import { nodeGateway, testConfig } from './support/gateways.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

const ADMIN = 'js-client-admin-key';
const UPSTREAM_KEY = 'js-client-upstream-key';
let upstream: RecordingUpstream;
let gateway: NodeGatewayServer;
let client: QdrantClient;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await nodeGateway(
    testConfig(upstream.url, { apiKey: ADMIN, upstreamApiKey: UPSTREAM_KEY }),
  );
  const apiKey = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'rw' } }));
  const { port } = new URL(gateway.url);
  client = new QdrantClient({
    host: '127.0.0.1',
    port: Number(port),
    https: false,
    apiKey,
    checkCompatibility: false,
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('@qdrant/js-client-rest through the gateway', () => {
  it('a query on the granted collection reaches the upstream with the upstream key', async () => {
    upstream.clear();
    await client.query('docs', { query: [0.1, 0.2, 0.3], limit: 2 });
    expect(upstream.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/collections/docs/points/query'],
    ]);
    expect(upstream.requests[0]?.headers['api-key']).toBe(UPSTREAM_KEY);
    expect(JSON.parse(upstream.requests[0]!.bodyText)).toMatchObject({
      query: [0.1, 0.2, 0.3],
      limit: 2,
    });
  });

  it('upsert and count on the granted collection', async () => {
    upstream.clear();
    await client.upsert('docs', {
      wait: true,
      points: [{ id: 1, vector: [1, 2, 3], payload: { a: 1 } }],
    });
    await client.count('docs', { exact: true });
    expect(upstream.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'PUT /collections/docs/points',
      'POST /collections/docs/points/count',
    ]);
  });

  it('a forbidden call surfaces as a 403 error and never reaches the upstream', async () => {
    upstream.clear();
    const error = await client
      .query('secret', { query: [1, 2, 3], limit: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(403);
    expect(String((error as Error).message)).toContain('Forbidden');
    const dropped = await client.deleteCollection('docs').catch((e: unknown) => e);
    expect((dropped as { status?: number }).status).toBe(403);
    expect(upstream.requests).toEqual([]);
  });
});
