import { createBoundedCache } from '@qdrant-kit/core';
import type { RateLimitPolicy, SharedStateStore } from '../state/types.js';
import { leaseSizeFor } from './policy.js';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  readonly store: SharedStateStore;
  /** Clock, unix milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Tokens taken from the store at once for a policy (default {@link leaseSizeFor}). */
  readonly leaseSize?: (policy: RateLimitPolicy) => number;
  /**
   * Milliseconds a taken token may wait here before it is dropped unused (default 1000), so
   * an idle instance does not sit on budget the others could use.
   */
  readonly leaseTtlMs?: number;
  /** Milliseconds to let requests through unchecked after the store failed (default 1000). */
  readonly failOpenMs?: number;
  /** Most keys tracked here (default 10 000). */
  readonly maxKeys?: number;
  /** Told when the store cannot be reached (default: a line on `console.error`, at most every 5 s). */
  readonly onError?: (message: string) => void;
}

/** What {@link RateLimiter.take} decides. */
export type RateLimitDecision =
  | { readonly allowed: true; readonly failedOpen?: boolean }
  | {
      readonly allowed: false;
      /** Milliseconds until a request of this key may pass again. */
      readonly retryAfterMs: number;
    };

interface LocalBudget {
  /** The caller's key, as the store knows it (the policy is part of the store's bucket too). */
  readonly key: string;
  /** Tokens taken from the store and not used yet. */
  tokens: number;
  /** When those tokens are dropped. */
  expiresAt: number;
  /** The store's bucket is empty until then: refuse without asking. */
  emptyUntil: number;
  /** Requests waiting for the lease under way. */
  waiting: number;
  inflight: Promise<void> | undefined;
}

const ALLOWED: RateLimitDecision = Object.freeze({ allowed: true });
const FAILED_OPEN: RateLimitDecision = Object.freeze({ allowed: true, failedOpen: true });

/**
 * Rate limits keys against a shared token bucket per key, with a local budget: an instance
 * takes a few tokens at once (a lease, see {@link leaseSizeFor}) and spends them without a
 * round trip, so a hot key costs one store call per lease, not per request. Once the store says
 * the bucket is empty, the key is refused here until a token is due back, again without a
 * round trip. The next lease is asked for when half of one is spent, so a hot key does not
 * wait for it either. Accuracy across instances is within the unused tokens they hold (at most
 * one and a half leases each per key; leases are 1 token for limits under 40/s). Concurrent requests of one key share one store call, which asks for as many
 * tokens as requests are waiting (those are spent at once, so they are no slack).
 *
 * Fails open: when the store cannot be reached, requests pass (logged) for `failOpenMs`, then
 * the store is tried again.
 */
export class RateLimiter {
  readonly #store: SharedStateStore;
  readonly #now: () => number;
  readonly #leaseSize: (policy: RateLimitPolicy) => number;
  readonly #leaseTtlMs: number;
  readonly #failOpenMs: number;
  readonly #onError: (message: string) => void;
  readonly #budgets;
  #storeDownUntil = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: RateLimiterOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#leaseSize = options.leaseSize ?? leaseSizeFor;
    this.#leaseTtlMs = options.leaseTtlMs ?? 1000;
    this.#failOpenMs = options.failOpenMs ?? 1000;
    this.#budgets = createBoundedCache<string, LocalBudget>({
      maxEntries: options.maxKeys ?? 10_000,
    });
    let lastLogAt = Number.NEGATIVE_INFINITY;
    this.#onError =
      options.onError ??
      ((message) => {
        const t = this.#now();
        if (t - lastLogAt < 5000) return;
        lastLogAt = t;
        console.error(`qdrant gateway: rate limit: ${message}`);
      });
  }

  /**
   * Takes one request's token for `key` under `policy`. Synchronous when the local budget
   * decides (a token in hand, or the bucket known empty); a promise when the store is asked.
   * Never rejects.
   */
  take(key: string, policy: RateLimitPolicy): RateLimitDecision | Promise<RateLimitDecision> {
    const id = `${policy.quota}/${policy.windowSeconds}:${key}`;
    let budget = this.#budgets.get(id);
    if (budget === undefined) {
      budget = { key, tokens: 0, expiresAt: 0, emptyUntil: 0, waiting: 0, inflight: undefined };
      this.#budgets.set(id, budget);
    }
    const now = this.#now();
    if (budget.tokens > 0 && budget.expiresAt > now) {
      budget.tokens -= 1;
      // Half the lease spent: the next one is asked for now, so a hot key never waits for it.
      // Not for leases of 1, where every token must come from the store as it is needed.
      if (budget.inflight === undefined) {
        const lease = this.#leaseSize(policy);
        if (lease > 1 && budget.tokens <= lease >> 1) budget.inflight = this.#lease(budget, policy);
      }
      return ALLOWED;
    }
    return this.#decideLocally(budget, now) ?? this.#takeFromStore(budget, policy);
  }

  #decideLocally(budget: LocalBudget, now: number): RateLimitDecision | undefined {
    if (budget.tokens > 0 && budget.expiresAt > now) {
      budget.tokens -= 1;
      return ALLOWED;
    }
    if (budget.emptyUntil > now) return { allowed: false, retryAfterMs: budget.emptyUntil - now };
    if (this.#storeDownUntil > now) return FAILED_OPEN;
    return undefined;
  }

  async #takeFromStore(budget: LocalBudget, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    // Each round waits for one store call, then spends a token or refuses; a request that lost
    // the race for its lease's tokens tries once more before it is refused.
    for (let round = 0; round < 3; round++) {
      budget.waiting += 1;
      budget.inflight ??= this.#lease(budget, policy);
      try {
        await budget.inflight;
      } finally {
        budget.waiting -= 1;
      }
      const decided = this.#decideLocally(budget, this.#now());
      if (decided !== undefined) return decided;
    }
    return { allowed: false, retryAfterMs: Math.max(1, budget.emptyUntil - this.#now()) };
  }

  /** Stops reporting store failures (the store is being closed). */
  close(): void {
    this.#closed = true;
  }

  async #lease(budget: LocalBudget, policy: RateLimitPolicy): Promise<void> {
    // Let requests that arrive in the same turn join this call.
    await Promise.resolve();
    const want = Math.max(this.#leaseSize(policy), budget.waiting);
    try {
      const grant = await this.#store.takeTokens(budget.key, policy, want);
      const now = this.#now();
      if (budget.tokens <= 0 || budget.expiresAt <= now) budget.tokens = 0;
      budget.tokens += grant.granted;
      budget.expiresAt = now + this.#leaseTtlMs;
      budget.emptyUntil = grant.retryAfterMs > 0 ? now + grant.retryAfterMs : 0;
    } catch (error) {
      this.#storeDownUntil = this.#now() + this.#failOpenMs;
      if (!this.#closed)
        this.#onError(
          `${this.#store.kind} store unreachable (${error instanceof Error ? error.message : 'error'}); letting requests through`,
        );
    } finally {
      budget.inflight = undefined;
    }
  }
}
