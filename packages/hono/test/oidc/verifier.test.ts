// The identity-provider verifier against a key server on loopback: every algorithm, every
// claim check, algorithm confusion, hostile tokens, and the JWKS cache policy (fetches counted
// on the server).
import { exportSPKI, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOidcVerifier, type OidcVerifierOptions } from '../../src/oidc/index.js';
import { type KeyServer, startKeyServer } from './key-server.js';
import {
  b64url,
  makeKey,
  nowSeconds,
  type TestKey,
  sign,
  signHmac,
  signRaw,
  standardClaims,
  unsigned,
} from './keys.js';

let server: KeyServer;
let rsa: TestKey;
let ps: TestKey;
let es256: TestKey;
let es384: TestKey;
let ed: TestKey;
let rsaNoAlg: TestKey;

beforeAll(async () => {
  [rsa, ps, es256, es384, ed, rsaNoAlg] = await Promise.all([
    makeKey('RS256'),
    makeKey('PS256'),
    makeKey('ES256'),
    makeKey('ES384'),
    makeKey('EdDSA'),
    makeKey('RS256', { publishAlg: false }),
  ]);
  server = await startKeyServer({ keys: [] });
});

afterAll(() => server.close());

beforeEach(() => {
  Object.assign(server.behaviour, {
    status: 200,
    headers: {},
    delayMs: 0,
    hangUp: false,
    rawBody: undefined,
    discoveryIssuer: undefined,
  });
  server.behaviour.jwks = { keys: [rsa, ps, es256, es384, ed, rsaNoAlg].map((k) => k.publicJwk) };
  server.requests.discovery = 0;
  server.requests.jwks = 0;
});

function verifier(extra: Partial<OidcVerifierOptions> = {}) {
  return createOidcVerifier({ issuer: server.issuer, audience: 'qdrant', ...extra });
}

const claims = (extra: JWTPayload = {}) => standardClaims(server.issuer, extra);

