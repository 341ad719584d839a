import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, StateStoreUnavailableError } from '../../src/state/redis.js';
import { type RedisServer, startRedisServer, waitFor } from '@qdrant-kit/test-support/redis-server';
import { storeContract, tokenEntry } from './contract.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

function connectedStore() {
  return createRedisStore({ url: redis.url, prefix: 'test:', onError: () => undefined });
}

describe('redis store', () => {
  storeContract(() => {
    const store = connectedStore();
    // Commands fail fast until connected: the contract starts on a connected store.
    return new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || name === 'close') return value;
        return async (...args: unknown[]) => {
          await waitFor(async () => {
            try {
              await target.revocationVersion();
              return true;
            } catch {
              return false;
            }
          });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }, true);
});

describe('redis store when the server goes away', () => {
  it('fails at once while down, reports the lost and regained subscription, and works again', async () => {
    const store = createRedisStore({
      url: redis.url,
      prefix: 'reconnect:',
      onError: () => undefined,
    });
    const events: string[] = [];
    try {
      await store.watchRevocations?.({
        change: () => events.push('change'),
        connected: () => events.push('connected'),
        disconnected: () => events.push('disconnected'),
      });
      await waitFor(() => events.includes('connected'));
      await waitFor(async () => (await store.revocationVersion().catch(() => -1)) >= 0);
      await store.putRevocation(await tokenEntry('before'));
      await waitFor(() => events.includes('change'));

      await redis.kill();
      await waitFor(() => events.includes('disconnected'));
      const startedAt = Date.now();
      await expect(store.loadRevocations()).rejects.toThrow();
      await expect(store.loadRevocations()).rejects.toBeInstanceOf(StateStoreUnavailableError);
      await expect(store.takeTokens('k', { quota: 1, windowSeconds: 1 }, 1)).rejects.toThrow();
      // No offline queue: a dead server costs no wait.
      expect(Date.now() - startedAt).toBeLessThan(200);

      await redis.start();
      await waitFor(() => events.filter((e) => e === 'connected').length === 2, 10_000);
      await waitFor(async () => (await store.revocationVersion().catch(() => -1)) >= 0, 10_000);
      // The restarted server has no persistence: the list is empty, and changes flow again.
      expect((await store.loadRevocations()).entries).toEqual([]);
      const changesBefore = events.filter((e) => e === 'change').length;
      await store.putRevocation(await tokenEntry('after'));
      await waitFor(() => events.filter((e) => e === 'change').length === changesBefore + 1);
    } finally {
      await store.close();
    }
  });
});
