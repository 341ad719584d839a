/**
 * Reading an identity-provider token without verifying it, for tools that show what it would
 * be granted (the docs workbench).
 *
 * @module
 */
import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { OIDC_ALGORITHMS, type OidcAlgorithm } from './algorithms.js';
import { OIDC_VERIFIER_DEFAULTS } from './verifier.js';

/** Result of {@link decodeIdentityToken}. */
export type DecodedIdentityToken =
  | {
      readonly ok: true;
      readonly header: ProtectedHeaderParameters;
      readonly claims: JWTPayload;
      /** False when the gateway would refuse the header's algorithm whatever the key. */
      readonly algorithmAccepted: boolean;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Decodes a JWT's header and claims WITHOUT checking its signature or claims: for inspection
 * only, never for a decision (use `createOidcVerifier`). Never throws.
 */
export function decodeIdentityToken(token: string): DecodedIdentityToken {
  if (typeof token !== 'string' || token.trim() === '') return { ok: false, message: 'no token' };
  const trimmed = token.trim();
  if (trimmed.length > OIDC_VERIFIER_DEFAULTS.maxTokenLength)
    return {
      ok: false,
      message: `longer than ${OIDC_VERIFIER_DEFAULTS.maxTokenLength} characters: the gateway refuses it unread`,
    };
  try {
    const header = decodeProtectedHeader(trimmed);
    const claims = decodeJwt(trimmed);
    return {
      ok: true,
      header,
      claims,
      algorithmAccepted:
        typeof header.alg === 'string' && OIDC_ALGORITHMS.includes(header.alg as OidcAlgorithm),
    };
  } catch (error) {
    return {
      ok: false,
      message: `not a JWT: ${error instanceof Error ? error.message : 'unreadable'}`,
    };
  }
}
