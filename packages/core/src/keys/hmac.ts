// HMAC-SHA256 for HS256 keys: the pluggable primitive, its Web Crypto default, and the signing
// keys cache. Keys are imported once per secret: importKey costs about as much as the HMAC.
import { type BoundedCache, createBoundedCache } from './bounded-cache.js';

/**
 * An HMAC-SHA256 implementation for HS256 database keys, for `createKeyVerifier({ hs256 })`
 * and `signDatabaseKey(secret, claims, { hs256 })`. The default everywhere is
 * {@link webCryptoHs256}; `@qdrant-kit/core/node` exports `nodeHs256`, a synchronous one on
 * `node:crypto` (many times faster on Node and Bun; about as fast as Web Crypto on Deno).
 *
 * `Key` is whatever `importKey` makes of a secret; the verifier imports each secret once and
 * keeps the key for its lifetime. A result may be synchronous (no trip through the microtask
 * queue) or a promise.
 */
export interface Hs256Provider<Key = unknown> {
  /** Imports a secret's UTF-8 bytes (never empty when core calls it), as the cluster reads them. */
  importKey(secret: Uint8Array): Key | Promise<Key>;
  /**
   * True only when `signature` is exactly HMAC-SHA256(`key`, `message`); compare in constant
   * time. A throw or a rejection counts as `false`. `signature` may have any length.
   */
  verify(key: Key, signature: Uint8Array, message: Uint8Array): boolean | Promise<boolean>;
  /** HMAC-SHA256(`key`, `message`), 32 bytes. */
  sign(key: Key, message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

/** The default {@link Hs256Provider}: `crypto.subtle`, on every runtime (asynchronous). */
export const webCryptoHs256: Hs256Provider<CryptoKey> = {
  importKey: (secret) =>
    crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, HMAC, false, [
      'sign',
      'verify',
    ]),
  verify: (key, signature, message) =>
    crypto.subtle.verify(
      'HMAC',
      key,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    ),
  sign: async (key, message) =>
    new Uint8Array(await crypto.subtle.sign('HMAC', key, message as Uint8Array<ArrayBuffer>)),
};

// A few recently used secrets for signDatabaseKey with the default provider; verifiers hold
// their own keys.
let signingKeys: BoundedCache<string, Promise<CryptoKey>> | undefined;

/** The Web Crypto key for `secret` (its UTF-8 bytes), from a small module-level cache. */
export function signingKey(secret: string, bytes: Uint8Array): Promise<CryptoKey> {
  signingKeys ??= createBoundedCache({ maxEntries: 8 });
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = webCryptoHs256.importKey(bytes) as Promise<CryptoKey>;
    signingKeys.set(secret, key);
  }
  return key;
}
