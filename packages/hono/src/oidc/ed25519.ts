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
import { isCanonicalBase64Url } from '../token-text.js';

const P = 2n ** 255n - 19n;
/** The curve constant d = -121665 / 121666 mod p (RFC 8032 section 5.1). */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

function mod(n: bigint): bigint {
  const r = n % P;
  return r < 0n ? r + P : r;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

const inverse = (n: bigint) => power(n, P - 2n);

/** x^2 of the point with this y: (y^2 - 1) / (d y^2 + 1), from -x^2 + y^2 = 1 + d x^2 y^2. */
const xSquared = (y: bigint) => mod((y * y - 1n) * inverse(D * y * y + 1n));

/** y of 2Q from y of Q alone (the doubling formula for a = -1, with x^2 as above). */
function doubledY(y: bigint): bigint {
  const xx = xSquared(y);
  const yy = mod(y * y);
  return mod((yy + xx) * inverse(2n + xx - yy));
}

/**
 * Whether `x` (a JWK's base64url `x`) is an Ed25519 public key that can only verify signatures
 * made with its private key: 32 bytes, canonical (y < p), on the curve, and not of small order
 * ([8]A is not the identity).
 */
export function isSafeEd25519PublicKey(x: unknown): boolean {
  if (typeof x !== 'string' || x.length !== 43 || !isCanonicalBase64Url(x)) return false;
  const binary = atob(x.replace(/-/g, '+').replace(/_/g, '/'));
  if (binary.length !== 32) return false;
  let y = 0n;
  for (let i = 31; i >= 0; i--) {
    // The top bit of the last byte is the sign of x, not part of y.
    const byte = binary.charCodeAt(i) & (i === 31 ? 0x7f : 0xff);
    y = (y << 8n) | BigInt(byte);
  }
  if (y >= P) return false;
  const xx = xSquared(y);
  // On the curve: x^2 has a square root mod p (Euler's criterion).
  if (xx !== 0n && power(xx, (P - 1n) / 2n) !== 1n) return false;
  // x = 0 with the sign bit set is no encoding of a point (RFC 8032 section 5.1.3, step 4).
  if (xx === 0n && (binary.charCodeAt(31) & 0x80) !== 0) return false;
  let eightfold = y;
  for (let i = 0; i < 3; i++) eightfold = doubledY(eightfold);
  // [8]A has y = 1 (so x = 0) only when it is the identity.
  return eightfold !== 1n;
}
