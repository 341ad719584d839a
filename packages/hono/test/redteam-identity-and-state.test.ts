// Red-team of identity-provider tokens, revocation and rate limits through the whole gateway
// (createGateway + shared state on the in-process store, a key server on loopback for the IdP's
// keys, a recording forwarder standing in for the cluster). In key-hiding mode the gateway's
// decision is the only check, so each case asks: does anything reach the upstream that the
// gateway should have refused?
import { signDatabaseKey } from '@qdrant-kit/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createCredentialIds,
  createGateway,
  createSharedState,
  gatewayCaller,
  parseGatewayConfig,
  type SharedState,
  sharedStateGatewayOptions,
} from '../src/index.js';
import { createOidcVerifier, parseAccessMapping } from '../src/oidc/index.js';
import { revocationAdmin } from '../src/revocation/admin.js';
import { sha256Hex } from '../src/revocation/entry.js';
import { RevocationList } from '../src/revocation/list.js';
import { createInProcessStore } from '../src/state/memory.js';
import { canonicalTokenText } from '../src/token-text.js';
import { recordingForwarder } from './helpers/stub-forwarder.js';
import { type KeyServer, startKeyServer } from './oidc/key-server.js';
import {
  b64url,
  makeKey,
  sign,
  signHmac,
  signRaw,
  standardClaims,
  type TestKey,
} from './oidc/keys.js';

const ADMIN = 'redteam-admin-key-0123456789abcdef';
const ALT_ADMIN = 'redteam-alt-admin-key-0123456789ab';
const UPSTREAM_KEY = 'redteam-upstream-key-0123456789abc';
const MAPPING = '[{"collection":"tenant-{org_id}","access":"rw"}]';

let server: KeyServer;
let es: TestKey;
let rsa: TestKey;
let ed: TestKey;

const { forwarder, forwarded } = recordingForwarder();

let state: SharedState;
let app: ReturnType<typeof createGateway>;

beforeAll(async () => {
  [es, rsa, ed] = await Promise.all([makeKey('ES256'), makeKey('RS256'), makeKey('EdDSA')]);
  server = await startKeyServer({ keys: [es.publicJwk, rsa.publicJwk, ed.publicJwk] });
  const config = parseGatewayConfig({
    QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9',
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT__SERVICE__ALT_API_KEY: ALT_ADMIN,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
    QDRANT_GATEWAY_OIDC_ISSUER: server.issuer,
    QDRANT_GATEWAY_OIDC_AUDIENCE: 'qdrant',
    QDRANT_GATEWAY_OIDC_ACCESS: MAPPING,
  });
  state = createSharedState({
    store: createInProcessStore(),
    adminKeys: [ADMIN, ALT_ADMIN],
    caller: gatewayCaller,
    rateLimit: { quota: 3, windowSeconds: 3600 },
  });
  await state.start();
  app = createGateway(config, { forwarder, ...sharedStateGatewayOptions(state) });
});
afterAll(async () => {
  await state?.close();
  await server?.close();
});
beforeEach(() => {
  forwarded.length = 0;
});

const idpToken = (extra = {}, key: TestKey = es) =>
  sign(key, standardClaims(server.issuer, { org_id: 'acme', ...extra }));

