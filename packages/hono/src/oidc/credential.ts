/**
 * Identity-provider tokens as a gateway credential: the `CredentialVerifier` that `qdrantAuth`
 * and `createGateway` ask before the cluster's key check.
 *
 * @module
 */
import {
  type CachedVerification,
  createBoundedCache,
  redactKey,
  type VerifiedTokenCache,
} from '@qdrant-kit/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { CredentialRefusal, CredentialVerifier, VerifiedCredential } from '../credentials.js';
import type { AccessMapping } from './access-mapping.js';
import { OIDC_ALGORITHMS, type OidcAlgorithm } from './algorithms.js';
import type { OidcRefusalReason, OidcVerified, OidcVerifier } from './verifier.js';

/** An identity-provider token the gateway accepted. */
export interface OidcCredential extends VerifiedCredential {
  readonly keyKind: 'oidc';
  /** The token's issuer (the configured one): the log line names it. */
  readonly issuer: string;
  /** `sub`, when a string: the log line names it. */
  readonly subject?: string;
  /** `exp`, unix seconds (always set: tokens without one are refused). */
  readonly expiresAt: number;
}

/** A refused identity-provider token: the cluster's status and message, and why (for the log). */
export interface OidcCredentialRefusal extends CredentialRefusal {
  readonly keyKind: 'oidc';
  readonly issuer: string;
  /** Why, in a word, for the log: `wrong-audience`, `unknown-key`, ... */
  readonly detail: OidcRefusalReason;
}

/** Options of {@link createOidcCredentialVerifier}. */
export interface OidcCredentialOptions {
  /** The identity provider's verifier (`createOidcVerifier`). */
  readonly oidc: OidcVerifier;
  /** How claims become access (`parseAccessMapping`). */
  readonly access: AccessMapping;
  /** Verified-token cache: give it the one the database keys use. `false` disables caching. */
  readonly cache?: VerifiedTokenCache | false;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** The credential of one identity provider; `null` for tokens that are not its own. Never rejects. */
export interface OidcCredentialVerifier extends CredentialVerifier {
  verify(token: string): Promise<OidcCredential | OidcCredentialRefusal | null>;
}

interface OidcCacheEntry extends CachedVerification {
  readonly oidc: { readonly verified: OidcVerified; readonly credential: OidcCredential };
}

// Tokens of one signer share their header segment: whether it names an asymmetric algorithm
// is remembered for the few last seen, so a database key costs a lookup here, not a parse.
const MAX_REMEMBERED_HEADER = 512;

/**
 * The gateway credential for one identity provider. It answers only for tokens that are meant
 * for it: a JWT whose header names an asymmetric algorithm (RS256, PS256, ES256, ES384, EdDSA)
 * and whose unverified `iss` is the issuer; for every other token it answers `null`, and the
 * cluster's key check decides exactly as without it. No database key can be such a token (the
 * cluster verifies HS256 only, and never reads `iss`), so asking it first changes no decision
 * about database keys. An accepted token gets the mapped access; a refused one the cluster's
 * answer to a refused JWT (403 `InvalidSignature` / `ExpiredSignature`, else 401).
 *
 * @example
 * ```ts
 * const app = createGateway(config, {
 *   credentials: [createOidcCredentialVerifier({ oidc: createOidcVerifier({ issuer, audience }), access: parseAccessMapping(mapping) })],
 * });
 * ```
 */
export function createOidcCredentialVerifier(
  options: OidcCredentialOptions,
): OidcCredentialVerifier {
  const { oidc, access: mapping } = options;
  const cache = options.cache === false ? undefined : options.cache;
  const scope = {};
  const now = options.now ?? Date.now;
  const headers = createBoundedCache<string, boolean>({ maxEntries: 16 });

  function asymmetricHeader(token: string, dot: number): boolean {
    const segment = dot <= MAX_REMEMBERED_HEADER ? token.slice(0, dot) : undefined;
    const known = segment === undefined ? undefined : headers.get(segment);
    if (known !== undefined) return known;
    let asymmetric = false;
    try {
      const alg = decodeProtectedHeader(token).alg;
      asymmetric = typeof alg === 'string' && OIDC_ALGORITHMS.includes(alg as OidcAlgorithm);
    } catch {
      asymmetric = false;
    }
    if (segment !== undefined) headers.set(segment, asymmetric);
    return asymmetric;
  }

  function meantForUs(token: string): boolean {
    if (token.length > oidc.maxTokenLength) return false;
    const dot = token.indexOf('.');
    if (dot <= 0 || !asymmetricHeader(token, dot)) return false;
    try {
      return decodeJwt(token).iss === oidc.issuer;
    } catch {
      return false;
    }
  }

  function cached(token: string): OidcCredential | undefined {
    const hit = cache?.get(scope, token) as OidcCacheEntry | undefined;
    if (hit === undefined) return undefined;
    const { verified, credential } = hit.oidc;
    // Expired once `exp` <= now - leeway, as jose decides it.
    if (
      verified.expiresAt > now() / 1000 - oidc.clockToleranceSeconds &&
      oidc.isStillPublished(verified)
    )
      return credential;
    cache?.delete(token);
    return undefined;
  }

  async function verify(token: string): Promise<OidcCredential | OidcCredentialRefusal | null> {
    try {
      if (typeof token !== 'string') return null;
      const hit = cached(token);
      if (hit) return hit;
      if (!meantForUs(token)) return null;
      const verified = await oidc.verify(token);
      if (!verified.ok)
        return Object.freeze({
          ok: false,
          status: verified.status,
          message: verified.message,
          keyKind: 'oidc',
          issuer: oidc.issuer,
          detail: verified.reason,
        });
      const credential: OidcCredential = Object.freeze({
        ok: true,
        keyKind: 'oidc',
        access: mapping.accessFor(verified.claims),
        keyId: redactKey(token, 'jwt'),
        issuer: verified.issuer,
        expiresAt: verified.expiresAt,
        ...(verified.subject === undefined ? {} : { subject: verified.subject }),
      });
      if (cache) {
        const entry: OidcCacheEntry = {
          scope,
          access: credential.access,
          claims: {},
          keyId: credential.keyId,
          expiresAt: verified.expiresAt,
          valueExists: undefined,
          oidc: { verified, credential },
        };
        cache.set(token, entry);
      }
      return credential;
    } catch {
      // Nothing above should throw; if a runtime's crypto does, refuse rather than crash.
      return Object.freeze({
        ok: false,
        status: 401,
        message: 'Invalid API key or JWT',
        keyKind: 'oidc',
        issuer: oidc.issuer,
        detail: 'malformed',
      });
    }
  }

  return { verify };
}
