/**
 * One text per credential: what the gateway hashes to revoke or count a token, so that a
 * token re-written in another valid spelling keeps its identity.
 *
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * True when `segment` is unpadded base64url in its only spelling: no padding or other
 * characters, no impossible length, and the unused low bits of the last character zero (as the
 * cluster's decoder, the `base64` crate's URL_SAFE_NO_PAD engine, demands). Lenient decoders
 * (`atob`, jose) read `...Q` and `...R` as the same bytes; this refuses the second.
 */
export function isCanonicalBase64Url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const rest = segment.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

function decode(segment: string): Uint8Array {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function encode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ECDSA signatures are malleable: (r, s) and (r, n - s) both verify. The group orders of P-256
// and P-384 (SEC 2), and each curve's scalar size in bytes.
const ECDSA_CURVES: Readonly<Record<string, { readonly size: number; readonly order: bigint }>> =
  Object.freeze({
    ES256: {
      size: 32,
      order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    },
    ES384: {
      size: 48,
      order:
        0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    },
  });

/**
 * The one text of a token for hashing: an ES256/ES384 JWT with its signature's `s` in the
 * lower half (the other half is the same signature, as valid, written differently); any other
 * token unchanged. Without it, whoever holds a revoked ECDSA-signed identity-provider token could
 * present `(r, n - s)` and be a new, unrevoked, unlimited credential. RSA (PKCS #1 v1.5) and
 * HMAC signatures have one value; Ed25519 verifiers refuse `S >= L`; other spellings of the
 * base64url are refused by the verifiers ({@link isCanonicalBase64Url}).
 */
export function canonicalTokenText(token: string): string {
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first <= 0 || last === first || token.indexOf('.', first + 1) !== last) return token;
  const signature = token.slice(last + 1);
  if (!isCanonicalBase64Url(signature)) return token;
  let alg: unknown;
  try {
    const header = token.slice(0, first);
    if (!isCanonicalBase64Url(header)) return token;
    alg = (JSON.parse(new TextDecoder().decode(decode(header))) as { alg?: unknown } | null)?.alg;
  } catch {
    return token;
  }
  if (typeof alg !== 'string' || !Object.hasOwn(ECDSA_CURVES, alg)) return token;
  const curve = ECDSA_CURVES[alg] as { readonly size: number; readonly order: bigint };
  const bytes = decode(signature);
  if (bytes.length !== 2 * curve.size) return token;
  let s = 0n;
  for (let i = curve.size; i < bytes.length; i++) s = (s << 8n) | BigInt(bytes[i] as number);
  if (s <= curve.order >> 1n) return token;
  let low = curve.order - s;
  for (let i = bytes.length - 1; i >= curve.size; i--) {
    bytes[i] = Number(low & 0xffn);
    low >>= 8n;
  }
  return `${token.slice(0, last + 1)}${encode(bytes)}`;
}
