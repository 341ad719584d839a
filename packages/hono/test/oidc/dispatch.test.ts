// Which check decides a token: the identity-provider credential answers only for asymmetric JWTs
// naming its issuer, so database keys are decided exactly as before (checkRequest, as qdrantAuth
// runs it); the verified-token cache shared with database keys.
import {
  authorizeRequest,
  createKeyVerifier,
  createVerifiedTokenCache,
  MESSAGE_INVALID_KEY,
  MESSAGE_NO_KEY,
  signDatabaseKey,
} from '@qdrant-kit/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkRequest, createCredentialIds } from '../../src/index.js';
import {
  createOidcCredentialVerifier,
  createOidcVerifier,
  type OidcVerifier,
  parseAccessMapping,
} from '../../src/oidc/index.js';
import { type KeyServer, startKeyServer } from './key-server.js';
import { makeKey, nowSeconds, type TestKey, sign, signHmac, standardClaims } from './keys.js';

const API_KEY = 'admin-key-0123456789abcdef';
const READ_ONLY_KEY = 'read-only-key-0123456789';
const MAPPING = parseAccessMapping(
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]',
);

let server: KeyServer;
let es: TestKey;
let rsa: TestKey;

beforeAll(async () => {
  [es, rsa] = await Promise.all([makeKey('ES256'), makeKey('RS256')]);
  server = await startKeyServer({ keys: [es.publicJwk, rsa.publicJwk] });
});
afterAll(() => server.close());
beforeEach(() => {
  server.behaviour.jwks = { keys: [es.publicJwk, rsa.publicJwk] };
  server.requests.jwks = 0;
});

/** Counts calls, so a test can tell which verifier decided. */
function counting(oidc: OidcVerifier): OidcVerifier & { calls: number } {
  const wrapped = {
    ...oidc,
    calls: 0,
    verify(token: string) {
      wrapped.calls++;
      return oidc.verify(token);
    },
  };
  return wrapped;
}

function setup(options: { jwtRbac?: boolean; now?: () => number } = {}) {
  const cache = createVerifiedTokenCache();
  const keys = createKeyVerifier({
    apiKey: API_KEY,
    readOnlyApiKey: READ_ONLY_KEY,
    jwtRbac: options.jwtRbac ?? true,
    cache,
    ...(options.now ? { now: options.now } : {}),
  });
  const oidc = counting(
    createOidcVerifier({
      issuer: server.issuer,
      audience: 'qdrant',
      ...(options.now ? { now: options.now } : {}),
    }),
  );
  const credential = createOidcCredentialVerifier({
    oidc,
    access: MAPPING,
    cache,
    ...(options.now ? { now: options.now } : {}),
  });
  const checkOptions = {
    verifier: keys,
    credentials: [credential],
    credentialId: createCredentialIds(),
    maxBufferedBodyBytes: 1 << 20,
  };
  /** What qdrantAuth decides for `GET /collections/tenant-acme` with these headers. */
  const decide = async (headers: Headers, path = '/collections/tenant-acme') => {
    const check = await checkRequest(
      new Request(`http://gateway${path}`, { headers }),
      checkOptions,
      0,
    );
    return check.ok
      ? {
          ok: true as const,
          keyKind: check.keyKind,
          access: check.access,
          issuer: check.issuer,
          subject: check.subject,
        }
      : {
          ok: false as const,
          status: check.status,
          message: check.reason,
          keyKind: check.keyKind,
          issuer: check.issuer,
          detail: check.detail,
        };
  };
  const verifyKey = (token: string, path?: string) => decide(bearer(token), path);
  return { verifier: { verify: decide, verifyKey }, oidc, cache, credential };
}

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const idpClaims = (extra = {}) => standardClaims(server.issuer, { org_id: 'acme', ...extra });

