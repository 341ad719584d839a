/**
 * Which signature algorithms an identity provider's key may verify, decided from the key alone.
 *
 * @module
 */
import type { JWK } from 'jose';
import { isSafeEd25519PublicKey } from './ed25519.js';

/** Signature algorithms accepted on identity-provider tokens. Never a symmetric one, never `none`. */
export type OidcAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519';

/** Every algorithm an identity-provider token may be signed with (`Ed25519` is RFC 9864's name for EdDSA on Ed25519). */
export const OIDC_ALGORITHMS: readonly OidcAlgorithm[] = Object.freeze([
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
  'Ed25519',
]);

const ED25519: readonly OidcAlgorithm[] = Object.freeze(['EdDSA', 'Ed25519']);
const ONLY = {
  RS256: Object.freeze(['RS256']),
  PS256: Object.freeze(['PS256']),
  ES256: Object.freeze(['ES256']),
  ES384: Object.freeze(['ES384']),
} as const satisfies Record<string, readonly OidcAlgorithm[]>;

/**
 * The algorithms a published key verifies, from its `alg` when set, else from `kty`/`crv`
 * (an RSA key without `alg` verifies RS256 only, the OpenID default). `undefined` for a key
 * that verifies nothing here: symmetric (`oct`), private, not for signatures, an unknown curve,
 * an `alg` that does not fit its type, or an Ed25519 key of small order (which would verify forgeries
 * on most runtimes).
 */
export function keyAlgorithms(jwk: JWK): readonly OidcAlgorithm[] | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  // A set that publishes private material is broken; using it would also import a signing key.
  if ('d' in jwk || 'p' in jwk || 'k' in jwk) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify')))
    return undefined;
  const alg = jwk.alg;
  if (alg !== undefined && typeof alg !== 'string') return undefined;
  switch (jwk.kty) {
    case 'RSA':
      if (alg === undefined || alg === 'RS256') return ONLY.RS256;
      return alg === 'PS256' ? ONLY.PS256 : undefined;
    case 'EC':
      if (jwk.crv === 'P-256' && (alg === undefined || alg === 'ES256')) return ONLY.ES256;
      if (jwk.crv === 'P-384' && (alg === undefined || alg === 'ES384')) return ONLY.ES384;
      return undefined;
    case 'OKP':
      if (jwk.crv !== 'Ed25519') return undefined;
      // A key of small order, or one written in a non-canonical way, is never used (see ed25519.ts).
      if (!isSafeEd25519PublicKey(jwk.x)) return undefined;
      return alg === undefined || alg === 'EdDSA' || alg === 'Ed25519' ? ED25519 : undefined;
    default:
      return undefined;
  }
}
