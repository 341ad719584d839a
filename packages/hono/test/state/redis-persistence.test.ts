// The revocation list lives in Redis: a server that keeps nothing on disk (no AOF, no RDB)
// empties it on restart, and revoked keys are accepted again. The store asks the server at
// start-up (`CONFIG GET appendonly`, `CONFIG GET save`) and warns once when both are off; a
// server that refuses CONFIG (managed Redis) is not reported. Real redis-server on loopback.
import { createClient } from '@redis/client';
import { type RedisServer, startRedisServer, waitFor } from '@qdrant-kit/test-support/redis-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisStore, REDIS_WITHOUT_PERSISTENCE_WARNING } from '../../src/redis.js';
import type { SharedStateStore } from '../../src/state/types.js';
import { subjectEntry } from './contract.js';

const servers: RedisServer[] = [];
const stores: SharedStateStore[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.close();
  for (const server of servers.splice(0)) await server.stop();
});

async function redis(...args: string[]): Promise<RedisServer> {
  const server = await startRedisServer({ args });
  servers.push(server);
  return server;
}

function store(url: string, onWarning?: (message: string) => void): SharedStateStore {
  const created = createRedisStore({ url, onError: () => undefined, onWarning });
  stores.push(created);
  return created;
}

/** A field of the server's `INFO <section>` (e.g. `cmdstat_config|get`), read by another client. */
async function info(url: string, section: string, field: string): Promise<string | undefined> {
  const client = createClient({ url });
  await client.connect();
  try {
    const text = await client.info(section);
    return text
      .split('\r\n')
      .find((line) => line.startsWith(`${field}:`))
      ?.slice(field.length + 1);
  } finally {
    client.destroy();
  }
}

/** Calls of `CONFIG GET` the server has answered. */
async function configGets(url: string): Promise<number> {
  const stat = await info(url, 'commandstats', 'cmdstat_config|get');
  return Number(/calls=(\d+)/.exec(stat ?? '')?.[1] ?? 0);
}

describe('Redis persistence at start-up', () => {
  it("warns once, on console.warn, for a server started with --save '' --appendonly no", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const server = await redis();
    const s = store(server.url);
    await waitFor(() => warn.mock.calls.length > 0);
    expect(warn.mock.calls).toEqual([[REDIS_WITHOUT_PERSISTENCE_WARNING]]);
    expect(REDIS_WITHOUT_PERSISTENCE_WARNING).not.toContain('\n');
    expect(REDIS_WITHOUT_PERSISTENCE_WARNING).toMatch(/revocation list/);
    // A restart (the very case warned of) does not repeat it: one line per start-up.
    await server.kill();
    await server.start();
    await waitFor(async () => (await s.revocationVersion().catch(() => -1)) === 0, 10_000);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['AOF', ['--appendonly', 'yes']],
    ['RDB snapshots', ['--save', '3600 1']],
  ])('says nothing with %s on', async (_, args) => {
    const server = await redis(...args);
    const onWarning = vi.fn();
    const s = store(server.url, onWarning);
    // Both answers were read by the store: only then is its silence meaningful.
    await waitFor(async () => (await configGets(server.url)) >= 2);
    await waitFor(async () => (await s.revocationVersion().catch(() => -1)) === 0);
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('a server that refuses CONFIG (managed Redis) is used as usual, without a warning', async () => {
    const server = await redis('--rename-command', 'CONFIG', '');
    const onWarning = vi.fn();
    const onError = vi.fn();
    const s = createRedisStore({ url: server.url, onError, onWarning });
    stores.push(s);
    // The refused CONFIG GET shows up in the server's error counts.
    await waitFor(
      async () => Number((await info(server.url, 'errorstats', 'errorstat_ERR'))?.length) > 0,
    );
    await waitFor(async () => (await s.revocationVersion().catch(() => -1)) === 0);
    await s.putRevocation(await subjectEntry('tenant-1'));
    expect(await s.revocationVersion()).toBe(1);
    expect(onWarning).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });
});
