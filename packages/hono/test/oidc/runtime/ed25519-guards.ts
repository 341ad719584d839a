// Runtime-neutral cases: an EdDSA (Ed25519) identity-provider token has exactly one valid
// signature, and a published key of small order never verifies a forgery. Each runtime's Web
// Crypto does the verification (OpenSSL on Node, BoringSSL on Bun and workerd, Rust on Deno), so
// these run on every one of them (test/oidc/runtimes.test.ts).
// RFC 8032 section 5.1.7: S must be below L; a small-order A makes [S]B = R + [k]A hold for
// R = identity, S = 0 whenever [k]A is the identity, for any message.
import { assert, type TestCase, test } from '@qdrant-kit/runtime-harness/suite';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { createOidcVerifier } from '../../../src/oidc/index.js';
import { standardClaims } from '../keys.js';

const ISSUER = 'https://login.example.com/ed25519';
/** The order of the Ed25519 base point (RFC 8032 section 5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

const claims = (extra: JWTPayload = {}): JWTPayload =>
  standardClaims(ISSUER, { sub: 'user-7', ...extra });

function b64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function fromB64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const b64json = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
}

function toLittleEndian(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = n;
  for (let i = 0; i < length; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

const P = 2n ** 255n - 19n;
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
const mod = (n: bigint) => ((n % P) + P) % P;
function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}
/** A square root mod p (p = 5 mod 8, RFC 8032 section 5.1.3), or `undefined` when there is none. */
function sqrt(a: bigint): bigint | undefined {
  const r = power(a, (P + 3n) / 8n);
  const root = mod(r * r - a) === 0n ? r : mod(r * power(2n, (P - 1n) / 4n));
  return mod(root * root - a) === 0n ? root : undefined;
}
/**
 * y of a point of order 8: [2]Q has y = 0, so d y^4 + 2 y^2 - 1 = 0, y^2 = (-1 +- sqrt(1 + d)) / d;
 * one of the two is a square.
 */
const ORDER_8_Y = ((): bigint => {
  const s = sqrt(mod(1n + D)) as bigint;
  for (const y2 of [s, P - s].map((r) => mod((r - 1n) * power(D, P - 2n)))) {
    const y = sqrt(y2);
    if (y !== undefined) return y;
  }
  throw new Error('no point of order 8');
})();

/**
 * Encodings of small-order points, each with the multiple of its order a challenge k must be
 * for [k]A to be the identity: the identity, orders 2, 4 and 8, and a non-canonical identity.
 */
const IDENTITY = toLittleEndian(1n, 32);
const SMALL_ORDER_KEYS: ReadonlyArray<readonly [string, Uint8Array, bigint]> = [
  ['identity (y = 1)', IDENTITY, 1n],
  ['order 2 (y = p - 1)', toLittleEndian(P - 1n, 32), 2n],
  ['order 4 (y = 0)', toLittleEndian(0n, 32), 4n],
  ['order 8', toLittleEndian(ORDER_8_Y, 32), 8n],
  ['identity written y = p + 1 (not canonical)', toLittleEndian(P + 1n, 32), 1n],
];

/** A verifier of a set with `jwk` as `ed` and, when given, a good key beside it. */
async function verifierFor(jwk: JWK, beside?: JWK) {
  return createOidcVerifier({
    issuer: ISSUER,
    audience: 'qdrant',
    jwks: {
      keys: [
        { ...jwk, kid: 'ed', alg: 'EdDSA', use: 'sig' },
        ...(beside === undefined ? [] : [{ ...beside, kid: 'other', alg: 'EdDSA', use: 'sig' }]),
      ],
    },
  });
}

async function edKey() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/**
 * A token "signed" with R = identity, S = 0 whose challenge k = SHA-512(R || A || M) mod L is a
 * multiple of `order`: for a key of that order [k]A is then the identity, and a verifier without
 * the small-order check accepts it.
 */
async function forgery(publicKey: Uint8Array, order: bigint): Promise<string> {
  const header = b64json({ alg: 'EdDSA', kid: 'ed', typ: 'at+jwt' });
  for (let i = 0; ; i++) {
    const signingInput = `${header}.${b64json(claims({ jti: `forged-${i}` }))}`;
    const message = new TextEncoder().encode(signingInput);
    const data = new Uint8Array(64 + message.length);
    data.set(IDENTITY, 0);
    data.set(publicKey, 32);
    data.set(message, 64);
    const k = littleEndian(new Uint8Array(await crypto.subtle.digest('SHA-512', data))) % L;
    if (k % order !== 0n) continue;
    const signature = new Uint8Array(64);
    signature.set(IDENTITY, 0);
    return `${signingInput}.${b64url(signature)}`;
  }
}

const cases: TestCase[] = [
  test('ed25519: a token verifies, and the same signature with S + L is refused', async () => {
    const { privateKey, publicJwk } = await edKey();
    const verifier = await verifierFor(publicJwk);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed', typ: 'at+jwt' })
      .sign(privateKey);
    const good = await verifier.verify(token);
    assert(good.ok, `the token verifies: ${JSON.stringify(good)}`);
    const dot = token.lastIndexOf('.');
    const signature = fromB64url(token.slice(dot + 1));
    const variant = new Uint8Array(signature);
    variant.set(toLittleEndian(littleEndian(signature.subarray(32)) + L, 32), 32);
    const result = await verifier.verify(`${token.slice(0, dot + 1)}${b64url(variant)}`);
    assert(!result.ok, `S + L must be refused: ${JSON.stringify(result)}`);
  }),
  test('ed25519: S = L (not below the order) is refused', async () => {
    const { privateKey, publicJwk } = await edKey();
    const verifier = await verifierFor(publicJwk);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed', typ: 'at+jwt' })
      .sign(privateKey);
    const dot = token.lastIndexOf('.');
    const signature = fromB64url(token.slice(dot + 1));
    signature.set(toLittleEndian(L, 32), 32);
    const result = await verifier.verify(`${token.slice(0, dot + 1)}${b64url(signature)}`);
    assert(!result.ok, `S = L must be refused: ${JSON.stringify(result)}`);
  }),
  ...SMALL_ORDER_KEYS.map(([name, x, order]) =>
    test(`ed25519: a published key of small order, ${name}, verifies no forgery`, async () => {
      // Beside a good key, as a fetched set would have it (a set of only this key is refused).
      const verifier = await verifierFor(
        { kty: 'OKP', crv: 'Ed25519', x: b64url(x) },
        (await edKey()).publicJwk,
      );
      const result = await verifier.verify(await forgery(x, order));
      assert(
        !result.ok,
        `a forgery under a small-order key must be refused: ${JSON.stringify(result)}`,
      );
    }),
  ),
];

export default cases;
