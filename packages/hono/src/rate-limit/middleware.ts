import { qdrantErrorBody } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import { createTokenHasher } from '../revocation/entry.js';
import type { CallerReader } from '../state/caller.js';
import type { RateLimitPolicy } from '../state/types.js';
import type { RateLimiter } from './limiter.js';
import { formatRateLimit, type RateLimitOverrides } from './policy.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  /** The limit of every key without an override (`QDRANT_GATEWAY_RATE_LIMIT`). */
  readonly policy: RateLimitPolicy;
  /**
   * Limits by `subject` claim (`QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES`); `null` = not limited.
   * A subject's own limit applies to all its keys together.
   */
  readonly overrides?: RateLimitOverrides;
  /** Who is calling (set by the authentication middleware before this one). */
  readonly caller: CallerReader;
  /** Hashes tokens (default: a memoizing SHA-256). */
  readonly hashToken?: (token: string) => string | Promise<string>;
}

function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Hono middleware that limits each key's request rate: the key is the JWT's `subject` when it
 * has one (all keys of a tenant share one budget), else the SHA-256 of the token; admin keys
 * are exempt. A refused request gets 429 with `Retry-After` and the IETF `RateLimit-Policy` /
 * `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10), in the cluster's JSON error
 * shape with the cluster's wording (`Rate limiting exceeded: ...`, as its strict mode,
 * lib/collection/src/operations/types.rs:946). Fails open when the store is unreachable.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { limiter, policy, caller: readCaller } = options;
  const overrides = options.overrides ?? new Map<string, RateLimitPolicy | null>();
  const hashToken = options.hashToken ?? createTokenHasher();
  return async (c, next) => {
    const caller = readCaller(c);
    if (caller === undefined || caller.admin) {
      await next();
      return undefined;
    }
    const subject = caller.subject;
    const override = subject === undefined ? undefined : overrides.get(subject);
    if (override === null) {
      await next();
      return undefined;
    }
    const applied = override ?? policy;
    let key: string;
    if (subject !== undefined) key = `s:${subject}`;
    else {
      const hash = hashToken(caller.token);
      key = `t:${typeof hash === 'string' ? hash : await hash}`;
    }
    // Spending a local token is synchronous: no await unless the store is asked.
    let decision = limiter.take(key, applied);
    if (decision instanceof Promise) decision = await decision;
    if (decision.allowed) {
      await next();
      return undefined;
    }
    const seconds = retrySeconds(decision.retryAfterMs);
    const name = override === undefined ? 'default' : 'subject';
    return new Response(
      qdrantErrorBody(
        `Rate limiting exceeded: request rate limit of ${formatRateLimit(applied)} exceeded for this key. Retry after ${seconds}s`,
      ),
      {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'retry-after': String(seconds),
          'ratelimit-policy': `"${name}";q=${applied.quota};w=${applied.windowSeconds}`,
          ratelimit: `"${name}";r=0;t=${seconds}`,
        },
      },
    );
  };
}
