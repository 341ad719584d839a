import type { Hono, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { RateLimiter, type RateLimiterOptions } from './rate-limit/limiter.js';
import { rateLimitRefusal } from './rate-limit/middleware.js';
import {
  parseRateLimit,
  parseRateLimitOverrides,
  type RateLimitOverrides,
} from './rate-limit/policy.js';
import { revocationAdmin } from './revocation/admin.js';
import { RevocationList, type RevocationListOptions } from './revocation/list.js';
import { revocationRefusal } from './revocation/middleware.js';
import type { CallerReader } from './state/caller.js';
import type { RateLimitPolicy, SharedStateStore } from './state/types.js';

/** The gateway settings of revocation and rate limiting, read by {@link readSharedStateSettings}. */
export interface SharedStateSettings {
  /** `QDRANT_GATEWAY_REDIS_URL`: shared state on Redis; unset = in this process only. */
  readonly redisUrl?: string | undefined;
  /** `QDRANT_GATEWAY_RATE_LIMIT`: the limit of each key; unset = no limit. */
  readonly rateLimit?: RateLimitPolicy | undefined;
  /** `QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES`: limits by `subject`. */
  readonly rateLimitOverrides?: RateLimitOverrides | undefined;
  /**
   * `QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS` (default 5000): how long the last known
   * revocation list is used when the store stops answering, before requests get 503.
   */
  readonly revocationMaxStalenessMs: number;
}

/** Thrown by {@link readSharedStateSettings}; `issues` name the variables, never their values. */
export class SharedStateConfigError extends Error {
  override name = 'SharedStateConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`Invalid gateway configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Reads the revocation and rate-limit variables from an environment (non-string values are
 * ignored, as Workers bindings are).
 *
 * @throws {@link SharedStateConfigError} naming each bad variable.
 */
export function readSharedStateSettings(
  env: Readonly<Record<string, unknown>>,
): SharedStateSettings {
  const text = (name: string): string | undefined => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const issues: string[] = [];
  const redisUrl = text('QDRANT_GATEWAY_REDIS_URL');
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
    issues.push('QDRANT_GATEWAY_REDIS_URL must be a redis:// or rediss:// URL');
  }
  let rateLimit: RateLimitPolicy | undefined;
  const limitText = text('QDRANT_GATEWAY_RATE_LIMIT');
  if (limitText !== undefined) {
    try {
      rateLimit = parseRateLimit(limitText);
    } catch (error) {
      issues.push(`QDRANT_GATEWAY_RATE_LIMIT ${(error as Error).message}`);
    }
  }
  let rateLimitOverrides: RateLimitOverrides | undefined;
  const overridesText = text('QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES');
  if (overridesText !== undefined) {
    try {
      rateLimitOverrides = parseRateLimitOverrides(overridesText);
    } catch (error) {
      issues.push(`QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES ${(error as Error).message}`);
    }
  }
  let revocationMaxStalenessMs = 5000;
  const stalenessText = text('QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS');
  if (stalenessText !== undefined) {
    if (/^\d{1,9}$/.test(stalenessText) && Number(stalenessText) >= 1000) {
      revocationMaxStalenessMs = Number(stalenessText);
    } else {
      issues.push('QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS must be an integer of at least 1000');
    }
  }
  if (issues.length > 0) throw new SharedStateConfigError(issues);
  return { redisUrl, rateLimit, rateLimitOverrides, revocationMaxStalenessMs };
}

const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  401: 'revoked',
  429: 'rate limited',
  503: 'revocation list not confirmed',
};

/**
 * A refusal as the gateway's stack expects it: an `HTTPException` carrying the response (Hono
 * answers with it; the gateway's request log records its message as the reason).
 */
function refusalOf(response: Response): HTTPException {
  return new HTTPException(response.status as ContentfulStatusCode, {
    res: response,
    message: REFUSAL_REASONS[response.status] ?? 'refused',
  });
}

/** Options of {@link createSharedState}. */
export interface SharedStateOptions {
  readonly store: SharedStateStore;
  /** The gateway's admin keys: the only ones that may call the admin API; never limited. */
  readonly adminKeys: readonly (string | undefined)[];
  /** Who is calling (from the authentication middleware's context variable). */
  readonly caller: CallerReader;
  readonly rateLimit?: RateLimitPolicy | undefined;
  readonly rateLimitOverrides?: RateLimitOverrides | undefined;
  /** Options of the revocation list (freshness, polling). */
  readonly list?: Omit<RevocationListOptions, 'store'>;
  /** Options of the rate limiter (leases, fail-open window). */
  readonly limiter?: Omit<RateLimiterOptions, 'store'>;
}

/** What {@link createSharedState} builds. */
export interface SharedState {
  /** The revocation admin API: mount it before forwarding. */
  readonly admin: Hono;
  /**
   * Revocation check then rate limit, as one middleware: put it after the authentication
   * middleware. Requests it lets through cost no round trip while the local budget lasts; it
   * refuses by throwing an `HTTPException` with the response (401, 429 or 503).
   */
  readonly guard: MiddlewareHandler;
  readonly list: RevocationList;
  readonly limiter: RateLimiter;
  /** Loads the list and starts watching it (requests are refused with 503 until loaded). */
  start(): Promise<void>;
  /** Stops watching and closes the store. */
  close(): Promise<void>;
}

/**
 * Builds revocation and rate limiting on one store: the admin API, the guard middleware and
 * their lifecycle.
 */
export function createSharedState(options: SharedStateOptions): SharedState {
  const { store, caller: readCaller } = options;
  const list = new RevocationList({ ...options.list, store });
  const limiter = new RateLimiter({ ...options.limiter, store });
  const limits = { policy: options.rateLimit, overrides: options.rateLimitOverrides };
  const limited = limits.policy !== undefined || (limits.overrides?.size ?? 0) > 0;
  const guard: MiddlewareHandler = async (c, next) => {
    const caller = readCaller(c);
    if (caller !== undefined && !caller.admin) {
      let revoked = revocationRefusal(list, caller);
      if (revoked instanceof Promise) revoked = await revoked;
      if (revoked !== undefined) throw refusalOf(revoked);
      if (limited) {
        let limitedResponse = rateLimitRefusal(limiter, limits, caller);
        if (limitedResponse instanceof Promise) limitedResponse = await limitedResponse;
        if (limitedResponse !== undefined) throw refusalOf(limitedResponse);
      }
    }
    await next();
  };
  return {
    admin: revocationAdmin({ store, list, adminKeys: options.adminKeys }),
    guard,
    list,
    limiter,
    start: () => list.start(),
    async close() {
      list.close();
      limiter.close();
      await store.close();
    },
  };
}
