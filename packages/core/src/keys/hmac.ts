// HMAC-SHA256 keys imported once per secret: importKey costs about as much as the HMAC itself.
import { utf8 } from './base64url.js';
import { type BoundedCache, createBoundedCache } from './bounded-cache.js';

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

/** Imports `secret` (its UTF-8 bytes, like the cluster) as an HS256 key for sign and verify. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), HMAC, false, ['sign', 'verify']);
}

// A few recently used secrets for signDatabaseKey; verifiers hold their own keys.
let signingKeys: BoundedCache<string, Promise<CryptoKey>> | undefined;

/** The imported key for `secret`, from a small module-level cache. */
export function signingKey(secret: string): Promise<CryptoKey> {
  signingKeys ??= createBoundedCache({ maxEntries: 8 });
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = importHmacKey(secret);
    signingKeys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256 verify; resolves false on any failure (a synchronous throw included). */
export function hmacVerify(
  key: CryptoKey,
  signature: Uint8Array,
  message: Uint8Array,
): Promise<boolean> {
  try {
    return crypto.subtle
      .verify('HMAC', key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
      .then(undefined, refuse);
  } catch {
    return Promise.resolve(false);
  }
}

const refuse = (): boolean => false;