describe('dispatch order', () => {
  it('no key: 401 as the cluster', async () => {
    expect(await setup().verifier.verify(new Headers())).toMatchObject({
      ok: false,
      status: 401,
      message: MESSAGE_NO_KEY,
    });
  });

  it('static keys are decided as before', async () => {
    const { verifier, oidc } = setup();
    expect(await verifier.verify(new Headers({ 'api-key': API_KEY }))).toMatchObject({
      ok: true,
      keyKind: 'api-key',
    });
    expect(await verifier.verify(bearer(READ_ONLY_KEY))).toMatchObject({
      ok: true,
      access: { kind: 'global', mode: 'r' },
    });
    expect(await verifier.verify(bearer('wrong'))).toMatchObject({
      ok: false,
      status: 401,
      message: MESSAGE_INVALID_KEY,
    });
    expect(oidc.calls).toBe(0);
  });

  it('an HS256 token signed with the cluster secret is a database key, whatever its iss', async () => {
    const { verifier, oidc } = setup();
    const token = await signDatabaseKey(API_KEY, {
      access: [{ collection: 'db-only', access: 'r' }],
      ...({ iss: server.issuer, org_id: 'acme' } as object),
    });
    expect(await verifier.verifyKey(token, '/collections/db-only')).toMatchObject({
      ok: true,
      keyKind: 'jwt',
      access: { kind: 'collections', collections: [{ collection: 'db-only', access: 'r' }] },
    });
    expect(oidc.calls).toBe(0);
  });

  it('an HS256 token with the issuer but another secret: 403 InvalidSignature, never the IdP', async () => {
    const { verifier, oidc } = setup();
    const token = await signHmac({ alg: 'HS256', typ: 'JWT' }, idpClaims(), 'attacker-secret');
    expect(await verifier.verifyKey(token)).toMatchObject({
      ok: false,
      status: 403,
      message: 'InvalidSignature',
    });
    expect(oidc.calls).toBe(0);
  });

  it('HS256 with the issuer and jwt_rbac off: 401 as the cluster, never the IdP', async () => {
    const { verifier, oidc } = setup({ jwtRbac: false });
    const token = await signDatabaseKey(API_KEY, { ...({ iss: server.issuer } as object) });
    expect(await verifier.verifyKey(token)).toMatchObject({
      ok: false,
      status: 401,
      message: MESSAGE_INVALID_KEY,
    });
    expect(oidc.calls).toBe(0);
  });

  it('an IdP token gets the mapped access, issuer and subject', async () => {
    const { verifier } = setup();
    const result = await verifier.verify(bearer(await sign(rsa, idpClaims())));
    expect(result).toMatchObject({
      ok: true,
      keyKind: 'oidc',
      issuer: server.issuer,
      subject: 'user-1',
      access: {
        kind: 'collections',
        collections: [
          { collection: 'tenant-acme', access: 'rw' },
          { collection: 'shared-docs', access: 'r' },
        ],
      },
    });
    expect(JSON.stringify(result)).not.toContain('eyJ');
  });

  it('an asymmetric token from another issuer: the cluster 401, the IdP not asked', async () => {
    const { verifier, oidc } = setup();
    const token = await sign(es, standardClaims('https://other.example.com'));
    expect(await verifier.verifyKey(token)).toMatchObject({
      ok: false,
      status: 401,
      message: MESSAGE_INVALID_KEY,
    });
    expect(oidc.calls).toBe(0);
  });

  it('IdP refusals carry the cluster status and message, plus a reason for the log', async () => {
    const { verifier } = setup();
    expect(
      await verifier.verifyKey(await sign(es, idpClaims({ exp: nowSeconds() - 60 }))),
    ).toMatchObject({
      ok: false,
      status: 403,
      message: 'ExpiredSignature',
      detail: 'expired',
      issuer: server.issuer,
    });
    expect(await verifier.verifyKey(await sign(es, idpClaims({ aud: 'x' })))).toMatchObject({
      status: 401,
      message: MESSAGE_INVALID_KEY,
      detail: 'wrong-audience',
    });
  });

  it('an IdP token and a database key with the same access get the same decisions', async () => {
    const { verifier } = setup();
    const idp = await verifier.verifyKey(await sign(es, idpClaims()));
    const db = await verifier.verifyKey(
      await signDatabaseKey(API_KEY, {
        access: [
          { collection: 'tenant-acme', access: 'rw' },
          { collection: 'shared-docs', access: 'r' },
        ],
      }),
    );
    if (!idp.ok || !db.ok || !idp.access || !db.access) throw new Error('both must verify');
    for (const [method, path] of [
      ['GET', '/collections/tenant-acme'],
      ['PUT', '/collections/shared-docs/index'],
      ['GET', '/collections/other'],
      ['DELETE', '/collections/tenant-acme'],
    ] as const)
      expect(authorizeRequest(idp.access, { method, path })).toEqual(
        authorizeRequest(db.access, { method, path }),
      );
  });
});

describe('the shared verified-token cache', () => {
  it('a cached IdP token is not verified again, and is dropped at exp + leeway', async () => {
    let t = Date.now();
    const { verifier, oidc, cache } = setup({ now: () => t });
    const token = await sign(es, idpClaims({ exp: nowSeconds() + 60 }));
    const dbToken = await signDatabaseKey(API_KEY, { exp: nowSeconds() + 3600 });
    expect((await verifier.verifyKey(token)).ok).toBe(true);
    expect((await verifier.verifyKey(dbToken)).ok).toBe(true);
    expect(cache.size).toBe(2);
    expect((await verifier.verifyKey(token)).ok).toBe(true);
    expect(oidc.calls).toBe(1);
    t += 89_000;
    expect((await verifier.verifyKey(token)).ok).toBe(true);
    expect(oidc.calls).toBe(1);
    t += 2_000;
    expect(await verifier.verifyKey(token)).toMatchObject({
      ok: false,
      status: 403,
      message: 'ExpiredSignature',
    });
    expect(oidc.calls).toBe(2);
  });

  it('a cached IdP token whose key left the set is verified again (and refused)', async () => {
    let t = Date.now();
    const { verifier, oidc } = setup({ now: () => t });
    const token = await sign(es, idpClaims({ exp: nowSeconds() + 7200 }));
    expect((await verifier.verifyKey(token)).ok).toBe(true);
    server.behaviour.jwks = { keys: [rsa.publicJwk] };
    t += 11 * 60_000;
    // Stale set: the known key answers while the refresh runs behind it.
    expect((await verifier.verifyKey(token)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(await verifier.verifyKey(token)).toMatchObject({ ok: false, detail: 'unknown-key' });
    expect(oidc.calls).toBe(2);
  });
});
