import { type BucketState, takeFromBucket } from './token-bucket.js';
import type {
  RateLimitPolicy,
  RevocationChange,
  RevocationEntry,
  RevocationSnapshot,
  RevocationWatcher,
  SharedStateStore,
  TokenGrant,
} from './types.js';

/** Options of {@link createInProcessStore}. */
export interface InProcessStoreOptions {
  /** Clock in unix milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Most rate-limit buckets held; the oldest is dropped first (default 100 000). */
  readonly maxBuckets?: number;
}

/**
 * A {@link SharedStateStore} in this process's memory: for ONE gateway instance only. Two
 * instances with their own in-process stores share nothing, so a revocation made through one
 * is unknown to the other and each applies the full rate limit. Everything is lost on restart.
 * Use `@qdrant-kit/hono/redis` or `@qdrant-kit/hono/durable-object` for more than one instance.
 */
export function createInProcessStore(options: InProcessStoreOptions = {}): SharedStateStore {
  const now = options.now ?? Date.now;
  const maxBuckets = Math.max(1, options.maxBuckets ?? 100_000);
  const entries = new Map<string, RevocationEntry>();
  const buckets = new Map<string, BucketState>();
  const watchers = new Set<RevocationWatcher>();
  let version = 0;

  function publish(change: RevocationChange): void {
    for (const watcher of watchers) watcher.change(change);
  }

  return {
    kind: 'in-process',
    async loadRevocations(): Promise<RevocationSnapshot> {
      return { version, entries: [...entries.values()] };
    },
    async revocationVersion() {
      return version;
    },
    async putRevocation(entry) {
      entries.set(entry.id, entry);
      version += 1;
      publish({ version, op: 'put', entry });
      return version;
    },
    async deleteRevocation(id) {
      if (!entries.delete(id)) return false;
      version += 1;
      publish({ version, op: 'delete', id });
      return true;
    },
    async watchRevocations(watcher) {
      watchers.add(watcher);
      watcher.connected();
      return () => {
        watchers.delete(watcher);
      };
    },
    async takeTokens(key: string, policy: RateLimitPolicy, want: number): Promise<TokenGrant> {
      const bucketKey = `${policy.quota}/${policy.windowSeconds}:${key}`;
      const { state, grant } = takeFromBucket(buckets.get(bucketKey), policy, want, now());
      // Re-inserting keeps the Map in last-used order, so the first key is the oldest.
      buckets.delete(bucketKey);
      buckets.set(bucketKey, state);
      if (buckets.size > maxBuckets) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }
      return grant;
    },
    async close() {
      watchers.clear();
    },
  };
}
