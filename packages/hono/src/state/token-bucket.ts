import type { RateLimitPolicy, TokenGrant } from './types.js';

/** A bucket's stored state: fractional tokens at a moment (unix milliseconds). */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

/**
 * Takes up to `want` tokens from a token bucket of `policy.quota` tokens refilled at
 * `quota / windowSeconds` per second. A missing bucket is full. The Redis store runs the same
 * arithmetic in Lua (`redis-scripts.ts`); keep the two in step.
 */
export function takeFromBucket(
  state: BucketState | undefined,
  policy: RateLimitPolicy,
  want: number,
  now: number,
): { readonly state: BucketState; readonly grant: TokenGrant } {
  const capacity = policy.quota;
  const perMs = policy.quota / (policy.windowSeconds * 1000);
  const elapsed = state === undefined ? 0 : Math.max(0, now - state.at);
  let tokens = state === undefined ? capacity : Math.min(capacity, state.tokens + elapsed * perMs);
  const granted = Math.max(0, Math.min(Math.floor(want), Math.floor(tokens)));
  tokens -= granted;
  const retryAfterMs = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs);
  const resetMs = Math.ceil((capacity - tokens) / perMs);
  return {
    state: { tokens, at: now },
    grant: { granted, remaining: Math.floor(tokens), retryAfterMs, resetMs },
  };
}
