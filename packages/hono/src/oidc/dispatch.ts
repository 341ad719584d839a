/**
 * One verifier for database keys and identity-provider tokens, deciding which a token is.
 *
 * @module
 */
import {
  type Access,
  type CachedVerification,
  type Denial,
  type KeyVerifier,
  MESSAGE_INVALID_KEY,
  MESSAGE_NO_KEY,
  readDatabaseKey,
  redactKey,
  type VerifiedTokenCache,
  type VerifySuccess,
} from '@qdrant-kit/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AccessMapping } from './access-mapping.js';
import { OIDC_ALGORITHMS, type OidcAlgorithm } from './algorithms.js';
import type { OidcRefusalReason, OidcVerified, OidcVerifier } from './verifier.js';

/** An identity-provider token the gateway accepted. */
export interface IdentityTokenSuccess extends Omit<VerifySuccess, 'keyKind' | 'claims'> {
  readonly keyKind: 'oidc';
  /** The token's issuer (the configured one). */
  readonly issuer: string;
  /** The token's `sub`, when a string: who the log line names. */
  readonly subject?: string;
  /** What the access mapping granted for these claims. */
  readonly access: Access;
}

/** A refused identity-provider token: the cluster's status and message, and why (for logs). */
export interface IdentityTokenDenial extends Denial {
  readonly issuer: string;
  readonly reason: OidcRefusalReason;
}

/** Outcome of {@link IdentityKeyVerifier.verifyKey}. */
export type IdentityVerifyResult =
  | Awaited<ReturnType<KeyVerifier['verifyKey']>>
  | IdentityTokenSuccess
  | IdentityTokenDenial;

/** Options of {@link createIdentityKeyVerifier}. */
export interface IdentityKeyVerifierOptions {
  /** The database-key verifier (`createKeyVerifier`); its decisions are kept as they are. */
  readonly keys: KeyVerifier;
  /** The identity provider's verifier (`createOidcVerifier`). */
  readonly oidc: OidcVerifier;
  /** How claims become access (`parseAccessMapping`). */
  readonly access: AccessMapping;
  /** Verified-token cache; share the database keys' one. `false` disables caching. */
  readonly cache?: VerifiedTokenCache | false;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** A verifier for both kinds of token; auth is always on. */
export interface IdentityKeyVerifier {
  readonly authEnabled: true;
  /** Reads the key as a cluster does (`api-key`, then `Authorization: Bearer`) and verifies it. Never rejects. */
  verify(headers: Headers): Promise<IdentityVerifyResult>;
  /** Verifies a presented key; `undefined` means none was presented. Never rejects. */
  verifyKey(key: string | undefined): Promise<IdentityVerifyResult>;
}

interface IdentityCacheEntry extends CachedVerification {
  readonly identity: { readonly verified: OidcVerified; readonly success: IdentityTokenSuccess };
}

const denial = (status: 401 | 403, message: string): Denial =>
  Object.freeze({ ok: false, status, message });
const NO_KEY = denial(401, MESSAGE_NO_KEY);
const INVALID_KEY = denial(401, MESSAGE_INVALID_KEY);

/**
 * True when a token is meant for the identity provider: it reads as a JWT of an asymmetric
 * algorithm with `iss` equal to the issuer. Nothing here is trusted: the verifier checks all.
 */
export function isIdentityToken(
  token: string,
  oidc: Pick<OidcVerifier, 'issuer' | 'maxTokenLength'>,
): boolean {
  if (token.length > oidc.maxTokenLength) return false;
  try {
    const alg = decodeProtectedHeader(token).alg;
    if (typeof alg !== 'string' || !OIDC_ALGORITHMS.includes(alg as OidcAlgorithm)) return false;
    return decodeJwt(token).iss === oidc.issuer;
  } catch {
    return false;
  }
}

/**
 * Combines database keys and identity-provider tokens in one verifier. Order:
 * 1. no key: 401, as the cluster;
 * 2. an identity token verified before and still valid (cache, with its key still published);
 * 3. the database-key verifier, exactly as without OIDC (static keys, then HS256 JWTs when
 *    `jwt_rbac` is on): what it accepts, and what it refuses with 403 (a bad HS256 signature,
 *    an expired one), is final. The cluster never reads `iss`, so an HS256 token signed with its
 *    secret is a database key whatever its `iss` says;
 * 4. a token it refused with 401 goes to the identity provider only when
 *    {@link isIdentityToken} (asymmetric `alg`, `iss` = the issuer); HS* never does;
 * 5. anything else: the database verifier's 401.
 */
export function createIdentityKeyVerifier(
  options: IdentityKeyVerifierOptions,
): IdentityKeyVerifier {
  const { keys, oidc, access: mapping } = options;
  const cache = options.cache === false ? undefined : options.cache;
  const scope = {};
  const now = options.now ?? Date.now;
  const tolerance = oidc.clockToleranceSeconds;

  function cached(token: string): IdentityTokenSuccess | undefined {
    const hit = cache?.get(scope, token) as IdentityCacheEntry | undefined;
    if (hit === undefined) return undefined;
    const { verified, success } = hit.identity;
    // The same bound as jose's: expired once `exp` <= now - leeway.
    if (verified.expiresAt > now() / 1000 - tolerance && oidc.isStillPublished(verified))
      return success;
    cache?.delete(token);
    return undefined;
  }

  async function verifyIdentity(
    token: string,
  ): Promise<IdentityTokenSuccess | IdentityTokenDenial> {
    const verified = await oidc.verify(token);
    if (!verified.ok)
      return Object.freeze({
        ok: false,
        status: verified.status,
        message: verified.message,
        issuer: oidc.issuer,
        reason: verified.reason,
      });
    const success: IdentityTokenSuccess = Object.freeze({
      ok: true,
      keyKind: 'oidc',
      access: mapping.accessFor(verified.claims),
      keyId: redactKey(token, 'jwt'),
      issuer: verified.issuer,
      expiresAt: verified.expiresAt,
      ...(verified.subject === undefined ? {} : { subject: verified.subject }),
    });
    if (cache) {
      const entry: IdentityCacheEntry = {
        scope,
        access: success.access,
        claims: {},
        keyId: success.keyId,
        expiresAt: verified.expiresAt,
        valueExists: undefined,
        identity: { verified, success },
      };
      cache.set(token, entry);
    }
    return success;
  }

  async function verifyKey(key: string | undefined): Promise<IdentityVerifyResult> {
    try {
      if (typeof key !== 'string') return NO_KEY;
      const hit = cached(key);
      if (hit) return hit;
      let databaseAnswer: Denial = INVALID_KEY;
      if (keys.authEnabled) {
        const answer = await keys.verifyKey(key);
        if (answer.ok || answer.status === 403) return answer;
        databaseAnswer = answer;
      }
      return isIdentityToken(key, oidc) ? await verifyIdentity(key) : databaseAnswer;
    } catch {
      return INVALID_KEY;
    }
  }

  return {
    authEnabled: true,
    verifyKey,
    verify(headers: Headers) {
      let key: string | undefined;
      try {
        key = readDatabaseKey(headers);
      } catch {
        key = undefined;
      }
      return verifyKey(key);
    },
  };
}
