import { qdrantErrorBody } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import type { CallerReader, GatewayCaller } from '../state/caller.js';
import type { RateLimitPolicy } from '../state/types.js';
import type { RateLimitDecision, RateLimiter } from './limiter.js';
import { formatRateLimit, type RateLimitOverrides } from './policy.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  readonly limiter: RateLimiter;
  /**
   * The limit of every key without an override (`QDRANT_GATEWAY_RATE_LIMIT`); none = only
   * the subjects in `overrides` are limited.
   */
  readonly policy?: RateLimitPolicy | undefined;
  /**
   * Limits by `subject` claim (`QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES`); `null` = not limited.
   * A subject's own limit applies to all its keys together.
   */
  readonly overrides?: RateLimitOverrides | undefined;
  /** Who is calling (set by the authentication middleware before this one). */
  readonly caller: CallerReader;
}

function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Limits of {@link rateLimitRefusal}. */
export interface RateLimits {
  /** The limit of every key without an override; none = only overridden subjects are limited. */
  readonly policy?: RateLimitPolicy | undefined;
  readonly overrides?: RateLimitOverrides | undefined;
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
  const { limiter, caller: readCaller } = options;
  return async (c, next) => {
    const caller = readCaller(c);
    if (caller !== undefined && !caller.admin) {
      let refusal = rateLimitRefusal(limiter, options, caller);
      if (refusal instanceof Promise) refusal = await refusal;
      if (refusal !== undefined) return refusal;
    }
    await next();
    return undefined;
  };
}

/**
 * The 429 for a non-admin caller over its limit, or `undefined` to let it through; what
 * {@link rateLimit} does, for composing guards. Synchronous when the local budget decides.
 */
export function rateLimitRefusal(
  limiter: RateLimiter,
  limits: RateLimits,
  caller: GatewayCaller,
): Response | undefined | Promise<Response | undefined> {
  const subject = caller.subject;
  const override = subject === undefined ? undefined : limits.overrides?.get(subject);
  if (override === null) return undefined;
  const applied = override ?? limits.policy;
  if (applied === undefined) return undefined;
  const name = override === undefined ? 'default' : 'subject';
  const key = subject !== undefined ? `s:${subject}` : `t:${caller.credentialId}`;
  return decide(limiter.take(key, applied), applied, name);
}

function decide(
  decision: RateLimitDecision | Promise<RateLimitDecision>,
  policy: RateLimitPolicy,
  name: string,
): Response | undefined | Promise<Response | undefined> {
  if (decision instanceof Promise) return decision.then((d) => tooManyRequests(d, policy, name));
  return tooManyRequests(decision, policy, name);
}

function tooManyRequests(
  decision: RateLimitDecision,
  policy: RateLimitPolicy,
  name: string,
): Response | undefined {
  if (decision.allowed) return undefined;
  const seconds = retrySeconds(decision.retryAfterMs);
  return new Response(
    qdrantErrorBody(
      `Rate limiting exceeded: request rate limit of ${formatRateLimit(policy)} exceeded for this key. Retry after ${seconds}s`,
    ),
    {
      status: 429,
      headers: {
        'content-type': 'application/json',
        'retry-after': String(seconds),
        'ratelimit-policy': `"${name}";q=${policy.quota};w=${policy.windowSeconds}`,
        ratelimit: `"${name}";r=0;t=${seconds}`,
      },
    },
  );
}
