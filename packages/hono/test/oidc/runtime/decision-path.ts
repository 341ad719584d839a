// Runtime-neutral cases for the identity-provider decision path: key choice, verification,
// the access mapping, dispatch beside database keys and core's decision, with keys made in the
// runtime itself. Key fetching goes through an in-memory fetch, so discovery, the cache policy
// and (on workerd) the polling waiters run everywhere without a network.
import {
  authorizeRequest,
  createKeyVerifier,
  createVerifiedTokenCache,
  signDatabaseKey,
} from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { checkRequest } from '../../../src/check-request.js';
import { createCredentialIds } from '../../../src/credentials.js';
import {
  createOidcCredentialVerifier,
  createOidcVerifier,
  type OidcVerifierOptions,
  parseAccessMapping,
} from '../../../src/oidc/index.js';
import { nowSeconds, standardClaims } from '../keys.js';

const ISSUER = 'https://login.example.com/tenant';
const ALGS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
type Alg = (typeof ALGS)[number];

interface Key {
  readonly kid: string;
  readonly alg: Alg;
  readonly privateKey: CryptoKey;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

let keysPromise: Promise<Record<Alg, Key>> | undefined;
function keys(): Promise<Record<Alg, Key>> {
  keysPromise ??= (async () => {
    const out = {} as Record<Alg, Key>;
    for (const alg of ALGS) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const kid = `k-${alg}`;
      out[alg] = {
        kid,
        alg,
        privateKey,
        privateJwk: await exportJWK(privateKey),
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
      };
    }
    return out;
  })();
  return keysPromise;
}

async function jwks(): Promise<JSONWebKeySet> {
  return { keys: Object.values(await keys()).map((k) => k.publicJwk) };
}

const claims = (extra: JWTPayload = {}): JWTPayload =>
  standardClaims(ISSUER, { sub: 'user-7', org_id: 'acme', ...extra });

async function sign(key: Key, payload: JWTPayload, headerAlg?: string): Promise<string> {
  const signingKey =
    headerAlg === undefined || headerAlg === key.alg
      ? key.privateKey
      : ((await importJWK(key.privateJwk, headerAlg)) as CryptoKey);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: headerAlg ?? key.alg, kid: key.kid, typ: 'at+jwt' })
    .sign(signingKey);
}

const MAPPING = parseAccessMapping(
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]',
);

async function localVerifier(extra: Partial<OidcVerifierOptions> = {}) {
  return createOidcVerifier({ issuer: ISSUER, audience: 'qdrant', jwks: await jwks(), ...extra });
}

/** A fetch answering discovery and the key set from memory, counting requests. */
function memoryIdp(set: JSONWebKeySet, delayMs = 0) {
  const counts = { discovery: 0, jwks: 0 };
  const fetchStub: typeof fetch = async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (url === `${ISSUER}/.well-known/openid-configuration`) {
      counts.discovery++;
      return Response.json({ issuer: ISSUER, jwks_uri: 'https://keys.example.com/jwks' });
    }
    if (url === 'https://keys.example.com/jwks') {
      counts.jwks++;
      return new Response(JSON.stringify(set), {
        headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
      });
    }
    return new Response('not found', { status: 404 });
  };
  return { counts, fetch: fetchStub };
}

