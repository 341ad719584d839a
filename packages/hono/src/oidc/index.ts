/**
 * Identity-provider (OpenID Connect) tokens for the gateway: verification on Web Crypto, the
 * claims-to-access mapping, and one verifier for database keys and identity tokens together.
 *
 * @module
 */
export { keyAlgorithms, OIDC_ALGORITHMS, type OidcAlgorithm } from './algorithms.js';
export {
  type AccessMapping,
  type AccessMappingSpec,
  type GrantTemplate,
  MAX_GRANTS,
  parseAccessMapping,
} from './access-mapping.js';
export {
  hasForbiddenNameChars,
  isValidCollectionName,
  MAX_COLLECTION_NAME_CHARS,
} from './collection-name.js';
export {
  createOidcCredentialVerifier,
  type OidcCredential,
  type OidcCredentialOptions,
  type OidcCredentialRefusal,
  type OidcCredentialVerifier,
} from './credential.js';
export { OidcConfigError } from './errors.js';
export {
  createJwksCache,
  freshnessFromHeaders,
  JWKS_CACHE_DEFAULTS,
  type JwksCache,
  type JwksCacheOptions,
  type JwksCachePolicy,
  type JwksCacheStatus,
  type KeySelection,
  type KeySelectionFailure,
  type PublishedKey,
} from './jwks-cache.js';
export { isAllowedKeyUrl } from './urls.js';
export {
  createOidcVerifier,
  OIDC_MAX_CLOCK_TOLERANCE_SECONDS,
  OIDC_VERIFIER_DEFAULTS,
  type OidcRefusal,
  type OidcRefusalReason,
  type OidcVerified,
  type OidcVerifier,
  type OidcVerifierOptions,
  type OidcVerifyResult,
} from './verifier.js';
export {
  OIDC_VARIABLES,
  type OidcSettings,
  type OidcSettingsRead,
  parseOidcSettings,
  readOidcSettings,
} from './config.js';
export { type DecodedIdentityToken, decodeIdentityToken } from './decode.js';
