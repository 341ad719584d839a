/**
 * The state a gateway shares with its other instances: the revocation list and the rate-limit
 * buckets. One small interface, implemented in the process ({@link createInProcessStore}),
 * on Redis (`@qdrant-kit/hono/redis`) and on a Cloudflare Durable Object
 * (`@qdrant-kit/hono/durable-object`).
 *
 * @module
 */

/** What a revocation refuses: one token (by its SHA-256) or every key of one `subject`. */
export type RevocationTarget =
  | {
      /** Lower-case hex SHA-256 of the token's UTF-8 bytes; the token itself is never stored. */
      readonly tokenHash: string;
      readonly subject?: undefined;
    }
  | {
      /** The JWT `subject` claim whose every key is refused. */
      readonly subject: string;
      readonly tokenHash?: undefined;
    };

/** One entry of the revocation list. */
export type RevocationEntry = RevocationTarget & {
  /** Derived from the target (see `revocationId`), so revoking the same target twice updates it. */
  readonly id: string;
  /** When it was made, unix milliseconds. */
  readonly createdAt: number;
  /** When it lapses by itself, unix milliseconds; absent = until lifted. */
  readonly until?: number;
};

/** The whole list at one version. */
export interface RevocationSnapshot {
  /** Grows by one with every change; an instance that sees a gap reloads. */
  readonly version: number;
  readonly entries: readonly RevocationEntry[];
}

/** A change, as pushed to the instances that watch the list. */
export type RevocationChange =
  | { readonly version: number; readonly op: 'put'; readonly entry: RevocationEntry }
  | { readonly version: number; readonly op: 'delete'; readonly id: string };

/** Events a watching instance receives. */
export interface RevocationWatcher {
  /** A change made by any instance. */
  change(change: RevocationChange): void;
  /**
   * The push channel is (again) connected: changes made while it was not may have been missed,
   * so the list must be reloaded.
   */
  connected(): void;
  /** The push channel is lost: changes may be missed from now on. */
  disconnected(): void;
}

/** A rate limit: `quota` requests per `windowSeconds`, as a token bucket of that size. */
export interface RateLimitPolicy {
  readonly quota: number;
  readonly windowSeconds: number;
}

/** Answer of {@link SharedStateStore.takeTokens}. */
export interface TokenGrant {
  /** Tokens taken (0 to the number asked for). */
  readonly granted: number;
  /** Whole tokens left in the bucket after the grant. */
  readonly remaining: number;
  /** Milliseconds until the bucket holds a whole token again (0 when it still does). */
  readonly retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  readonly resetMs: number;
}

/**
 * The shared state behind revocation and rate limiting. Every method may reject when the store
 * cannot be reached; callers decide what that means (revocation fails closed, rate limiting
 * fails open).
 */
export interface SharedStateStore {
  /** Short name for logs: `in-process`, `redis`, `durable-object`. */
  readonly kind: string;
  /** The whole revocation list, read atomically with its version. */
  loadRevocations(): Promise<RevocationSnapshot>;
  /** The list's current version: a cheap check that a loaded copy is still current. */
  revocationVersion(): Promise<number>;
  /** Adds or replaces the entry with the same id; resolves to the new version. */
  putRevocation(entry: RevocationEntry): Promise<number>;
  /** Removes an entry; resolves to whether it existed. */
  deleteRevocation(id: string): Promise<boolean>;
  /**
   * Pushes changes to `watcher` while it is subscribed, if this store can push (Redis pub/sub,
   * the in-process store); stores that cannot leave it out and are polled.
   * Resolves to a function that unsubscribes.
   */
  watchRevocations?(watcher: RevocationWatcher): Promise<() => void>;
  /**
   * Atomically takes up to `want` tokens from the bucket of `key` under `policy` (one bucket per
   * key and policy, refilled continuously at `quota / windowSeconds` per second, full at start).
   */
  takeTokens(key: string, policy: RateLimitPolicy, want: number): Promise<TokenGrant>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
