import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/rate-limit/limiter.js';
import { createInProcessStore } from '../../src/state/memory.js';
import { flakyStore } from '../helpers/flaky-store.js';
import { call, guardedApp } from '../helpers/guarded-app.js';

describe('RateLimiter', () => {
  it('spends leased tokens locally: a hot key costs one store call per lease', async () => {
    const store = flakyStore(createInProcessStore());
    const limiter = new RateLimiter({ store });
    const policy = { quota: 100, windowSeconds: 1 };
    let allowed = 0;
    for (let i = 0; i < 50; i++) if ((await limiter.take('hot', policy)).allowed) allowed += 1;
    expect(allowed).toBe(50);
    // Leases of 5 at 100/s, the next one asked for when half of one is spent.
    expect(store.calls).toBeGreaterThanOrEqual(10);
    expect(store.calls).toBeLessThanOrEqual(11);
  });

  it('once the bucket is empty, refuses here without asking the store until a token is due', async () => {
    let now = 1_000_000;
    const store = flakyStore(createInProcessStore({ now: () => now }));
    const limiter = new RateLimiter({ store, now: () => now });
    const policy = { quota: 5, windowSeconds: 1 };
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await limiter.take('k', policy));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    const refused = results[7];
    expect(refused).toMatchObject({ allowed: false });
    expect(refused?.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(200);
    const callsWhenEmpty = store.calls;
    await limiter.take('k', policy);
    expect(store.calls).toBe(callsWhenEmpty);
    now += 200;
    expect((await limiter.take('k', policy)).allowed).toBe(true);
  });

  it('concurrent requests of one key share store calls and never exceed the bucket', async () => {
    const store = flakyStore(createInProcessStore());
    const limiter = new RateLimiter({ store });
    const policy = { quota: 5, windowSeconds: 3600 };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => limiter.take('k', policy)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(store.calls).toBeLessThanOrEqual(3);
  });

  it('fails open (logged) when the store is unreachable, and checks again later', async () => {
    let now = 1_000_000;
    const store = flakyStore(createInProcessStore({ now: () => now }));
    const logged: string[] = [];
    const limiter = new RateLimiter({ store, now: () => now, onError: (m) => logged.push(m) });
    const policy = { quota: 1, windowSeconds: 3600 };
    expect((await limiter.take('k', policy)).allowed).toBe(true);
    expect((await limiter.take('k', policy)).allowed).toBe(false);
    store.down = true;
    now += 3_600_000;
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => limiter.take('other', policy)),
    );
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(logged.join()).toMatch(/unreachable.*letting requests through/);
    const callsWhileDown = store.calls;
    await limiter.take('other', policy);
    expect(store.calls).toBe(callsWhileDown);
    store.down = false;
    now += 1001;
    expect((await limiter.take('other', policy)).allowed).toBe(true);
    expect((await limiter.take('other', policy)).allowed).toBe(false);
  });
});

describe('rateLimit middleware', () => {
  it('429 with Retry-After, RateLimit-Policy and RateLimit, in the cluster JSON shape', async () => {
    const { app } = await guardedApp(createInProcessStore(), {
      policy: { quota: 2, windowSeconds: 60 },
    });
    expect((await call(app, '/collections', { key: 'k1' })).status).toBe(200);
    expect((await call(app, '/collections', { key: 'k1' })).status).toBe(200);
    const refused = await call(app, '/collections', { key: 'k1' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60');
    expect(refused.headers.get('ratelimit')).toBe('"default";r=0;t=30');
    expect(refused.headers.get('content-type')).toBe('application/json');
    expect(await refused.json()).toEqual({
      status: {
        error:
          'Rate limiting exceeded: request rate limit of 2/min exceeded for this key. Retry after 30s',
      },
      time: 0,
    });
    // Another token has its own budget; admin keys none at all.
    expect((await call(app, '/collections', { key: 'k2' })).status).toBe(200);
  });

  it('keys of one subject share its budget; overrides give a subject its own limit or none', async () => {
    const { app } = await guardedApp(createInProcessStore(), {
      policy: { quota: 2, windowSeconds: 60 },
      overrides: new Map([
        ['big-tenant', { quota: 4, windowSeconds: 60 }],
        ['internal', null],
      ]),
    });
    const statuses = async (subject: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++)
        out.push((await call(app, '/x', { key: `key-${i}`, subject })).status);
      return out;
    };
    expect(await statuses('small-tenant', 3)).toEqual([200, 200, 429]);
    expect(await statuses('big-tenant', 5)).toEqual([200, 200, 200, 200, 429]);
    const big = await call(app, '/x', { key: 'k', subject: 'big-tenant' });
    expect(big.headers.get('ratelimit-policy')).toBe('"subject";q=4;w=60');
    expect(await statuses('internal', 10)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 5; i++)
      expect((await call(app, '/x', { key: 'admin-key-0123456789' })).status).toBe(200);
  });
});
