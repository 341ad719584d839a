/**
 * A bounded cache of verified JWTs, so a hot key costs a map lookup instead of an HMAC.
 *
 * @module
 */
import type { Access } from '../access/model.js';
import { createBoundedCache } from './bounded-cache.js';
import type { DatabaseKeyClaims, ValueExistsClaim } from './claims.js';

/** What a verifier remembers about a token it verified. */
export interface CachedVerification {
  /** The verifier (and so the secrets) that verified it: a shared cache never crosses verifiers. */
  readonly scope: object;
  readonly access: Access;
  readonly claims: DatabaseKeyClaims;
  readonly keyId: string;
  readonly expiresAt: number | undefined;
  /** Re-checked on every hit: its answer depends on the database, not on the token. */
  readonly valueExists: ValueExistsClaim | undefined;
}

/** Options of {@link createVerifiedTokenCache}. */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered (default 10 000); one not recently used is evicted first (CLOCK). */
  readonly maxEntries?: number;
  /** Longest token remembered, in characters (default 8192); longer ones are always verified. */
  readonly maxTokenLength?: number;
}

/**
 * A bounded cache of verified tokens (see {@link createBoundedCache}: a hit costs the same at
 * any size). Give one to {@link createKeyVerifier} (each verifier makes its own by default).
 * Entries are scoped to the verifier that stored them, and the verifier never serves an entry
 * past `exp` + 30 s.
 */
export interface VerifiedTokenCache {
  /** The entry for `token` stored by `scope`, marked as recently used. */
  get(scope: object, token: string): CachedVerification | undefined;
  /** Stores an entry (ignored for tokens longer than `maxTokenLength`). */
  set(token: string, entry: CachedVerification): void;
  /** Forgets one token. */
  delete(token: string): void;
  /** Forgets everything. */
  clear(): void;
  /** Number of tokens held. */
  readonly size: number;
}

/** Creates a {@link VerifiedTokenCache}. */
export function createVerifiedTokenCache(
  options: VerifiedTokenCacheOptions = {},
): VerifiedTokenCache {
  const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 10_000));
  const maxTokenLength = options.maxTokenLength ?? 8192;
  const entries = createBoundedCache<string, CachedVerification>({ maxEntries });
  return {
    get(scope, token) {
      const entry = entries.get(token);
      return entry === undefined || entry.scope !== scope ? undefined : entry;
    },
    set(token, entry) {
      if (token.length > maxTokenLength) return;
      entries.set(token, entry);
    },
    delete(token) {
      entries.delete(token);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
