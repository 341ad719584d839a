// Identity-provider tokens through the whole gateway, configured from its environment: a real
// OpenID Provider (oidc-provider) on loopback issues the tokens, the gateway verifies and maps
// them, and a recording upstream on loopback shows what reaches the cluster (only the hidden key,
// never the IdP's token). Also the start-up checks of the QDRANT_GATEWAY_OIDC_* variables.
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGateway,
  createOidcVerifier,
  GatewayConfigError,
  gatewayConfig,
  parseAccessMapping,
  parseGatewayConfig,
  type RequestLogEntry,
} from '../../src/index.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';
import { AUDIENCE, type IdentityProvider, startIdentityProvider } from './identity-provider.js';

const ADMIN = 'oidc-http-admin-key-0123456789';
const UPSTREAM_KEY = 'oidc-http-upstream-key-0123456789';
const MAPPING =
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]';

let idp: IdentityProvider;
let upstream: RecordingUpstream;
let acme: string;
let globex: string;
const logs: RequestLogEntry[] = [];
let app: ReturnType<typeof createGateway>;

beforeAll(async () => {
  [idp, upstream] = await Promise.all([startIdentityProvider(), startRecordingUpstream()]);
  [acme, globex] = await Promise.all([idp.token('acme-app', 'RS256'), idp.token('globex-app')]);
  const env = {
    QDRANT_UPSTREAM_URL: upstream.url,
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
    QDRANT_GATEWAY_OIDC_ISSUER: idp.issuer,
    QDRANT_GATEWAY_OIDC_AUDIENCE: `other-api, ${AUDIENCE}`,
    QDRANT_GATEWAY_OIDC_ACCESS: MAPPING,
  };
  app = createGateway(parseGatewayConfig(env), { logger: (entry) => logs.push(entry) });
});
afterAll(async () => {
  await idp?.close();
  await upstream?.close();
});

const get = (path: string, token: string, header: 'authorization' | 'api-key' = 'authorization') =>
  app.request(path, {
    headers:
      header === 'authorization' ? { authorization: `Bearer ${token}` } : { 'api-key': token },
  });

