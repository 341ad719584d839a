// Two gateway instances (each its own Redis connections, list and limiter) on one real
// redis-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/state/redis.js';
import type { SharedStateStore } from '../../src/state/types.js';
import { ADMIN_KEY, call, type GuardedApp, guardedApp } from '../helpers/guarded-app.js';
import { type RedisServer, startRedisServer, waitFor } from '@qdrant-kit/test-support/redis-server';

let redis: RedisServer;
const opened: Array<{ store: SharedStateStore; instance: GuardedApp }> = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const { store, instance } of opened) {
    instance.list.close();
    await store.close();
  }
  await redis?.stop();
});

async function instance(
  prefix: string,
  options: Parameters<typeof guardedApp>[1] = {},
): Promise<GuardedApp> {
  const store = createRedisStore({ url: redis.url, prefix, onError: () => undefined });
  const app = await guardedApp(store, options);
  opened.push({ store, instance: app });
  return app;
}

async function stop(app: GuardedApp): Promise<void> {
  const index = opened.findIndex((o) => o.instance === app);
  const [removed] = opened.splice(index, 1);
  if (removed === undefined) throw new Error('not an open instance');
  const { store } = removed;
  app.list.close();
  await store.close();
}

async function statusOf(app: GuardedApp, key: string, subject?: string): Promise<number> {
  return (await call(app.app, '/collections', { key, subject })).status;
}

describe('two instances on one Redis', () => {
  it('a revocation made through one is refused by both within 1 s, and after both restart', async () => {
    const a = await instance('p1:');
    const b = await instance('p1:');
    await waitFor(() => a.list.isLoaded && b.list.isLoaded);
    expect(await statusOf(b, 'leaked')).toBe(200);
    expect(await statusOf(b, 'k1', 'churned')).toBe(200);

    const startedAt = Date.now();
    const token = await call(a.app, '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ token: 'leaked' }),
    });
    expect(token.status).toBe(201);
    const subject = await call(b.app, '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ subject: 'churned' }),
    });
    expect(subject.status).toBe(201);
    // The instance that was called applies it before answering; the other is told by pub/sub.
    expect(await statusOf(a, 'leaked')).toBe(401);
    expect(await statusOf(b, 'k2', 'churned')).toBe(401);
    await waitFor(
      async () =>
        (await statusOf(b, 'leaked')) === 401 && (await statusOf(a, 'k3', 'churned')) === 401,
      1000,
    );
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(await statusOf(a, 'fine', 'tenant')).toBe(200);

    await stop(a);
    await stop(b);
    const a2 = await instance('p1:');
    const b2 = await instance('p1:');
    for (const app of [a2, b2]) {
      expect(app.list.isLoaded).toBe(true);
      expect(await statusOf(app, 'leaked')).toBe(401);
      expect(await statusOf(app, 'another-key', 'churned')).toBe(401);
      expect(await statusOf(app, 'fine')).toBe(200);
    }
  });

  it('20 concurrent requests of one key at 5/s across both let at most 7 through', async () => {
    const policy = { quota: 5, windowSeconds: 1 };
    const a = await instance('p2:', { policy });
    const b = await instance('p2:', { policy });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => statusOf(i % 2 === 0 ? a : b, 'hot-key')),
    );
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(5);
    expect(passed).toBeLessThanOrEqual(7);
    expect(statuses.filter((s) => s === 429).length).toBe(20 - passed);
  });
});

describe('failure policy with a real Redis going away', () => {
  it('Redis unreachable at start-up: 503 until the list loads', async () => {
    await redis.kill();
    const startedAt = Date.now();
    const app = await instance('p3:');
    // start() waited for the store a while, then gave up.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1900);
    expect(app.list.isLoaded).toBe(false);
    const refused = await call(app.app, '/collections', { key: 'k' });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { status: { error: string } }).status.error).toMatch(
      /revocation list/,
    );
    // Rate limiting fails open, revocation does not; admin keys still pass.
    expect(await statusOf(app, ADMIN_KEY)).toBe(200);
    await redis.start();
    await waitFor(() => app.list.isLoaded, 10_000);
    expect(await statusOf(app, 'k')).toBe(200);
  });

  it('connection lost: the last known list while fresh, then 503; back to normal on reconnect', async () => {
    const app = await instance('p4:', {
      list: { maxStalenessMs: 1500 },
      policy: { quota: 1000, windowSeconds: 1 },
    });
    await waitFor(() => app.list.isLoaded && app.list.isPushConnected);
    await call(app.app, '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ subject: 'churned' }),
    });
    await redis.kill();
    const lostAt = Date.now();
    // Within the window: the revoked subject is still refused, others pass (rate limit open).
    expect(await statusOf(app, 'k', 'churned')).toBe(401);
    expect(await statusOf(app, 'k', 'tenant')).toBe(200);
    await waitFor(async () => (await statusOf(app, 'k', 'tenant')) === 503, 3000);
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(900);
    expect(await statusOf(app, 'k', 'churned')).not.toBe(200);
    await redis.start();
    // The restarted server kept nothing (no persistence): the list is empty again.
    await waitFor(async () => (await statusOf(app, 'k', 'tenant')) === 200, 10_000);
    expect(await statusOf(app, 'k', 'churned')).toBe(200);
  });
});
