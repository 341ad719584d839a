/**
 * Which published Ed25519 keys may verify tokens at all. Web Crypto's Ed25519 verification
 * differs by runtime: Node 20's OpenSSL, Deno, Bun and workerd accept a "signature" R = identity,
 * S = 0 of any message under a public key of small order (order 1, 2, 4 or 8), since then
 * [S]B = R + [k]A holds for every k that is a multiple of its order (RFC 8032 section 5.1.7
 * neither requires nor forbids the check). Such a key, and any encoding that is not canonical
 * (y not below p) or not a point of the curve, is refused here, on every runtime alike.
 *
 * @module
 */
import { type BoundedCache, createBoundedCache } from '@qdrant-kit/core';
import { isCanonicalBase64Url } from '../token-text.js';

const P = 2n ** 255n - 19n;
/** The curve constant d = -121665 / 121666 mod p (RFC 8032 section 5.1). */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

/**
 * y of a point of order 8 ([2]Q has y = 0, so d y^4 + 2 y^2 - 1 = 0); p - y is the other one.
 * Little-endian it starts 26 e8 95 8f (a key of libsodium's small-order blocklist).
 */
const ORDER_8_Y = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;

/**
 * The y of all eight points of small order: 1 (the identity), p - 1 (order 2), 0 (the two
 * points of order 4) and the two y of the four points of order 8. Every other point of the curve
 * has a large order: the group is of order 8 L, L prime (RFC 8032 section 5.1).
 */
const SMALL_ORDER_Y: ReadonlySet<bigint> = new Set([1n, P - 1n, 0n, ORDER_8_Y, P - ORDER_8_Y]);

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

/** Answers per `x`: a key set is read again on every refresh, mostly with the same keys. */
let checked: BoundedCache<string, boolean> | undefined;

/**
 * Whether `x` (a JWK's base64url `x`) is an Ed25519 public key that can only verify signatures
 * made with its private key: 32 bytes, canonical (y < p), on the curve, and not of small order.
 * Decided once per key (about one modular exponentiation), then remembered.
 */
export function isSafeEd25519PublicKey(x: unknown): boolean {
  if (typeof x !== 'string' || x.length !== 43) return false;
  checked ??= createBoundedCache({ maxEntries: 1024 });
  let safe = checked.get(x);
  if (safe === undefined) {
    safe = decide(x);
    checked.set(x, safe);
  }
  return safe;
}

function decide(x: string): boolean {
  if (!isCanonicalBase64Url(x)) return false;
  const binary = atob(x.replace(/-/g, '+').replace(/_/g, '/'));
  if (binary.length !== 32) return false;
  let y = 0n;
  for (let i = 31; i >= 0; i--) {
    // The top bit of the last byte is the sign of x, not part of y.
    const byte = binary.charCodeAt(i) & (i === 31 ? 0x7f : 0xff);
    y = (y << 8n) | BigInt(byte);
  }
  // Also the only y with x = 0 (1 and p - 1), whose sign bit set is no encoding at all
  // (RFC 8032 section 5.1.3, step 4).
  if (y >= P || SMALL_ORDER_Y.has(y)) return false;
  // On the curve: x^2 = u / v (u = y^2 - 1, v = d y^2 + 1, from -x^2 + y^2 = 1 + d x^2 y^2) is a
  // square, that is u v is one (Euler's criterion; u and v are not 0 here).
  const yy = (y * y) % P;
  const uv = ((yy - 1n) * ((D * yy + 1n) % P)) % P;
  return power(uv, (P - 1n) / 2n) === 1n;
}
