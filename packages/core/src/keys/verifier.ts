/**
 * `createKeyVerifier`: decides whether a request's key is accepted, exactly like a cluster.
 *
 * @module
 */
import { type Access, GLOBAL_MANAGE, GLOBAL_READ } from '../access/model.js';
import { readDatabaseKey } from '../headers.js';
import { redactKey } from '../redact.js';
import {
  type CachedVerification,
  createVerifiedTokenCache,
  type VerifiedTokenCache,
} from './cache.js';
import type { DatabaseKeyClaims, ValueExistsClaim } from './claims.js';
import { utf8 } from './base64url.js';
import { isHeaderRefusal } from './header.js';
import { type Hs256Provider, webCryptoHs256 } from './hmac.js';
import { isExpiredAt, prepareToken, readTokenParts } from './jwt.js';
import {
  MESSAGE_INVALID_KEY,
  MESSAGE_NO_KEY,
  MESSAGE_STATEFUL_VALIDATION_FAILED,
} from './messages.js';
import { StaticKey } from './static-keys.js';

/**
 * What kind of key was presented: the cluster's `api-key`, `alt-api-key` or
 * `read-only-api-key`, a `jwt`, or `none` when auth is disabled (no key configured).
 */
export type KeyKind = 'none' | 'api-key' | 'alt-api-key' | 'read-only-api-key' | 'jwt';

/** A key the cluster would accept. */
export interface VerifySuccess {
  readonly ok: true;
  /** What the key may do; pass it to `authorizeRequest`. */
  readonly access: Access;
  readonly keyKind: KeyKind;
  /** Redacted, safe to log (see {@link redactKey}). */
  readonly keyId: string;
  /** The JWT's claims (JWT keys only). */
  readonly claims?: DatabaseKeyClaims;
  /** The JWT's `exp`, unix seconds. */
  readonly expiresAt?: number;
  /** The JWT's `subject` claim (audit-log subject). */
  readonly subject?: string;
}

/** A refusal with the cluster's exact status and plain-text body. */
export interface Denial {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly message: string;
}

/** Outcome of verifying a key. Never thrown, always returned. */
export type VerifyResult = VerifySuccess | Denial;

/** Answer of a {@link ValueExistsChecker}. */
export type ValueExistsOutcome = 'match' | 'no-match' | 'missing-collection';

/**
 * Looks for one point in `claim.collection` whose payload matches every `key == value`.
 * Resolve `missing-collection` when the collection does not exist (the cluster answers 403),
 * `no-match` when no point matches (401).
 */
export type ValueExistsChecker = (claim: ValueExistsClaim) => Promise<ValueExistsOutcome>;

/** Configuration of a verifier, named like the cluster's `service` settings. */
export interface KeyVerifierOptions {
  /** `service.api_key`: read-write key and first JWT secret. Empty = unset. */
  readonly apiKey?: string;
  /** `service.alt_api_key`: second read-write key and JWT secret (rotation). Empty = unset. */
  readonly altApiKey?: string;
  /** `service.read_only_api_key`. Empty = unset. */
  readonly readOnlyApiKey?: string;
  /** `service.jwt_rbac`: accept JWTs signed with the api keys. Default false, like the cluster. */
  readonly jwtRbac?: boolean;
  /** Cache of verified JWTs; `false` disables it. Default: a private cache of 10 000 entries. */
  readonly cache?: VerifiedTokenCache | false;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Performs the `value_exists` check; without it such tokens are refused (401). */
  readonly checkValueExists?: ValueExistsChecker;
  /**
   * The HMAC-SHA256 implementation JWTs are verified with. Default: Web Crypto
   * ({@link webCryptoHs256}), asynchronous. On Node and Bun, `nodeHs256` from
   * `@qdrant-kit/core/node` is synchronous and many times faster; the answers are the same.
   */
  readonly hs256?: Hs256Provider;
}

/** Verifies keys the way a configured cluster does. */
export interface KeyVerifier {
  /** False when no key is configured: every request then gets global manage. */
  readonly authEnabled: boolean;
  /** Reads the key from headers ({@link readDatabaseKey}) and verifies it. Never rejects. */
  verify(headers: Headers): Promise<VerifyResult>;
  /** Verifies a key; `undefined` means none was presented. Never rejects. */
  verifyKey(key: string | undefined): Promise<VerifyResult>;
}

const deny = (status: 401 | 403, message: string): Denial =>
  Object.freeze({ ok: false, status, message });

const nonEmpty = (value: string | undefined): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/**
 * Creates a verifier for a cluster's key configuration.
 *
 * Order of checks, as the cluster: `api_key`/`alt_api_key` (constant time) → global manage;
 * `read_only_api_key` → global read; then, with `jwtRbac`, an HS256 JWT signed with `api_key`
 * then `alt_api_key`; otherwise 401 `Invalid API key or JWT`.
 *
 * @example
 * ```ts
 * const verifier = createKeyVerifier({ apiKey: env.QDRANT_API_KEY, jwtRbac: true });
 * const result = await verifier.verify(request.headers);
 * if (!result.ok) return new Response(result.message, { status: result.status });
 * ```
 */
