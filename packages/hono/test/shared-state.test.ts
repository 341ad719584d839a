import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../src/config/gateway.js';
import { createSharedState, parseSharedStateConfig } from '../src/shared-state.js';
import { createInProcessStore } from '../src/state/memory.js';
import { ADMIN_KEY, call, testAuth, testCaller } from './helpers/guarded-app.js';

describe('parseSharedStateConfig', () => {
  it('reads the variables, with defaults', () => {
    expect(parseSharedStateConfig({})).toEqual({
      redisUrl: undefined,
      rateLimit: undefined,
      rateLimitOverrides: undefined,
      revocationMaxStalenessMs: 5000,
    });
    const settings = parseSharedStateConfig({
      QDRANT_GATEWAY_REDIS_URL: 'rediss://user:secret@redis.internal:6380/2',
      QDRANT_GATEWAY_RATE_LIMIT: '6000/min',
      QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES: '{"big":"100/s"}',
      QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS: '2000',
      SOME_BINDING: { not: 'a string' },
    });
    expect(settings.rateLimit).toEqual({ quota: 6000, windowSeconds: 60 });
    expect(settings.rateLimitOverrides?.get('big')).toEqual({ quota: 100, windowSeconds: 1 });
    expect(settings.revocationMaxStalenessMs).toBe(2000);
  });

  it('names every bad variable and never echoes a value', () => {
    let error: unknown;
    try {
      parseSharedStateConfig({
        QDRANT_GATEWAY_REDIS_URL: 'http://secret-host:6379',
        QDRANT_GATEWAY_RATE_LIMIT: 'lots',
        QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES: '{"t":"secret-value"}',
        QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS: '10',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    const issues = (error as GatewayConfigError).issues;
    expect(issues).toHaveLength(4);
    expect(issues.join()).not.toMatch(/secret|lots/);
  });
});

describe('createSharedState', () => {
  it('one guard: revoked keys 401, then the rate limit, admin keys exempt from both', async () => {
    const state = createSharedState({
      store: createInProcessStore(),
      adminKeys: [ADMIN_KEY],
      caller: testCaller,
      rateLimit: { quota: 2, windowSeconds: 60 },
      list: { pollIntervalMs: false },
    });
    await state.start();
    const app = new Hono();
    app.route('/', state.admin);
    app.use('*', testAuth);
    app.use('*', state.guard);
    app.all('*', (c) => c.text('forwarded'));
    await call(app, '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ token: 'leaked' }),
    });
    expect((await call(app, '/x', { key: 'leaked' })).status).toBe(401);
    expect([
      (await call(app, '/x', { key: 'k' })).status,
      (await call(app, '/x', { key: 'k' })).status,
      (await call(app, '/x', { key: 'k' })).status,
    ]).toEqual([200, 200, 429]);
    for (let i = 0; i < 5; i++)
      expect((await call(app, '/x', { key: ADMIN_KEY })).status).toBe(200);
    await state.close();
  });
});