const get = (path: string, headers: Record<string, string>) => app.request(path, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function revoke(body: Record<string, unknown>, key = ADMIN): Promise<Response> {
  return app.request('/gateway/v1/revocations', {
    method: 'POST',
    headers: { 'api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same signature bytes written differently: the last base64url character with its unused
 * low bits set. A lenient decoder reads the same bytes; the token text (and its SHA-256) differs.
 */
function withTrailingBits(token: string): string {
  const last = token.at(-1) as string;
  const index = ALPHABET.indexOf(last);
  const signature = token.slice(token.lastIndexOf('.') + 1);
  // 86 characters for a 64-byte ES256 signature: 4 unused bits; 342 for RS256 (256 bytes): 4.
  const unusedBits = (signature.length * 6) % 8;
  expect(unusedBits).toBeGreaterThan(0);
  const variant = ALPHABET[index | 1] as string;
  expect(variant).not.toBe(last);
  return token.slice(0, -1) + variant;
}

describe('identity-provider tokens: one token, one text', () => {
  it('a signature with non-zero trailing bits is refused (a revoked token cannot be re-sent as a variant)', async () => {
    const token = await idpToken();
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    for (const key of [es, rsa]) {
      const variant = withTrailingBits(await idpToken({}, key));
      const response = await get('/collections/tenant-acme', bearer(variant));
      expect(response.status).toBe(401);
    }
    expect(forwarded).toHaveLength(1);
  });

  it('a revoked IdP token stays revoked in every spelling and transport', async () => {
    const token = await idpToken({ sub: 'variant-user' });
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    expect((await revoke({ token })).status).toBe(201);
    const attempts: Record<string, string>[] = [
      bearer(token),
      { 'api-key': token },
      { 'api-key': ` ${token} ` },
      bearer(withTrailingBits(token)),
      { 'api-key': withTrailingBits(token) },
      { authorization: `bearer ${token}` },
      { authorization: `Bearer  ${token}` },
    ];
    for (const headers of attempts) {
      const response = await get('/collections/tenant-acme', headers);
      expect(response.status, JSON.stringify(Object.keys(headers))).toBeGreaterThanOrEqual(401);
    }
    expect(forwarded).toHaveLength(1);
  });

  it('a database-key JWT with non-zero trailing bits is refused too (core decodes strictly)', async () => {
    const key = await signDatabaseKey(ADMIN, {
      access: [{ collection: 'tenant-acme', access: 'r' }],
    });
    expect((await get('/collections/tenant-acme', { 'api-key': key })).status).toBe(200);
    const variant = `${key.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(key.at(-1) as string) | 1]}`;
    // src/common/auth/jwt_parser.rs: a signature the base64 crate cannot decode is a 401.
    expect((await get('/collections/tenant-acme', { 'api-key': variant })).status).toBe(401);
  });
});

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The other valid spelling of an ES256 signature: (r, n - s). */
function otherHalf(token: string): string {
  const dot = token.lastIndexOf('.');
  const bytes = Buffer.from(token.slice(dot + 1), 'base64url');
  expect(bytes).toHaveLength(64);
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
  return `${token.slice(0, dot + 1)}${Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')}`;
}

describe('identity-provider tokens: ECDSA signatures have two spellings', () => {
  it('revoking one spelling revokes the other (both verify: one credential id)', async () => {
    const token = await idpToken({ sub: 'malleable-user' });
    const twin = otherHalf(token);
    expect(twin).not.toBe(token);
    // Both are valid signatures of the same claims: the IdP's token, and its twin.
    expect((await get('/collections/tenant-acme', bearer(twin))).status).toBe(200);
    expect((await revoke({ token })).status).toBe(201);
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(401);
    expect((await get('/collections/tenant-acme', bearer(twin))).status).toBe(401);
    const other = await idpToken({ sub: 'malleable-user-2' });
    expect((await revoke({ token: otherHalf(other) })).status).toBe(201);
    expect((await get('/collections/tenant-acme', bearer(other))).status).toBe(401);
  });

  it('the twin of a subject-less token shares its rate-limit budget', async () => {
    const token = await idpToken({ sub: undefined, jti: 'twin-budget' });
    const twin = otherHalf(token);
    const statuses: number[] = [];
    for (const t of [token, twin, token, twin])
      statuses.push((await get('/collections/tenant-acme', bearer(t))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('canonicalTokenText', () => {
  it('maps both ES384 spellings to one text and leaves other tokens alone', async () => {
    const p384 = await makeKey('ES384');
    const token = await sign(p384, standardClaims(server.issuer));
    const order =
      0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;
    const dot = token.lastIndexOf('.');
    const bytes = Buffer.from(token.slice(dot + 1), 'base64url');
    const s = BigInt(`0x${bytes.subarray(48).toString('hex')}`);
    const flipped = Buffer.from((order - s).toString(16).padStart(96, '0'), 'hex');
    const twin = `${token.slice(0, dot + 1)}${Buffer.concat([bytes.subarray(0, 48), flipped]).toString('base64url')}`;
    expect(canonicalTokenText(twin)).toBe(canonicalTokenText(token));
    expect([token, twin]).toContain(canonicalTokenText(token));
    for (const other of ['static-key', 'a.b', 'a.b.c.d', '..', await idpToken({}, rsa)])
      expect(canonicalTokenText(other)).toBe(other);
  });
});

describe('RSA and Ed25519 signatures have one value', () => {
  it('RS256 with s + n and Ed25519 with S + L are refused (only ECDSA needs the low-s id)', async () => {
    const rsaToken = await idpToken({}, rsa);
    const ed25519Token = await idpToken({}, ed);
    for (const token of [rsaToken, ed25519Token])
      expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    forwarded.length = 0;
    const dot = (t: string) => t.lastIndexOf('.');
    // RSA: the signature as a big-endian integer plus the modulus, when it still fits.
    const sig = Buffer.from(rsaToken.slice(dot(rsaToken) + 1), 'base64url');
    const n = BigInt(`0x${Buffer.from(rsa.publicJwk.n as string, 'base64url').toString('hex')}`);
    const bigger = BigInt(`0x${sig.toString('hex')}`) + n;
    const hex = bigger.toString(16);
    if (hex.length <= sig.length * 2) {
      const variant = `${rsaToken.slice(0, dot(rsaToken) + 1)}${Buffer.from(hex.padStart(sig.length * 2, '0'), 'hex').toString('base64url')}`;
      expect([401, 403]).toContain((await get('/collections/tenant-acme', bearer(variant))).status);
    }
    // Ed25519: S (little-endian, the last 32 bytes) plus the group order L.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const edSig = Buffer.from(ed25519Token.slice(dot(ed25519Token) + 1), 'base64url');
    let S = 0n;
    for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(edSig[i] as number);
    let big = S + L;
    const out = Buffer.from(edSig);
    for (let i = 32; i < 64; i++) {
      out[i] = Number(big & 0xffn);
      big >>= 8n;
    }
    const edVariant = `${ed25519Token.slice(0, dot(ed25519Token) + 1)}${out.toString('base64url')}`;
    expect([401, 403]).toContain((await get('/collections/tenant-acme', bearer(edVariant))).status);
    expect(forwarded).toHaveLength(0);
  });
});

describe('identity-provider tokens: alg and header confusion', () => {
  it('HS256 with the IdP issuer, signed with the RSA key modulus or the upstream key: refused', async () => {
    const claims = standardClaims(server.issuer, { org_id: 'acme', access: 'm' });
    const n = Buffer.from(rsa.publicJwk.n as string, 'base64url');
    for (const secret of [n, rsa.publicJwk.n as string, UPSTREAM_KEY, 'x']) {
      const token = await signHmac({ alg: 'HS256', kid: rsa.kid }, claims, secret);
      expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(403);
    }
    expect(forwarded).toHaveLength(0);
  });

  it('an embedded jwk / jku / x5u header never supplies the key', async () => {
    const attacker = await makeKey('ES256');
    for (const header of [
      { jwk: attacker.publicJwk },
      { jku: `${server.issuer}/evil` },
      { x5u: `${server.issuer}/evil` },
    ]) {
      // Signed by the attacker, kid of the attacker (unknown) or of the real key.
      for (const kid of [attacker.kid, es.kid]) {
        const token = await sign(
          { ...attacker, kid },
          standardClaims(server.issuer, { org_id: 'acme' }),
          { header },
        );
        const status = (await get('/collections/tenant-acme', bearer(token))).status;
        expect([401, 403]).toContain(status);
      }
    }
    expect(forwarded).toHaveLength(0);
  });

  it('claims of odd types never grant: aud, exp, nbf, org_id', async () => {
    const cases: Record<string, unknown>[] = [
      { aud: [] },
      { aud: '' },
      { aud: ['qdrant '] },
      { aud: 1 },
      { exp: `${Math.floor(Date.now() / 1000) + 300}` },
      { nbf: 'yesterday' },
      { iss: `${server.issuer}/` },
      { org_id: ['acme'] },
      { org_id: { toString: 'acme' } },
    ];
    for (const extra of cases) {
      const token = await signRaw(
        es,
        { alg: 'ES256', kid: es.kid },
        { ...standardClaims(server.issuer, { org_id: 'acme' }), ...extra },
      );
      const status = (await get('/collections/tenant-acme', bearer(token))).status;
      expect(status, JSON.stringify(extra)).toBeGreaterThanOrEqual(401);
    }
    expect(forwarded).toHaveLength(0);
  });

  it('a claim with "/", "..", "{" or "%2F" never names another collection', async () => {
    for (const org of ['acme/../other', '..', 'x%2F..%2Fother', '{org_id}', 'acme\u0000']) {
      const token = await idpToken({ org_id: org });
      for (const path of ['/collections/tenant-acme', '/collections/other']) {
        const status = (await get(path, bearer(token))).status;
        expect(status, `${org} ${path}`).toBe(403);
      }
    }
    expect(forwarded).toHaveLength(0);
  });

  it('an oversized token is refused without a 5xx', async () => {
    const token = await idpToken({ pad: 'x'.repeat(20_000) });
    const status = (await get('/collections/tenant-acme', bearer(token))).status;
    expect(status).toBeGreaterThanOrEqual(401);
    expect(status).toBeLessThan(500);
  });

  it('crit headers: an unknown extension and an unencoded payload (b64: false) are refused', async () => {
    const claims = standardClaims(server.issuer, { org_id: 'acme' });
    const unknown = await signRaw(
      es,
      { alg: 'ES256', kid: es.kid, crit: ['x-bypass'], 'x-bypass': true },
      claims,
    );
    expect((await get('/collections/tenant-acme', bearer(unknown))).status).toBe(401);
    // An RFC 7797 token: the payload segment is the raw JSON, signed as it is.
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: es.kid, b64: false, crit: ['b64'] }));
    const payload = JSON.stringify(claims);
    const signature = new Uint8Array(
      await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        es.privateKey,
        new TextEncoder().encode(`${header}.${payload}`),
      ),
    );
    const unencoded = `${header}.${payload}.${b64url(signature)}`;
    expect((await get('/collections/tenant-acme', bearer(unencoded))).status).toBe(401);
    expect(forwarded).toHaveLength(0);
  });

  it('a far-future exp (1e300) is accepted without a 5xx and can still be revoked', async () => {
    const token = await signRaw(
      es,
      { alg: 'ES256', kid: es.kid },
      standardClaims(server.issuer, { org_id: 'acme', sub: 'far-future', exp: 1e300 }),
    );
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    expect((await revoke({ token })).status).toBe(201);
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(401);
  });
});

describe('claims to access: prototype names and the subject the decision used', () => {
  it('a template naming an inherited property grants nothing unless the token has that claim', () => {
    const mapping = parseAccessMapping(
      '[{"collection":"t-{constructor}","access":"rw"},{"collection":"u-{__proto__}","access":"rw"},{"collection":"v-{toString}","access":"r"}]',
    );
    expect(mapping.accessFor({})).toEqual({ kind: 'collections', collections: [] });
    const own = JSON.parse('{"__proto__":"x","constructor":{"name":"y"}}') as Record<
      string,
      unknown
    >;
    expect(mapping.accessFor(own)).toEqual({
      kind: 'collections',
      collections: [{ collection: 'u-x', access: 'rw' }],
    });
  });

  it('revocation and rate limits key on `sub` (what the decision names), not a `subject` claim', async () => {
    const token = await idpToken({ sub: 'sub-claim-user', subject: 'other-subject' });
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    expect((await revoke({ subject: 'other-subject' })).status).toBe(201);
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(200);
    expect((await revoke({ subject: 'oidc:sub-claim-user' })).status).toBe(201);
    expect((await get('/collections/tenant-acme', bearer(token))).status).toBe(401);
    expect((await get('/collections/tenant-acme', { 'api-key': token })).status).toBe(401);
  });

  it('with both headers the api-key decides, as on the cluster: a revoked api-key cannot hide behind a good Bearer', async () => {
    const revoked = await idpToken({ sub: 'both-headers-revoked' });
    const good = await idpToken({ sub: 'both-headers-good' });
    expect((await revoke({ token: revoked })).status).toBe(201);
    const status = (
      await get('/collections/tenant-acme', { 'api-key': revoked, authorization: `Bearer ${good}` })
    ).status;
    expect(status).toBe(401);
  });
});

describe('revocation entries outlive every verifier that could accept the token', () => {
  it('an IdP verifier with 300 s leeway still refuses a revoked token after its exp', async () => {
    let now = Date.now();
    const store = createInProcessStore({ now: () => now });
    const list = new RevocationList({ store, now: () => now, onError: () => undefined });
    await list.start();
    const admin = revocationAdmin({ store, list, adminKeys: [ADMIN], now: () => now });
    const oidc = createOidcVerifier({
      issuer: server.issuer,
      audience: 'qdrant',
      clockToleranceSeconds: 300,
      now: () => now,
    });
    const exp = Math.floor(now / 1000) + 60;
    const token = await sign(es, standardClaims(server.issuer, { org_id: 'acme', exp }));
    const created = await admin.request('/gateway/v1/revocations', {
      method: 'POST',
      headers: { 'api-key': ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(created.status).toBe(201);
    const { result } = (await created.json()) as { result: { until: string } };
    expect(Date.parse(result.until)).toBeGreaterThan((exp + 300) * 1000);
    // 200 s past exp: inside this verifier's leeway, so the token is still good to it...
    now = (exp + 200) * 1000;
    expect((await oidc.verify(token)).ok).toBe(true);
    // ...and the entry must still be in force.
    await list.refresh();
    // The id qdrantAuth computes (an ECDSA signature is hashed in its low-s spelling).
    expect(list.check(await createCredentialIds()(token), undefined)).toBe('revoked');
    list.close();
  });
});

describe('revocation admin API: only the admin keys, never forwarded', () => {
  it('an access "m" database JWT and an IdP token may not call it', async () => {
    const manage = await signDatabaseKey(ADMIN, { access: 'm' });
    expect((await revoke({ subject: 'x' }, manage)).status).toBe(403);
    const idp = await idpToken();
    expect((await revoke({ subject: 'x' }, idp)).status).toBe(403);
    expect((await revoke({ subject: 'x' }, ALT_ADMIN)).status).toBe(201);
  });

  it('path variants are answered by the gateway or forwarded without reaching admin', async () => {
    const variants = [
      '/gateway/v1/revocations/',
      '//gateway/v1/revocations',
      '/gateway//v1/revocations',
      '/Gateway/v1/revocations',
      '/gateway/v1/revocations%2F',
      '/gateway/v1%2Frevocations',
      '/gateway/v1/revocations/../revocations',
      '/gateway/v1/./revocations',
    ];
    for (const path of variants) {
      forwarded.length = 0;
      const noKey = await app.request(path, { method: 'POST', body: '{"subject":"victim"}' });
      expect(noKey.status, path).toBe(401);
      expect(forwarded, path).toHaveLength(0);
    }
    const list = await app.request('/gateway/v1/revocations', { headers: { 'api-key': ADMIN } });
    const body = (await list.json()) as { result: { revocations: { subject?: string }[] } };
    expect(body.result.revocations.map((r) => r.subject)).not.toContain('victim');
  });
});

describe('rate limit: one subject, one budget', () => {
  it('different tokens of one subject share the budget; admin keys are exempt', async () => {
    const tokens = await Promise.all(
      [1, 2, 3, 4].map((i) => idpToken({ sub: 'rl-user', jti: `j${i}` })),
    );
    const statuses: number[] = [];
    for (const token of tokens)
      statuses.push((await get('/collections/tenant-acme', bearer(token))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 5; i++)
      expect((await get('/collections/tenant-acme', { 'api-key': ADMIN })).status).toBe(200);
  });

  it('a token without a subject is limited by its hash, whatever the transport', async () => {
    const token = await idpToken({ sub: undefined });
    const statuses: number[] = [];
    for (const headers of [
      bearer(token),
      { 'api-key': token },
      bearer(token),
      { 'api-key': token },
    ])
      statuses.push((await get('/collections/tenant-acme', headers)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await sha256Hex(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
