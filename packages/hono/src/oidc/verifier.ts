/**
 * `createOidcVerifier`: verifies an identity provider's JWT (access or ID token) on Web Crypto.
 *
 * @module
 */
import {
  MESSAGE_EXPIRED_SIGNATURE,
  MESSAGE_INVALID_KEY,
  MESSAGE_INVALID_SIGNATURE,
} from '@qdrant-kit/core';
import { decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { OIDC_ALGORITHMS, type OidcAlgorithm } from './algorithms.js';
import { isCanonicalBase64Url } from '../token-text.js';
import { LONE_SURROGATE } from './collection-name.js';
import { OidcConfigError } from './errors.js';
import {
  createJwksCache,
  type JwksCache,
  type JwksCacheOptions,
  type JwksCacheStatus,
  type PublishedKey,
} from './jwks-cache.js';

/** Options of {@link createOidcVerifier}. */
export interface OidcVerifierOptions extends JwksCacheOptions {
  /** Accepted audiences: a token's `aud` must contain at least one. Required. */
  readonly audience: string | readonly string[];
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`. Default 30, as the cluster on `exp`. */
  readonly clockToleranceSeconds?: number;
  /** Longest token read at all, in characters; longer ones are refused before parsing. Default 16 384. */
  readonly maxTokenLength?: number;
}

/** Defaults of {@link OidcVerifierOptions}. */
export const OIDC_VERIFIER_DEFAULTS = Object.freeze({
  clockToleranceSeconds: 30,
  maxTokenLength: 16_384,
});

/**
 * Largest `clockToleranceSeconds` a verifier accepts: a revocation entry of a JWT lasts at least
 * this long past the token's `exp`, so no verifier can still accept it once the entry lapses.
 */
export const OIDC_MAX_CLOCK_TOLERANCE_SECONDS = 300;

/** Why a token was refused (for logs; the caller sees only the cluster's message). */
export type OidcRefusalReason =
  | 'too-long'
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'algorithm-mismatch'
  | 'ambiguous-key'
  | 'keys-unavailable'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'issued-in-future'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'invalid-claim';

/** A token the identity provider signed and that is valid now. */
export interface OidcVerified {
  readonly ok: true;
  /** The verified claims. */
  readonly claims: JWTPayload;
  readonly issuer: string;
  /** `sub`, when present (tokens whose `sub` is not a well-formed string are refused). */
  readonly subject: string | undefined;
  /** `exp`, unix seconds (always present: tokens without it are refused). */
  readonly expiresAt: number;
  readonly algorithm: OidcAlgorithm;
  /** The key that verified it; see {@link OidcVerifier.isStillPublished}. */
  readonly key: PublishedKey;
}

/**
 * A refused token. `status` and `message` are what the cluster answers for a JWT it refuses
 * the same way: 403 `InvalidSignature` / `ExpiredSignature`, else 401 `Invalid API key or JWT`.
 */
export interface OidcRefusal {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly message: string;
  readonly reason: OidcRefusalReason;
}

/** Outcome of {@link OidcVerifier.verify}. Never thrown. */
export type OidcVerifyResult = OidcVerified | OidcRefusal;

/** Verifies tokens of one issuer. */
export interface OidcVerifier {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenLength: number;
  /** Verifies a token: length, header, key, signature, then `iss`, `aud`, `exp`, `nbf`, `iat`. Never rejects. */
  verify(token: string): Promise<OidcVerifyResult>;
  /** False once the key that verified `result` left the published set (rotation or revocation). */
  isStillPublished(result: OidcVerified): boolean;
  /** The key cache's state. */
  keyStatus(): JwksCacheStatus;
}

const refusal = (status: 401 | 403, reason: OidcRefusalReason): OidcRefusal =>
  Object.freeze({
    ok: false,
    status,
    reason,
    message:
      status === 401
        ? MESSAGE_INVALID_KEY
        : reason === 'expired'
          ? MESSAGE_EXPIRED_SIGNATURE
          : MESSAGE_INVALID_SIGNATURE,
  });

const REFUSALS: { readonly [R in OidcRefusalReason]: OidcRefusal } = {
  'too-long': refusal(401, 'too-long'),
  malformed: refusal(401, 'malformed'),
  'algorithm-not-allowed': refusal(401, 'algorithm-not-allowed'),
  'unknown-key': refusal(401, 'unknown-key'),
  'algorithm-mismatch': refusal(401, 'algorithm-mismatch'),
  'ambiguous-key': refusal(401, 'ambiguous-key'),
  'keys-unavailable': refusal(401, 'keys-unavailable'),
  // The cluster answers a JWT with a bad signature or past its `exp` with 403 (src/common/auth/jwt_parser.rs:40).
  'bad-signature': refusal(403, 'bad-signature'),
  expired: refusal(403, 'expired'),
  'not-yet-valid': refusal(401, 'not-yet-valid'),
  'issued-in-future': refusal(401, 'issued-in-future'),
  'wrong-issuer': refusal(401, 'wrong-issuer'),
  'wrong-audience': refusal(401, 'wrong-audience'),
  'missing-claim': refusal(401, 'missing-claim'),
  'invalid-claim': refusal(401, 'invalid-claim'),
};

function audienceList(audience: string | readonly string[]): readonly string[] {
  const list = (typeof audience === 'string' ? [audience] : [...audience]).filter(
    (a) => typeof a === 'string' && a !== '',
  );
  if (list.length === 0) throw new OidcConfigError('at least one audience is required');
  return Object.freeze(list);
}

function joseRefusal(error: unknown): OidcRefusal {
  const { code, claim, reason } = (error ?? {}) as {
    code?: unknown;
    claim?: unknown;
    reason?: unknown;
  };
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return REFUSALS['bad-signature'];
    case 'ERR_JWT_EXPIRED':
      return REFUSALS.expired;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return REFUSALS['missing-claim'];
      if (claim === 'iss') return REFUSALS['wrong-issuer'];
      if (claim === 'aud') return REFUSALS['wrong-audience'];
      if (claim === 'nbf') return REFUSALS['not-yet-valid'];
      return REFUSALS['invalid-claim'];
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return REFUSALS['algorithm-not-allowed'];
    default:
      return REFUSALS.malformed;
  }
}

/**
 * Creates a verifier for one OpenID Connect issuer's JWTs, on Web Crypto only (jose).
 *
 * The key is chosen by `kid` and decides the algorithm: the header's `alg` must be one the key
 * verifies (see `keyAlgorithms`), so an HS256 token "signed" with an RSA public key, an RS256
 * header on an EC key and `none` are all refused before any signature check. Then jose checks
 * the signature, `iss` (exact), `aud` (any of the configured ones), `exp` (required), `nbf`, with
 * the leeway; `iat` must not be in the future beyond the leeway.
 *
 * @throws {@link OidcConfigError} for a bad issuer, key URL or empty audience.
 * @example
 * ```ts
 * const verifier = createOidcVerifier({ issuer: 'https://login.example.com/', audience: 'qdrant' });
 * const result = await verifier.verify(token);
 * if (result.ok) console.log(result.subject);
 * ```
 */
export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const audiences = audienceList(options.audience);
  const tolerance = options.clockToleranceSeconds ?? OIDC_VERIFIER_DEFAULTS.clockToleranceSeconds;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > OIDC_MAX_CLOCK_TOLERANCE_SECONDS)
    throw new OidcConfigError('the clock tolerance must be between 0 and 300 seconds');
  const maxTokenLength = options.maxTokenLength ?? OIDC_VERIFIER_DEFAULTS.maxTokenLength;
  const keys: JwksCache = createJwksCache(options);
  const now = options.now ?? Date.now;
  const issuer = options.issuer;
  const mutableAudiences = [...audiences];

  async function verify(token: string): Promise<OidcVerifyResult> {
    try {
      if (typeof token !== 'string' || token.length > maxTokenLength) return REFUSALS['too-long'];
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        return REFUSALS.malformed;
      }
      const alg = header.alg;
      // Checked here so a token with a made-up algorithm never reaches the key cache.
      if (typeof alg !== 'string' || !OIDC_ALGORITHMS.includes(alg as OidcAlgorithm))
        return REFUSALS['algorithm-not-allowed'];
      // jose decodes base64url leniently: `...Q` and `...R` are one signature to it. The cluster's
      // decoder refuses the second, and so must we: each spelling would otherwise be a token of
      // its own, with its own revocation and rate-limit id.
      const segments = token.split('.');
      if (segments.length !== 3 || !segments.every(isCanonicalBase64Url)) return REFUSALS.malformed;
      const kid = header.kid;
      if (kid !== undefined && typeof kid !== 'string') return REFUSALS.malformed;
      const selected = await keys.select(kid, alg);
      if (!selected.ok) return REFUSALS[selected.reason];
      const cryptoKey = await selected.key.cryptoKey();
      const nowMs = now();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, cryptoKey, {
          // Only the algorithm the key verifies (and the header already names).
          algorithms: [alg],
          issuer,
          audience: mutableAudiences,
          clockTolerance: tolerance,
          requiredClaims: ['exp'],
          currentDate: new Date(nowMs),
        }));
      } catch (error) {
        return joseRefusal(error);
      }
      const nowSeconds = nowMs / 1000;
      if (typeof payload.iat === 'number' && payload.iat > nowSeconds + tolerance)
        return REFUSALS['issued-in-future'];
      // `sub` names the user in revocations and rate limits: one that is not a string (RFC 7519
      // section 4.1.2) would leave every token of the user apart, and a lone surrogate (JSON.parse
      // reads `\ud800`) would make two users one revocation entry (SHA-256 of UTF-8 sees U+FFFD).
      if (
        payload.sub !== undefined &&
        (typeof payload.sub !== 'string' || LONE_SURROGATE.test(payload.sub))
      )
        return REFUSALS['invalid-claim'];
      return {
        ok: true,
        claims: payload,
        issuer,
        subject: payload.sub,
        expiresAt: payload.exp as number,
        algorithm: alg as OidcAlgorithm,
        key: selected.key,
      };
    } catch {
      // A runtime whose crypto throws on a key it cannot import: refuse, never crash.
      return REFUSALS.malformed;
    }
  }

  return {
    issuer,
    audiences,
    clockToleranceSeconds: tolerance,
    maxTokenLength,
    verify,
    isStillPublished: (result) => keys.isPublished(result.key),
    keyStatus: () => keys.status(),
  };
}
