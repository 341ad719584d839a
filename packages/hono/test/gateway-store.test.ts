// startGatewaySharedState wired into createGateway: the real qdrantAuth, a stand-in upstream
// reached through `fetch`.
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { describe, expect, it } from 'vitest';
import { gatewayConfig, GatewayConfigError } from '../src/config/gateway.js';
import { createGateway } from '../src/gateway.js';
import { startGatewaySharedState } from '../src/state/gateway-store.js';

const ADMIN = 'gateway-store-admin-key-0123';
const config = gatewayConfig({
  upstreamUrl: 'http://upstream.invalid',
  apiKey: ADMIN,
  jwtRbac: true,
  logRequests: false,
});
const forwarded: string[] = [];
const upstream: typeof fetch = async (input) => {
  forwarded.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
  return Response.json({ result: { collections: [] }, status: 'ok', time: 0 });
};

function send(app: ReturnType<typeof createGateway>, path: string, key: string, body?: unknown) {
  return app.fetch(
    new Request(`http://gateway${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'api-key': key, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

describe('startGatewaySharedState', () => {
  it('one process without Redis: revocation and limits in this process, behind qdrantAuth', async () => {
    const shared = await startGatewaySharedState(config, { QDRANT_GATEWAY_RATE_LIMIT: '2/min' });
    const app = createGateway(config, { ...shared.options, fetch: upstream });
    const tenant = await signDatabaseKey(ADMIN, claimsFor({ access: 'm', subject: 'tenant-1' }));
    expect((await send(app, '/collections', tenant)).status).toBe(200);
    // A global-manage JWT signed with the admin key is not an admin key.
    expect((await send(app, '/gateway/v1/revocations', tenant, { subject: 'x' })).status).toBe(403);
    expect(
      (await send(app, '/gateway/v1/revocations', ADMIN, { subject: 'tenant-1' })).status,
    ).toBe(201);
    const refused = await send(app, '/collections', tenant);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/revoked/);
    const other = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'tenant-2' }));
    expect([
      (await send(app, '/collections', other)).status,
      (await send(app, '/collections', other)).status,
      (await send(app, '/collections', other)).status,
    ]).toEqual([200, 200, 429]);
    for (let i = 0; i < 5; i++) expect((await send(app, '/collections', ADMIN)).status).toBe(200);
    expect(forwarded.some((path) => path.startsWith('/gateway'))).toBe(false);
    await shared.close();
  });

  it('several processes without Redis: a rate limit is refused at start, revocations get 503', async () => {
    await expect(
      startGatewaySharedState(config, { QDRANT_GATEWAY_RATE_LIMIT: '5/s' }, { processes: 2 }),
    ).rejects.toBeInstanceOf(GatewayConfigError);
    const shared = await startGatewaySharedState(config, {}, { processes: 2 });
    const app = createGateway(config, { ...shared.options, fetch: upstream });
    const response = await send(app, '/gateway/v1/revocations', ADMIN, { subject: 'x' });
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/QDRANT_GATEWAY_REDIS_URL/);
    expect(forwarded.some((path) => path.startsWith('/gateway'))).toBe(false);
    await shared.close();
  });
});