describe('accepted tokens', () => {
  it.each([
    ['RS256', () => rsa],
    ['PS256', () => ps],
    ['ES256', () => es256],
    ['ES384', () => es384],
    ['EdDSA', () => ed],
    ['RS256 from a key without alg', () => rsaNoAlg],
  ])('%s, keys found by discovery', async (_name, key) => {
    const v = verifier();
    const result = await v.verify(await sign(key(), claims({ org_id: 'acme' })));
    expect(result).toMatchObject({ ok: true, subject: 'user-1', issuer: server.issuer });
    if (result.ok) expect(result.claims.org_id).toBe('acme');
    expect(server.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('any configured audience, in an aud array', async () => {
    const v = verifier({ audience: ['other', 'qdrant'] });
    expect((await v.verify(await sign(es256, claims({ aud: ['x', 'qdrant'] })))).ok).toBe(true);
  });

  it('a JWKS URI given skips discovery', async () => {
    const v = verifier({ jwksUri: server.jwksUri });
    expect((await v.verify(await sign(es256, claims()))).ok).toBe(true);
    expect(server.requests).toEqual({ discovery: 0, jwks: 1 });
  });

  it('exp, nbf and iat within the 30 s leeway', async () => {
    const t = nowSeconds();
    const v = verifier();
    expect(
      (await v.verify(await sign(es256, claims({ exp: t - 20, nbf: t + 20, iat: t + 20 })))).ok,
    ).toBe(true);
  });

  it('one key without kid in the set, token without kid', async () => {
    server.behaviour.jwks = { keys: [{ ...es256.publicJwk, kid: undefined }] };
    const v = verifier();
    expect((await v.verify(await sign(es256, claims(), { noKid: true }))).ok).toBe(true);
  });
});

describe('refused claims, with the cluster status and message', () => {
  const cases: Array<[string, () => Promise<string>, number, string, string]> = [
    [
      'expired',
      async () => sign(es256, claims({ exp: nowSeconds() - 31 })),
      403,
      'ExpiredSignature',
      'expired',
    ],
    [
      'nbf in the future',
      async () => sign(es256, claims({ nbf: nowSeconds() + 60 })),
      401,
      'Invalid API key or JWT',
      'not-yet-valid',
    ],
    [
      'iat in the future',
      async () => sign(es256, claims({ iat: nowSeconds() + 60 })),
      401,
      'Invalid API key or JWT',
      'issued-in-future',
    ],
    [
      'wrong audience',
      async () => sign(es256, claims({ aud: 'someone-else' })),
      401,
      'Invalid API key or JWT',
      'wrong-audience',
    ],
    [
      'no audience',
      async () => sign(es256, claims({ aud: undefined })),
      401,
      'Invalid API key or JWT',
      'missing-claim',
    ],
    [
      'wrong issuer',
      async () => sign(es256, claims({ iss: `${server.issuer}/other` })),
      401,
      'Invalid API key or JWT',
      'wrong-issuer',
    ],
    [
      'issuer with a trailing slash',
      async () => sign(es256, claims({ iss: `${server.issuer}/` })),
      401,
      'Invalid API key or JWT',
      'wrong-issuer',
    ],
    [
      'no exp',
      async () => sign(es256, claims({ exp: undefined })),
      401,
      'Invalid API key or JWT',
      'missing-claim',
    ],
    [
      'exp not a number',
      async () => sign(es256, claims({ exp: 'tomorrow' as never })),
      401,
      'Invalid API key or JWT',
      'invalid-claim',
    ],
    [
      'bad signature',
      async () => {
        const token = await sign(es256, claims());
        const other = await sign(es256, claims({ sub: 'user-2' }));
        return `${token.slice(0, token.lastIndexOf('.'))}${other.slice(other.lastIndexOf('.'))}`;
      },
      403,
      'InvalidSignature',
      'bad-signature',
    ],
  ];
  it.each(cases)('%s', async (_name, token, status, message, reason) => {
    expect(await verifier().verify(await token())).toEqual({ ok: false, status, message, reason });
  });
});

describe('algorithm confusion: the key decides the algorithm', () => {
  it('HS256 "signed" with the RSA public key (PEM and JWK n bytes) is refused before any fetch', async () => {
    const pem = await exportSPKI(
      await crypto.subtle.importKey(
        'jwk',
        rsa.publicJwk,
        { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        true,
        ['verify'],
      ),
    );
    for (const secret of [pem, new TextEncoder().encode(JSON.stringify(rsa.publicJwk))]) {
      const token = await signHmac({ alg: 'HS256', kid: rsa.kid }, claims(), secret);
      expect(await verifier().verify(token)).toMatchObject({
        ok: false,
        reason: 'algorithm-not-allowed',
      });
    }
    expect(server.requests.jwks).toBe(0);
  });

  it('alg none, with and without a signature', async () => {
    const v = verifier();
    expect(await v.verify(unsigned(claims(), { kid: rsa.kid }))).toMatchObject({
      reason: 'algorithm-not-allowed',
    });
    expect(await v.verify(`${unsigned(claims(), { kid: rsa.kid })}c2ln`)).toMatchObject({
      reason: 'algorithm-not-allowed',
    });
    expect(await v.verify(unsigned(claims(), { alg: 'None', kid: rsa.kid }))).toMatchObject({
      reason: 'algorithm-not-allowed',
    });
  });

  it('a header claiming RS256 on an EC key is refused', async () => {
    const token = await sign(rsa, claims(), { header: { kid: es256.kid } });
    expect(await verifier().verify(token)).toMatchObject({
      ok: false,
      reason: 'algorithm-mismatch',
    });
  });

  it('RS256 with a key published as PS256 (same RSA key material) is refused', async () => {
    // A verifier that took the algorithm from the header would accept this token: the RSA key
    // verifies both PKCS#1 v1.5 and PSS signatures.
    const token = await sign(ps, claims(), { alg: 'RS256' });
    expect(await verifier().verify(token)).toMatchObject({
      ok: false,
      reason: 'algorithm-mismatch',
    });
  });

  it('PS256 with an RSA key published without alg (RS256 only) is refused', async () => {
    const token = await sign(rsaNoAlg, claims(), { alg: 'PS256' });
    expect(await verifier().verify(token)).toMatchObject({
      ok: false,
      reason: 'algorithm-mismatch',
    });
  });

  it('keys the verifier must never use: oct, private, encryption, wrong curve', async () => {
    const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
    server.behaviour.jwks = {
      keys: [
        { kty: 'oct', kid: 'hmac', k: b64url(secret), alg: 'HS256' },
        { ...es256.publicJwk, kid: 'enc', use: 'enc' },
        { ...es256.publicJwk, kid: 'p384-claimed', alg: 'ES384' },
        es256.publicJwk,
      ],
    };
    const v = verifier();
    expect(
      await v.verify(await signHmac({ alg: 'HS256', kid: 'hmac' }, claims(), secret)),
    ).toMatchObject({ reason: 'algorithm-not-allowed' });
    expect(await v.verify(await sign(es256, claims(), { header: { kid: 'enc' } }))).toMatchObject({
      reason: 'unknown-key',
    });
    expect(
      await v.verify(await sign(es256, claims(), { header: { kid: 'p384-claimed' } })),
    ).toMatchObject({ reason: 'unknown-key' });
    expect((await v.verify(await sign(es256, claims()))).ok).toBe(true);
  });

  it('without kid, two keys for the algorithm: refused as ambiguous', async () => {
    const second = await makeKey('ES256');
    server.behaviour.jwks = { keys: [es256.publicJwk, second.publicJwk] };
    expect(await verifier().verify(await sign(es256, claims(), { noKid: true }))).toMatchObject({
      reason: 'ambiguous-key',
    });
  });
});

describe('weak or broken published keys', () => {
  it('a 1024-bit RSA key verifies nothing', async () => {
    const pair = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const weak: TestKey = {
      kid: 'weak',
      alg: 'RS256',
      privateKey: pair.privateKey,
      privateJwk: {},
      publicJwk: {
        ...(await crypto.subtle.exportKey('jwk', pair.publicKey)),
        kid: 'weak',
        alg: 'RS256',
      } as never,
    };
    server.behaviour.jwks = { keys: [weak.publicJwk] };
    const header = { alg: 'RS256', kid: 'weak' };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims()))}`;
    const sig = new Uint8Array(
      await crypto.subtle.sign(
        'RSASSA-PKCS1-v1_5',
        pair.privateKey,
        new TextEncoder().encode(input),
      ),
    );
    expect(await verifier().verify(`${input}.${b64url(sig)}`)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('an EC key whose point is not on the curve verifies nothing', async () => {
    server.behaviour.jwks = { keys: [{ ...es256.publicJwk, y: es256.publicJwk.x }] };
    expect(await verifier().verify(await sign(es256, claims()))).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('a JWE (five segments, key-management alg) is refused', async () => {
    const jwe = `${b64url('{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"x"}')}.a.b.c.d`;
    expect(await verifier().verify(jwe)).toMatchObject({
      ok: false,
      reason: 'algorithm-not-allowed',
    });
  });
});

describe('hostile tokens', () => {
  it('a token over the length cap is refused before it is parsed or any key fetched', async () => {
    const token = await sign(es256, claims({ pad: 'x'.repeat(20_000) }));
    expect(await verifier().verify(token)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'too-long',
    });
    expect(await verifier().verify('a'.repeat(5_000_000))).toMatchObject({ reason: 'too-long' });
    expect(server.requests.jwks).toBe(0);
  });

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['header not JSON', `${b64url('{nope')}.${b64url('{}')}.sig`],
    ['header an array', `${b64url('[1]')}.${b64url('{}')}.sig`],
    ['kid a number', `${b64url('{"alg":"ES256","kid":7}')}.${b64url('{}')}.sig`],
    ['payload not JSON', `${b64url('{"alg":"ES256","kid":"x"}')}.${b64url('nope')}.sig`],
    ['crit header', 'crit'],
  ])('%s: a 401, never a throw', async (_name, token) => {
    const real =
      token === 'crit'
        ? await signRaw(es256, { alg: 'ES256', kid: es256.kid, crit: ['exp'], exp: 1 }, claims())
        : token;
    const result = await verifier().verify(real);
    expect(result).toMatchObject({ ok: false, status: 401 });
  });
});

describe('JWKS cache policy', () => {
  it('an unknown kid flood costs one fetch per cooldown; concurrent misses share it', async () => {
    let t = Date.now();
    const v = verifier({ now: () => t });
    expect((await v.verify(await sign(es256, claims()))).ok).toBe(true);
    expect(server.requests.jwks).toBe(1);
    const stranger = await makeKey('ES256');
    const forged = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sign(stranger, claims(), { header: { kid: `made-up-${i}` } }),
      ),
    );
    // Within the cooldown of the first fetch: no fetch at all.
    const results = await Promise.all(forged.map((token) => v.verify(token)));
    expect(results.every((r) => !r.ok && r.reason === 'unknown-key')).toBe(true);
    expect(server.requests.jwks).toBe(1);
    t += 30_001;
    // 50 concurrent misses: one shared fetch; then nothing until the next interval.
    await Promise.all(forged.map((token) => v.verify(token)));
    expect(server.requests.jwks).toBe(2);
    for (const token of forged.slice(0, 10)) await v.verify(token);
    t += 29_000;
    await Promise.all(forged.map((token) => v.verify(token)));
    expect(server.requests.jwks).toBe(2);
    t += 1_001;
    await Promise.all(forged.map((token) => v.verify(token)));
    expect(server.requests.jwks).toBe(3);
    expect((await v.verify(await sign(es256, claims()))).ok).toBe(true);
  });

  it('cold start: concurrent requests share one discovery and one JWKS fetch', async () => {
    const v = verifier();
    const token = await sign(es256, claims());
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verify(token)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('Workers mode (waiters poll instead of awaiting the promise of another request): still one fetch', async () => {
    let t = Date.now();
    const v = verifier({ now: () => t, shareInFlightFetch: false });
    server.behaviour.delayMs = 50;
    const token = await sign(es256, claims());
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verify(token)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.requests).toEqual({ discovery: 1, jwks: 1 });
    t += 30_001;
    const stranger = await makeKey('ES256');
    const flood = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        v.verify(await sign(stranger, claims(), { header: { kid: `x${i}` } })),
      ),
    );
    expect(flood.every((r) => !r.ok && r.reason === 'unknown-key')).toBe(true);
    expect(server.requests.jwks).toBe(2);
  });

  it('rotation: a new kid is fetched once the cooldown allows, a removed key stops verifying', async () => {
    let t = Date.now();
    const v = verifier({ now: () => t });
    const old = await sign(es256, claims({ exp: nowSeconds() + 7200 }));
    const first = await v.verify(old);
    expect(first.ok).toBe(true);
    const next = await makeKey('ES256');
    server.behaviour.jwks = { keys: [next.publicJwk] };
    t += 30_001;
    expect(await v.verify(await sign(next, claims({ exp: nowSeconds() + 7200 })))).toMatchObject({
      ok: true,
    });
    expect(server.requests.jwks).toBe(2);
    expect(await v.verify(old)).toMatchObject({ ok: false, reason: 'unknown-key' });
    if (first.ok) expect(v.isStillPublished(first)).toBe(false);
  });

  it('Cache-Control max-age is honoured, within the bounds', async () => {
    let t = Date.now();
    server.behaviour.headers = { 'cache-control': 'public, max-age=120' };
    const v = verifier({ now: () => t });
    const token = await sign(es256, claims({ exp: nowSeconds() + 7200 }));
    await v.verify(token);
    t += 119_000;
    await v.verify(token);
    expect(server.requests.jwks).toBe(1);
    t += 2_000;
    // Stale: the known key still answers at once; one refresh runs behind it.
    expect((await v.verify(token)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.jwks).toBe(2);
    expect(v.keyStatus().freshUntil).toBe(t + 120_000);
  });

  it.each([
    ['max-age=1 is raised to the 60 s floor', 'max-age=1', 60_000],
    ['no-store is the 60 s floor', 'no-store', 60_000],
    ['a year is lowered to the 12 h ceiling', 'max-age=31536000', 12 * 3600_000],
    ['Age is subtracted', 'max-age=600', 300_000],
    ['no header: 10 minutes', undefined, 600_000],
  ])('%s', async (_name, cacheControl, fresh) => {
    const t = Date.now();
    server.behaviour.headers = cacheControl === undefined ? {} : { 'cache-control': cacheControl };
    if (cacheControl === 'max-age=600') server.behaviour.headers.age = '300';
    const v = verifier({ now: () => t });
    await v.verify(await sign(es256, claims()));
    expect(v.keyStatus().freshUntil).toBe(t + fresh);
  });

  it('IdP down: the last good set keeps verifying; one retry per cooldown; refused past max stale', async () => {
    let t = Date.now();
    const errors: string[] = [];
    const v = verifier({ now: () => t, onFetchError: (message) => errors.push(message) });
    const token = await sign(es256, claims({ exp: nowSeconds() + 3 * 86400 }));
    expect((await v.verify(token)).ok).toBe(true);
    server.behaviour.status = 503;
    t += 11 * 60_000;
    for (let i = 0; i < 5; i++) expect((await v.verify(token)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.jwks).toBe(2);
    expect(v.keyStatus().lastError).toBe('key set: answered HTTP 503');
    t += 30_001;
    expect((await v.verify(token)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.jwks).toBe(3);
    server.behaviour.hangUp = true;
    t += 24 * 3600_000;
    expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'keys-unavailable' });
    expect(errors).toEqual([
      'key set: answered HTTP 503',
      'key set: answered HTTP 503',
      'key set: fetch failed (TypeError)',
    ]);
  });

  it('cold start with the IdP down: refused, and no retry before the cooldown', async () => {
    server.behaviour.status = 500;
    let t = Date.now();
    const v = verifier({ now: () => t });
    const token = await sign(es256, claims());
    for (let i = 0; i < 5; i++)
      expect(await v.verify(token)).toMatchObject({ reason: 'keys-unavailable' });
    expect(server.requests.jwks).toBe(1);
    server.behaviour.status = 200;
    t += 30_001;
    expect((await v.verify(token)).ok).toBe(true);
  });

  it('a slow IdP is given up after the fetch timeout', async () => {
    server.behaviour.delayMs = 3_000;
    const v = verifier({ fetchTimeoutMs: 200 });
    const started = performance.now();
    expect(await v.verify(await sign(es256, claims()))).toMatchObject({
      reason: 'keys-unavailable',
    });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(v.keyStatus().lastError).toBe('key set: no answer within 200 ms');
  });

  it('an answer over the size cap is refused (declared or streamed)', async () => {
    server.behaviour.rawBody = JSON.stringify({
      keys: [es256.publicJwk],
      pad: 'x'.repeat(300_000),
    });
    const v = verifier();
    expect(await v.verify(await sign(es256, claims()))).toMatchObject({
      reason: 'keys-unavailable',
    });
    expect(v.keyStatus().lastError).toBe(`key set: answer larger than ${256 * 1024} bytes`);
  });

  it('a discovery document naming another issuer is refused', async () => {
    server.behaviour.discoveryIssuer = 'https://evil.example';
    const v = verifier();
    expect(await v.verify(await sign(es256, claims()))).toMatchObject({
      reason: 'keys-unavailable',
    });
    expect(v.keyStatus().lastError).toBe('discovery: the discovery document names another issuer');
  });

  it('a JWKS that is not a key set, or has no usable key, keeps nothing', async () => {
    const v = verifier();
    server.behaviour.rawBody = '{"keys":"no"}';
    expect(await v.verify(await sign(es256, claims()))).toMatchObject({
      reason: 'keys-unavailable',
    });
  });
});

describe('configuration', () => {
  it.each([
    ['http issuer off loopback', { issuer: 'http://login.example.com' }, /https/],
    ['issuer with credentials', { issuer: 'https://u:p@login.example.com' }, /https/],
    [
      'http JWKS URI off loopback',
      { issuer: 'https://login.example.com', jwksUri: 'http://keys.example.com/jwks' },
      /JWKS URI/,
    ],
    ['no audience', { issuer: 'https://login.example.com', audience: [] }, /audience/],
    [
      'a huge clock tolerance',
      { issuer: 'https://login.example.com', clockToleranceSeconds: 86400 },
      /clock tolerance/,
    ],
  ])('%s is refused at start-up', (_name, options, message) => {
    expect(() =>
      createOidcVerifier({ audience: 'qdrant', ...options } as OidcVerifierOptions),
    ).toThrow(message);
  });

  it('loopback http and https anywhere are accepted', () => {
    for (const issuer of [
      'http://127.0.0.1:1',
      'http://localhost:8080/realms/x',
      'http://[::1]:1',
      'https://login.example.com/',
    ])
      expect(() => createOidcVerifier({ issuer, audience: 'qdrant' })).not.toThrow();
  });
});
