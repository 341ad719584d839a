// Identity-provider subjects and database-key subjects are two namespaces: the IdP picks its
// users' `sub`, the operator those of database keys, so an IdP user named like a tenant must
// get neither the tenant's budget, nor its override, nor its revocations.
import { signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createGateway } from '../src/index.js';
import { type KeyServer, startKeyServer } from './oidc/key-server.js';
import { type OidcStateGatewayOptions, oidcStateGateway } from './helpers/oidc-state-gateway.js';
import { recordingForwarder } from './helpers/stub-forwarder.js';
import { makeKey, sign, standardClaims, type TestKey } from './oidc/keys.js';

const ADMIN = 'namespaces-admin-key-0123456789abcdef';
const UPSTREAM_KEY = 'namespaces-upstream-key-0123456789ab';
const MAPPING = '[{"collection":"tenant-{org_id}","access":"rw"}]';

const { forwarder } = recordingForwarder();

let server: KeyServer;
let key: TestKey;

beforeAll(async () => {
  key = await makeKey('ES256');
  server = await startKeyServer({ keys: [key.publicJwk] });
});
afterAll(async () => {
  await server?.close();
});

const gatewayWith = (options: Pick<OidcStateGatewayOptions, 'rateLimit' | 'overrides'>) =>
  oidcStateGateway({
    issuer: server.issuer,
    adminKey: ADMIN,
    upstreamKey: UPSTREAM_KEY,
    mapping: MAPPING,
    forwarder,
    ...options,
  });

const idpToken = (sub: string) => sign(key, standardClaims(server.issuer, { org_id: 'acme', sub }));
const databaseKey = (sub: string) =>
  signDatabaseKey(ADMIN, { subject: sub, access: [{ collection: 'tenant-acme', access: 'rw' }] });
const statusOf = async (app: ReturnType<typeof createGateway>, token: string) =>
  (await app.request('/collections/tenant-acme', { headers: { authorization: `Bearer ${token}` } }))
    .status;

describe('identity-provider subjects are not database-key subjects', () => {
  it("an IdP user whose sub is a tenant's name does not get the tenant's unlimited override", async () => {
    const { app, state } = await gatewayWith({
      rateLimit: { quota: 2, windowSeconds: 3600 },
      overrides: { 'tenant-a': null },
    });
    try {
      const tenant = await databaseKey('tenant-a');
      const user = await idpToken('tenant-a');
      for (let i = 0; i < 5; i++) expect(await statusOf(app, tenant)).toBe(200);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await statusOf(app, user));
      expect(answers).toEqual([200, 200, 429, 429]);
    } finally {
      await state.close();
    }
  });

  it("an IdP user does not spend a tenant's budget, and an oidc: override names the IdP user", async () => {
    const { app, state } = await gatewayWith({
      overrides: {
        'tenant-b': { quota: 2, windowSeconds: 3600 },
        'oidc:tenant-b': { quota: 1, windowSeconds: 3600 },
      },
    });
    try {
      const user = await idpToken('tenant-b');
      expect([await statusOf(app, user), await statusOf(app, user)]).toEqual([200, 429]);
      const tenant = await databaseKey('tenant-b');
      expect([await statusOf(app, tenant), await statusOf(app, tenant)]).toEqual([200, 200]);
      expect(await statusOf(app, tenant)).toBe(429);
    } finally {
      await state.close();
    }
  });

  it("revoking a tenant's subject leaves an IdP user of that sub alone; oidc:<sub> revokes the user", async () => {
    const { app, state } = await gatewayWith({});
    const revoke = (subject: string) =>
      app.request('/gateway/v1/revocations', {
        method: 'POST',
        headers: { 'api-key': ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ subject }),
      });
    try {
      const tenant = await databaseKey('tenant-c');
      const user = await idpToken('tenant-c');
      expect((await revoke('tenant-c')).status).toBe(201);
      expect(await statusOf(app, tenant)).toBe(401);
      expect(await statusOf(app, user)).toBe(200);
      expect((await revoke('oidc:tenant-c')).status).toBe(201);
      expect(await statusOf(app, user)).toBe(401);
      expect(await statusOf(app, await databaseKey('oidc:tenant-c'))).toBe(401);
    } finally {
      await state.close();
    }
  });
});
