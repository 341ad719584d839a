/**
 * `@qdrant-kit/core/keys`: database keys. Verify presented keys (`createKeyVerifier`), sign and
 * decode HS256 JWTs on Web Crypto (or a faster {@link Hs256Provider}), build claims, redact keys
 * for logs.
 *
 * @module
 */
export type { Access, CollectionGrant, GlobalAccess, CollectionsAccess } from '../access/model.js';
export * from '../redact.js';
export * from './bounded-cache.js';
export * from './cache.js';
export {
  type AccessClaim,
  CLOUD_DEFAULT_KEY_TTL_SECONDS,
  type ClaimsForOptions,
  type DatabaseKeyClaims,
  type Duration,
  type ValueExistsClaim,
  type ValueExistsMatch,
  accessToClaim,
  claimToAccess,
  claimsFor,
  durationToSeconds,
} from './claims.js';
export { type Hs256Provider, webCryptoHs256 } from './hmac.js';
export {
  type DecodedDatabaseKey,
  decodeDatabaseKey,
  type JoseHeader,
  type SignDatabaseKeyOptions,
  signDatabaseKey,
} from './jwt.js';
export * from './messages.js';
export * from './verifier.js';
