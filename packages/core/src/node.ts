/**
 * `@qdrant-kit/core/node`: a faster HS256 primitive for runtimes with `node:crypto` (Node, Bun
 * and Deno). The only entry of core that imports a `node:` module: the root entry and every
 * other subpath use Web Crypto only and run everywhere. Not for workerd (Cloudflare Workers)
 * or browsers: keep the Web Crypto default there.
 *
 * @example
 * ```ts
 * import { createKeyVerifier } from '@qdrant-kit/core';
 * import { nodeHs256 } from '@qdrant-kit/core/node';
 *
 * const verifier = createKeyVerifier({ apiKey, jwtRbac: true, hs256: nodeHs256 });
 * ```
 *
 * @module
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { Hs256Provider } from './keys/hmac.js';

export type { Hs256Provider } from './keys/hmac.js';

/** An HS256 signature is one SHA-256 output; the length is public, only the bytes are secret. */
const SIGNATURE_BYTES = 32;

const provider: Hs256Provider<KeyObject> = {
  importKey: (secret) => createSecretKey(secret),
  verify(key, signature, message) {
    // timingSafeEqual throws on unequal lengths: refuse those before comparing.
    if (signature.length !== SIGNATURE_BYTES) return false;
    return timingSafeEqual(createHmac('sha256', key).update(message).digest(), signature);
  },
  sign: (key, message) => createHmac('sha256', key).update(message).digest(),
};

/**
 * HMAC-SHA256 on `node:crypto`, synchronous: `createSecretKey` once per secret, then
 * `createHmac('sha256', key)` and `timingSafeEqual` per token. On Node a verify costs a few
 * microseconds instead of the ~30-50 µs of `crypto.subtle.verify` (dispatched to the libuv
 * thread pool); on Bun it is ~20x faster too, on Deno about as fast. Accepts and refuses
 * exactly the tokens the Web Crypto default does. Pass it as
 * `createKeyVerifier({ hs256: nodeHs256 })` or `signDatabaseKey(secret, claims, { hs256: nodeHs256 })`.
 */
export const nodeHs256: Hs256Provider = provider;