export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier {
  const apiKey = nonEmpty(options.apiKey);
  const altApiKey = nonEmpty(options.altApiKey);
  const readOnlyApiKey = nonEmpty(options.readOnlyApiKey);
  const authEnabled =
    apiKey !== undefined || altApiKey !== undefined || readOnlyApiKey !== undefined;
  const writeKeys: Array<[StaticKey, KeyKind]> = [];
  if (apiKey !== undefined) writeKeys.push([new StaticKey(apiKey), 'api-key']);
  if (altApiKey !== undefined) writeKeys.push([new StaticKey(altApiKey), 'alt-api-key']);
  const readKey = readOnlyApiKey === undefined ? undefined : new StaticKey(readOnlyApiKey);
  const jwtSecrets =
    options.jwtRbac === true ? [apiKey, altApiKey].filter((s) => s !== undefined) : [];
  const hs256: Hs256Provider = options.hs256 ?? webCryptoHs256;
  // Imported lazily once; a long-running verifier never imports again.
  let hmacKeys: Promise<unknown[]> | undefined;
  let readyKeys: unknown[] | undefined;
  const cache = options.cache === false ? undefined : (options.cache ?? createVerifiedTokenCache());
  const scope = {};
  const now = options.now ?? Date.now;
  const checkValueExists = options.checkValueExists;
  // Answers shared by every request of this verifier, frozen so no caller can change them.
  const NO_KEY = deny(401, MESSAGE_NO_KEY);
  const INVALID_KEY = deny(401, MESSAGE_INVALID_KEY);
  const STATEFUL_NO_MATCH = deny(401, MESSAGE_STATEFUL_VALIDATION_FAILED);
  const STATEFUL_MISSING_COLLECTION = deny(403, MESSAGE_STATEFUL_VALIDATION_FAILED);
  const AUTH_DISABLED: VerifySuccess = Object.freeze({
    ok: true,
    access: GLOBAL_MANAGE,
    keyKind: 'none',
    keyId: 'none',
  });

  async function stateful(claim: ValueExistsClaim | undefined): Promise<Denial | undefined> {
    if (claim === undefined) return undefined;
    if (!checkValueExists) return STATEFUL_NO_MATCH;
    try {
      const outcome = await checkValueExists(claim);
      if (outcome === 'match') return undefined;
      return outcome === 'missing-collection' ? STATEFUL_MISSING_COLLECTION : STATEFUL_NO_MATCH;
    } catch {
      return STATEFUL_NO_MATCH;
    }
  }

  function success(entry: CachedVerification): VerifySuccess {
    const result: { -readonly [K in keyof VerifySuccess]: VerifySuccess[K] } = {
      ok: true,
      access: entry.access,
      keyKind: 'jwt',
      keyId: entry.keyId,
      claims: entry.claims,
    };
    if (entry.expiresAt !== undefined) result.expiresAt = entry.expiresAt;
    if (entry.claims.subject !== undefined) result.subject = entry.claims.subject;
    return result;
  }

  async function verifyJwt(token: string): Promise<VerifyResult> {
    const nowSeconds = Math.floor(now() / 1000);
    if (cache) {
      const hit = cache.get(scope, token);
      if (hit) {
        if (!isExpiredAt(hit.expiresAt, nowSeconds)) {
          // No await without a `value_exists` claim: each one is a trip through the microtask queue.
          if (hit.valueExists === undefined) return success(hit);
          return (await stateful(hit.valueExists)) ?? success(hit);
        }
        cache.delete(token);
      }
    }
    const parts = readTokenParts(token);
    if (isHeaderRefusal(parts)) return INVALID_KEY;
    const checkSecret = prepareToken(token, parts);
    // A failed import is not kept: the next request imports again instead of refusing forever.
    hmacKeys ??= Promise.all(jwtSecrets.map((s) => hs256.importKey(utf8(s)))).then(
      (k) => {
        readyKeys = k;
        return k;
      },
      (error: unknown) => {
        hmacKeys = undefined;
        throw error;
      },
    );
    const keys = readyKeys ?? (await hmacKeys);
    let firstError: { readonly status: 401 | 403; readonly message: string } | undefined;
    for (const key of keys) {
      const check = await checkSecret(hs256, key, nowSeconds);
      if (check.ok) {
        const entry: CachedVerification = {
          scope,
          access: check.access,
          claims: check.claims,
          keyId: redactKey(token, 'jwt'),
          expiresAt: check.expiresAt,
          valueExists: check.claims.value_exists,
        };
        if (entry.valueExists !== undefined) {
          const refused = await stateful(entry.valueExists);
          if (refused) return refused;
        }
        cache?.set(token, entry);
        return success(entry);
      }
      // The cluster skips parsers that found no JWT and reports the first real error.
      if (check.status !== undefined) firstError ??= check;
    }
    if (firstError) return deny(firstError.status, firstError.message);
    return INVALID_KEY;
  }

  async function verifyKey(key: string | undefined): Promise<VerifyResult> {
    try {
      if (!authEnabled) return AUTH_DISABLED;
      if (typeof key !== 'string') return NO_KEY;
      // Both write keys are compared (no short circuit), as the cluster does.
      let writeKind: KeyKind | undefined;
      for (const [staticKey, kind] of writeKeys)
        if (staticKey.matches(key) && !writeKind) writeKind = kind;
      if (writeKind)
        return {
          ok: true,
          access: GLOBAL_MANAGE,
          keyKind: writeKind,
          keyId: redactKey(key, writeKind),
        };
      if (readKey?.matches(key)) {
        return {
          ok: true,
          access: GLOBAL_READ,
          keyKind: 'read-only-api-key',
          keyId: redactKey(key, 'read-only-api-key'),
        };
      }
      if (jwtSecrets.length === 0) return INVALID_KEY;
      return await verifyJwt(key);
    } catch {
      // Nothing above should throw; if a runtime's crypto does, refuse rather than crash.
      return INVALID_KEY;
    }
  }

  return {
    authEnabled,
    verifyKey,
    verify(headers: Headers) {
      if (!authEnabled) return Promise.resolve(AUTH_DISABLED);
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
