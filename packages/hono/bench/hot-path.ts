// The per-request cost of the revocation check and the rate limit, in process (no HTTP): a
// Hono app whose stand-in authentication sets the caller, with both middleware off, on the
// in-process store, and on a real redis-server. 1000 revoked tokens and 1000 revoked subjects
// are on the list; 1000 callers take turns, 32 requests in flight; the limit never refuses.
import { Hono } from 'hono';
import { revocationId, sha256Hex } from '../src/revocation/entry.js';
import { createSharedState, type SharedState } from '../src/shared-state.js';
import type { CallerReader } from '../src/state/caller.js';
import { createInProcessStore } from '../src/state/memory.js';
import { createRedisStore } from '../src/state/redis.js';
import type { SharedStateStore } from '../src/state/types.js';
import { startRedisServer } from '@qdrant-kit/test-support/redis-server';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 32;
const CALLERS = 1000;

// What qdrantAuth leaves on the context: the credential id (SHA-256 of the token) and subject.
const credentialIds = new Map<string, string>();
const caller: CallerReader = (c) => {
  const token = c.req.header('api-key');
  if (token === undefined) return undefined;
  const credentialId = credentialIds.get(token) ?? '';
  return { credentialId, subject: c.req.header('x-subject'), admin: false };
};

function app(state: SharedState | undefined): Hono {
  const hono = new Hono();
  if (state) hono.use('*', state.guard);
  hono.all('*', (c) => c.text('ok'));
  return hono;
}

const requests = Array.from({ length: CALLERS }, (_, i) => ({
  'api-key': `eyJhbGciOiJIUzI1NiJ9.caller-${i}.signature-${i}`,
  'x-subject': `tenant-${i % 100}`,
}));

for (const headers of requests) {
  credentialIds.set(headers['api-key'], await sha256Hex(headers['api-key']));
}

async function measure(hono: Hono): Promise<{ perSecond: number; p99: number; p50: number }> {
  const latencies = new Float64Array(REQUESTS);
  let next = 0;
  let failures = 0;
  const startedAt = performance.now();
  async function lane(): Promise<void> {
    while (next < REQUESTS) {
      const i = next++;
      const t = performance.now();
      const response = await hono.fetch(
        new Request('http://gateway/collections', { headers: requests[i % CALLERS] }),
      );
      if (response.status !== 200) failures += 1;
      await response.arrayBuffer();
      latencies[i] = performance.now() - t;
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const seconds = (performance.now() - startedAt) / 1000;
  if (failures > 0) throw new Error(`${failures} requests were refused`);
  latencies.sort();
  return {
    perSecond: REQUESTS / seconds,
    p50: latencies[Math.floor(REQUESTS * 0.5)] ?? 0,
    p99: latencies[Math.floor(REQUESTS * 0.99)] ?? 0,
  };
}

async function revokeMany(store: SharedStateStore): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const tokenHash = await sha256Hex(`revoked-token-${i}`);
    await store.putRevocation({
      tokenHash,
      id: await revocationId({ tokenHash }),
      createdAt: Date.now(),
    });
    const subject = `revoked-tenant-${i}`;
    await store.putRevocation({
      subject,
      id: await revocationId({ subject }),
      createdAt: Date.now(),
    });
  }
}

async function guarded(store: SharedStateStore): Promise<SharedState> {
  await revokeMany(store);
  const state = createSharedState({
    store,
    adminKeys: [],
    caller,
    rateLimit: { quota: 1_000_000_000, windowSeconds: 1 },
  });
  await state.start();
  if (!state.list.isLoaded) throw new Error('the list did not load');
  return state;
}

const redis = await startRedisServer();
try {
  const memory = await guarded(createInProcessStore());
  const redisStore = createRedisStore({ url: redis.url });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const onRedis = await guarded(redisStore);
  const apps = { off: app(undefined), 'in-process': app(memory), redis: app(onRedis) };
  // Warm-up, then the measured runs interleaved, ROUNDS times, to even out the machine's noise;
  // the median of each is printed.
  for (const hono of Object.values(apps)) await measure(hono);
  const results: Record<string, Array<{ perSecond: number; p99: number; p50: number }>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, hono] of Object.entries(apps)) {
      const runs = results[name] ?? [];
      runs.push(await measure(hono));
      results[name] = runs;
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const best = (name: string) => {
    const runs = results[name] ?? [];
    return {
      perSecond: median(runs.map((r) => r.perSecond)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
    };
  };
  const off = best('off');
  console.log(
    `hot path, median of ${ROUNDS} interleaved runs of ${REQUESTS} requests, ${IN_FLIGHT} in flight, ${CALLERS} callers, 2000 entries revoked`,
  );
  console.log(
    'setup               req/s      ratio   added µs/req   p50 ms   p99 ms   added p99 ms',
  );
  for (const name of Object.keys(apps)) {
    const r = best(name);
    console.log(
      `${name.padEnd(18)} ${Math.round(r.perSecond).toString().padStart(8)}   ${(r.perSecond / off.perSecond).toFixed(2)}x   ${((1 / r.perSecond - 1 / off.perSecond) * 1e6).toFixed(1).padStart(12)}   ${r.p50.toFixed(3).padStart(6)}   ${r.p99.toFixed(3).padStart(6)}   ${(r.p99 - off.p99).toFixed(3).padStart(6)}`,
    );
  }
  await memory.close();
  await onRedis.close();
} finally {
  await redis.stop();
}
