// createWorkerHandler(options): the caller's own `routes` / `afterAuth` must add to the
// gateway's shared-state wiring, never replace it (a replaced `afterAuth` would drop the
// revocation check and the rate limit; a replaced `routes` the admin API's own answers).
import { describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../src/worker.js';

const ADMIN = 'redteam-worker-admin-key-0123456789';
const env = {
  QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9',
  QDRANT__SERVICE__API_KEY: ADMIN,
  QDRANT_UPSTREAM_API_KEY: 'redteam-worker-upstream-key-01234567',
  QDRANT_GATEWAY_LOG: 'false',
};

describe('createWorkerHandler options', () => {
  it('own routes keep the revocation API answered by the gateway (503 without the binding), never forwarded', async () => {
    const seen: string[] = [];
    const worker = createWorkerHandler({
      routes: (app) => {
        app.get('/custom/ping', (c) => c.text('pong'));
      },
      afterAuth: [
        async (c, next) => {
          seen.push(c.req.path);
          await next();
        },
      ],
    });
    const admin = await worker.fetch(
      new Request('http://gateway/gateway/v1/revocations', {
        method: 'POST',
        headers: { 'api-key': ADMIN, 'content-type': 'application/json' },
        body: '{"subject":"x"}',
      }),
      env,
    );
    expect(admin.status).toBe(503);
    expect(await admin.text()).toContain('QDRANT_GATEWAY_STATE');
    expect(seen).toEqual([]);
    const custom = await worker.fetch(new Request('http://gateway/custom/ping'), env);
    expect(await custom.text()).toBe('pong');
  });
});
