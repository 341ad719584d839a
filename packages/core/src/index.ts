/**
 * `@qdrant-kit/core`: Qdrant database keys on Web Crypto. Headers, JWT sign/verify and access
 * decisions that match a Qdrant cluster (v1.19) exactly, on every JavaScript runtime.
 *
 * @packageDocumentation
 */
export * from './access/index.js';
export * from './cloud/access-rules.js';
export * from './errors.js';
export * from './headers.js';
export * from './keys/bounded-cache.js';
export * from './keys/cache.js';
export {
  type AccessClaim,
  CLOUD_DEFAULT_KEY_TTL_SECONDS,
  type ClaimsForOptions,
  type DatabaseKeyClaims,
  type Duration,
  type ValueExistsClaim,
  type ValueExistsMatch,
  accessClaimSchema,
  accessToClaim,
  claimToAccess,
  claimsFor,
  collectionAccessModeSchema,
  collectionGrantSchema,
  databaseKeyClaimsSchema,
  durationToSeconds,
  globalAccessModeSchema,
  valueExistsClaimSchema,
} from './keys/claims.js';
export {
  type DecodedDatabaseKey,
  decodeDatabaseKey,
  type JoseHeader,
  signDatabaseKey,
} from './keys/jwt.js';
export * from './keys/messages.js';
export { constantTimeEqual } from './keys/static-keys.js';
export * from './keys/verifier.js';
export * from './redact.js';
