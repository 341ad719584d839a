// Acceptance of issue 14 over HTTP: two gateway processes (the built CLI) on one real
// redis-server, in front of a recording stand-in cluster.
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildGateway, startChildGateway } from './support/child.js';
import { type RedisServer, startRedisServer } from '@qdrant-kit/test-support/redis-server';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

const ADMIN = 'acceptance-admin-key-0123456789';
const PATH = '/gateway/v1/revocations';
let redis: RedisServer;
let upstream: RecordingUpstream;
let gateways: ChildGateway[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    QDRANT_UPSTREAM_URL: upstream.url,
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_GATEWAY_REDIS_URL: redis.url,
    QDRANT_GATEWAY_LOG: 'false',
    ...extra,
  };
}

async function startTwo(extra: Record<string, string> = {}): Promise<ChildGateway[]> {
  gateways = await Promise.all([startChildGateway(env(extra)), startChildGateway(env(extra))]);
  return gateways;
}

async function stopAll(): Promise<void> {
  for (const gateway of gateways) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  gateways = [];
}

function get(gateway: ChildGateway, key: string): Promise<Response> {
  return fetch(`${gateway.url}/collections`, { headers: { 'api-key': key } });
}

function admin(gateway: ChildGateway, body: unknown, key = ADMIN): Promise<Response> {
  return fetch(`${gateway.url}${PATH}`, {
    method: 'POST',
    headers: { 'api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function refusedByBoth(key: string, within: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    const statuses = await Promise.all(gateways.map(async (g) => (await get(g, key)).status));
    if (statuses.every((s) => s === 401)) return Date.now() - startedAt;
    if (Date.now() - startedAt > within)
      throw new Error(`still ${statuses.join(',')} after ${within} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startRecordingUpstream();
});
afterAll(async () => {
  await stopAll();
  await upstream?.close();
  await redis?.stop();
});

describe('two gateways on one Redis', () => {
  it('a revoked token and every key of a revoked subject: refused by both within 1 s, and after a restart of both', async () => {
    const [a, b] = await startTwo();
    const leaked = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'tenant-a' }));
    const churnedOne = await signDatabaseKey(
      ADMIN,
      claimsFor({ access: 'r', subject: 'tenant-b' }),
    );
    const churnedTwo = await signDatabaseKey(
      ADMIN,
      claimsFor({ access: 'm', subject: 'tenant-b' }),
    );
    const fine = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'tenant-c' }));
    for (const key of [leaked, churnedOne, churnedTwo, fine]) {
      expect((await get(a!, key)).status).toBe(200);
      expect((await get(b!, key)).status).toBe(200);
    }
    // A non-admin key cannot revoke (not even a global-manage JWT signed with the admin key).
    const tenantAdmin = await signDatabaseKey(ADMIN, claimsFor({ access: 'm' }));
    expect((await admin(a!, { subject: 'tenant-c' }, tenantAdmin)).status).toBe(403);
    expect((await admin(a!, { subject: 'tenant-c' }, fine)).status).toBe(403);
    const before = upstream.requests.length;
    expect((await admin(a!, { token: leaked })).status).toBe(201);
    expect(await refusedByBoth(leaked, 1000)).toBeLessThan(1000);
    expect((await admin(b!, { subject: 'tenant-b' })).status).toBe(201);
    expect(await refusedByBoth(churnedOne, 1000)).toBeLessThan(1000);
    expect(await refusedByBoth(churnedTwo, 1000)).toBeLessThan(1000);
    const refused = await get(a!, leaked);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await refused.text()).toMatch(/revoked/);
    // The admin calls never reached the cluster.
    expect(upstream.requests.slice(before).some((r) => r.url.startsWith('/gateway'))).toBe(false);
    expect((await get(a!, fine)).status).toBe(200);

    await stopAll();
    const [a2, b2] = await startTwo();
    for (const gateway of [a2!, b2!]) {
      expect((await get(gateway, leaked)).status).toBe(401);
      expect((await get(gateway, churnedOne)).status).toBe(401);
      expect((await get(gateway, churnedTwo)).status).toBe(401);
      expect((await get(gateway, fine)).status).toBe(200);
    }
    await stopAll();
  });

  it('20 concurrent requests of one key at 5/s across both let at most 7 through', async () => {
    const [a, b] = await startTwo({ QDRANT_GATEWAY_RATE_LIMIT: '5/s' });
    const key = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'hot-tenant' }));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(i % 2 === 0 ? a! : b!, key)),
    );
    const passed = responses.filter((r) => r.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(5);
    expect(passed).toBeLessThanOrEqual(7);
    const limited = responses.find((r) => r.status === 429);
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited?.headers.get('ratelimit-policy')).toBe('"default";q=5;w=1');
    expect(limited?.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    // Admin keys are never limited.
    const adminStatuses = await Promise.all(Array.from({ length: 20 }, () => get(a!, ADMIN)));
    expect(adminStatuses.every((r) => r.status === 200)).toBe(true);
    await stopAll();
  });
});