describe('identity-provider tokens through the gateway', () => {
  it('its own tenant: forwarded with the hidden key, the IdP token never reaches the cluster', async () => {
    upstream.clear();
    for (const header of ['authorization', 'api-key'] as const) {
      const response = await get('/collections/tenant-acme', acme, header);
      expect(response.status).toBe(200);
    }
    const seen = upstream.find('/collections/tenant-acme');
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.headers['api-key']).toBe(UPSTREAM_KEY);
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain(acme.slice(-20));
    }
  });

  it("another tenant's collection: the cluster's 403, byte for byte as a database key with the same access", async () => {
    upstream.clear();
    const key = await signDatabaseKey(
      ADMIN,
      claimsFor({ access: { 'tenant-acme': 'rw', 'shared-docs': 'r' } }),
    );
    for (const [method, path, body] of [
      ['GET', '/collections/tenant-globex', undefined],
      ['PUT', '/collections/shared-docs/points', '{"points":[]}'],
      ['DELETE', '/collections/tenant-acme', undefined],
      [
        'POST',
        '/collections/tenant-acme/points/query',
        '{"query":[1],"lookup_from":{"collection":"tenant-globex"}}',
      ],
    ] as const) {
      const init = (token: string) => ({
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
      });
      const viaIdp = await app.request(path, init(acme));
      const viaKey = await app.request(path, init(key));
      expect(viaIdp.status, `${method} ${path}`).toBe(403);
      expect(viaIdp.status).toBe(viaKey.status);
      const strip = (text: string) => text.replace(/"time":[0-9.e-]+/, '"time":0');
      expect(strip(await viaIdp.text())).toBe(strip(await viaKey.text()));
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('a tampered, expired-looking or foreign token is refused with the cluster status, nothing forwarded', async () => {
    upstream.clear();
    const [h, , s] = acme.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(acme.split('.')[1] as string, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, org_id: 'globex' })).toString('base64url')}.${s}`;
    const tamperedAnswer = await get('/collections/tenant-globex', tampered);
    expect(tamperedAnswer.status).toBe(403);
    expect(await tamperedAnswer.text()).toBe('InvalidSignature');
    const otherAudience = await createOidcVerifier({ issuer: idp.issuer, audience: 'x' }).verify(
      globex,
    );
    expect(otherAudience.ok).toBe(false);
    const junk = await get('/collections/tenant-acme', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
    expect(junk.status).toBe(401);
    expect(await junk.text()).toBe('Invalid API key or JWT');
    expect(upstream.requests).toHaveLength(0);
  });

  it('each tenant is kept to its own collection', async () => {
    expect((await get('/collections/tenant-globex', globex)).status).toBe(200);
    expect((await get('/collections/tenant-acme', globex)).status).toBe(403);
  });

  it('the log names the issuer and the subject, never the token', async () => {
    logs.length = 0;
    await get('/collections/tenant-acme', acme);
    await get('/collections/tenant-globex', acme);
    const [tampered] = [`${acme.slice(0, acme.lastIndexOf('.'))}.AAAA`];
    await get('/collections/tenant-acme', tampered as string);
    expect(
      logs.map(({ decision, status, keyKind, issuer, subject, reason, detail }) => ({
        decision,
        status,
        keyKind,
        issuer,
        subject,
        reason,
        detail,
      })),
    ).toEqual([
      {
        decision: 'allowed',
        status: 200,
        keyKind: 'oidc',
        issuer: idp.issuer,
        subject: 'acme-app',
        reason: undefined,
        detail: undefined,
      },
      {
        decision: 'denied',
        status: 403,
        keyKind: 'oidc',
        issuer: idp.issuer,
        subject: 'acme-app',
        reason: 'Forbidden: Access to collection tenant-globex is required',
        detail: undefined,
      },
      {
        decision: 'denied',
        status: 403,
        keyKind: 'oidc',
        issuer: idp.issuer,
        subject: undefined,
        reason: 'InvalidSignature',
        detail: 'bad-signature',
      },
    ]);
    const lines = JSON.stringify(logs);
    expect(lines).not.toContain(acme.slice(0, 40));
    expect(lines).not.toContain(acme.split('.')[2]?.slice(0, 20));
  });
});

describe('start-up', () => {
  const base = {
    QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
    QDRANT_GATEWAY_OIDC_ISSUER: 'https://login.example.com/',
    QDRANT_GATEWAY_OIDC_AUDIENCE: 'qdrant',
    QDRANT_GATEWAY_OIDC_ACCESS: '"r"',
  };

  it('is refused without QDRANT_UPSTREAM_API_KEY, with a message naming it', () => {
    const { QDRANT_UPSTREAM_API_KEY: _, ...env } = base;
    expect(() => parseGatewayConfig(env)).toThrow(GatewayConfigError);
    expect(() => parseGatewayConfig(env)).toThrow(
      /QDRANT_GATEWAY_OIDC_ISSUER needs QDRANT_UPSTREAM_API_KEY/,
    );
    // A configuration written by hand is checked again by createGateway.
    const settings = parseGatewayConfig(base).oidc;
    expect(() =>
      createGateway(
        gatewayConfig({ upstreamUrl: 'http://127.0.0.1:6333', apiKey: ADMIN, oidc: settings }),
      ),
    ).toThrow(/QDRANT_UPSTREAM_API_KEY/);
  });

  it('lists every bad variable at once, never a value', () => {
    let message = '';
    try {
      parseGatewayConfig({
        ...base,
        QDRANT_UPSTREAM_URL: 'nope',
        QDRANT_GATEWAY_OIDC_ISSUER: 'http://login.example.com',
        QDRANT_GATEWAY_OIDC_AUDIENCE: '',
        QDRANT_GATEWAY_OIDC_ACCESS: '[{"collection":"a/{org}","access":"rw"}]',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/QDRANT_UPSTREAM_URL/);
    expect(message).toMatch(/QDRANT_GATEWAY_OIDC_ISSUER must be an https/);
    expect(message).not.toContain('login.example.com');
  });

  it('reads the variables into config.oidc; without the issuer the feature is off', () => {
    const config = parseGatewayConfig(base);
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example.com/',
      audiences: ['qdrant'],
      jwksUri: undefined,
    });
    expect(config.oidc?.access.accessFor({})).toEqual(parseAccessMapping('"r"').accessFor({}));
    const {
      QDRANT_GATEWAY_OIDC_ISSUER: _i,
      QDRANT_GATEWAY_OIDC_AUDIENCE: _a,
      QDRANT_GATEWAY_OIDC_ACCESS: _m,
      ...off
    } = base;
    expect(parseGatewayConfig(off).oidc).toBeUndefined();
  });
});