const cases: TestCase[] = [
  ...ALGS.map((alg) =>
    test(`oidc: ${alg} token verified, mapped and decided by core`, async () => {
      const key = (await keys())[alg];
      const verifier = await localVerifier();
      const result = await verifier.verify(await sign(key, claims()));
      assert(result.ok, `${alg} must verify: ${JSON.stringify(result)}`);
      const access = MAPPING.accessFor(result.claims);
      assertEqual(
        authorizeRequest(access, { method: 'GET', path: '/collections/tenant-acme' }).ok,
        true,
      );
      assertDeepEqual(authorizeRequest(access, { method: 'GET', path: '/collections/tenant-x' }), {
        ok: false,
        status: 403,
        message: 'Forbidden: Access to collection tenant-x is required',
      });
    }),
  ),
  test('oidc: the key decides the algorithm (RS256 on a PS256 key, HS256, none)', async () => {
    const k = await keys();
    const verifier = await localVerifier();
    const rsOnPs = await verifier.verify(await sign(k.PS256, claims(), 'RS256'));
    assertEqual(rsOnPs.ok === false && rsOnPs.reason, 'algorithm-mismatch');
    const b64 = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const none = `${b64(JSON.stringify({ alg: 'none', kid: k.RS256.kid }))}.${b64(JSON.stringify(claims()))}.`;
    const noneResult = await verifier.verify(none);
    assertEqual(noneResult.ok === false && noneResult.reason, 'algorithm-not-allowed');
    const secret = new TextEncoder().encode(JSON.stringify(k.RS256.publicJwk));
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: k.RS256.kid })
      .sign(secret);
    const hsResult = await verifier.verify(hs);
    assertEqual(hsResult.ok === false && hsResult.reason, 'algorithm-not-allowed');
  }),
  test('oidc: expired is the cluster 403, wrong audience and issuer its 401', async () => {
    const key = (await keys()).ES256;
    const verifier = await localVerifier();
    const expired = await verifier.verify(await sign(key, claims({ exp: nowSeconds() - 60 })));
    assertDeepEqual(expired, {
      ok: false,
      status: 403,
      message: 'ExpiredSignature',
      reason: 'expired',
    });
    const aud = await verifier.verify(await sign(key, claims({ aud: 'other' })));
    assertEqual(aud.ok === false && `${aud.status} ${aud.message}`, '401 Invalid API key or JWT');
    const iss = await verifier.verify(await sign(key, claims({ iss: 'https://evil.example.com' })));
    assertEqual(iss.ok === false && iss.reason, 'wrong-issuer');
  }),
  test('oidc: checkRequest decides database keys as before and IdP tokens by the mapping', async () => {
    const cache = createVerifiedTokenCache();
    const apiKey = 'admin-key-0123456789abcdef';
    const options = {
      verifier: createKeyVerifier({ apiKey, jwtRbac: true, cache }),
      credentials: [
        createOidcCredentialVerifier({ oidc: await localVerifier(), access: MAPPING, cache }),
      ],
      credentialId: createCredentialIds(),
      maxBufferedBodyBytes: 1 << 20,
    };
    const decide = (token: string, path: string) =>
      checkRequest(
        new Request(`http://gateway${path}`, { headers: { authorization: `Bearer ${token}` } }),
        options,
        0,
      );
    const idpToken = await sign((await keys()).EdDSA, claims());
    const idp = await decide(idpToken, '/collections/tenant-acme');
    assert(idp.ok && idp.keyKind === 'oidc', `the IdP token is allowed: ${JSON.stringify(idp)}`);
    assertEqual(idp.ok && idp.subject, 'user-7');
    assertEqual(idp.ok && idp.issuer, ISSUER);
    const other = await decide(idpToken, '/collections/tenant-globex');
    assertEqual(
      !other.ok && `${other.status} ${other.reason}`,
      '403 Forbidden: Access to collection tenant-globex is required',
    );
    const dbToken = await signDatabaseKey(apiKey, { access: 'r', ...({ iss: ISSUER } as object) });
    const db = await decide(dbToken, '/collections/tenant-globex');
    assert(
      db.ok && db.keyKind === 'jwt',
      'an HS256 key signed with the cluster secret is a database key',
    );
    assertDeepEqual(db.ok && db.access, { kind: 'global', mode: 'r' });
    const cached = await decide(
      await sign((await keys()).EdDSA, claims({ jti: 'second' })),
      '/collections/tenant-acme',
    );
    assert(cached.ok, 'a second token is allowed');
    assertEqual(cache.size, 3);
  }),
  test('oidc: discovery, then one shared fetch for concurrent cold misses and a kid flood', async () => {
    const idp = memoryIdp(await jwks(), 20);
    const verifier = createOidcVerifier({ issuer: ISSUER, audience: 'qdrant', fetch: idp.fetch });
    const token = await sign((await keys()).ES384, claims());
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(token)));
    assert(
      results.every((r) => r.ok),
      `all verify: ${JSON.stringify(results.find((r) => !r.ok))}`,
    );
    assertDeepEqual(idp.counts, { discovery: 1, jwks: 1 });
    const stranger = { ...(await keys()).ES256, kid: 'made-up' };
    const flood = await Promise.all(
      Array.from({ length: 20 }, async () => verifier.verify(await sign(stranger, claims()))),
    );
    assert(
      flood.every((r) => !r.ok && r.reason === 'unknown-key'),
      'unknown kids are refused',
    );
    assertDeepEqual(idp.counts, { discovery: 1, jwks: 1 });
    assertEqual(verifier.keyStatus().freshUntil !== undefined, true);
  }),
  test('oidc: an oversized key set is refused', async () => {
    const set = { ...(await jwks()), pad: 'x'.repeat(300_000) };
    const verifier = createOidcVerifier({
      issuer: ISSUER,
      audience: 'qdrant',
      fetch: memoryIdp(set as JSONWebKeySet).fetch,
    });
    const result = await verifier.verify(await sign((await keys()).ES256, claims()));
    assertEqual(result.ok === false && result.reason, 'keys-unavailable');
  }),
  test('oidc: a claim value that is not a collection name grants nothing', () => {
    for (const org_id of ['../x', '', 'a/b', 'x'.repeat(300), 3.5, true]) {
      assertDeepEqual(MAPPING.accessFor({ org_id }), {
        kind: 'collections',
        collections: [{ collection: 'shared-docs', access: 'r' }],
      });
    }
  }),
];

export default cases;
