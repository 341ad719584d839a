import {
  createBoundedCache,
  type ValueExistsChecker,
  type ValueExistsClaim,
} from '@qdrant-kit/core';

/** Options of {@link createUpstreamValueExistsChecker}. */
export interface UpstreamValueExistsOptions {
  readonly upstreamUrl: string;
  /** Key the gateway uses for its own upstream calls (the upstream key, else the admin key). */
  readonly upstreamApiKey?: string | undefined;
  /** How long a result is reused, in milliseconds. */
  readonly cacheMs: number;
  /** Bound on cached results (default 1000); one not recently used is dropped first. */
  readonly maxEntries?: number;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

type Outcome = Awaited<ReturnType<ValueExistsChecker>>;

// Integers beyond 2^53 arrive as bigint, which JSON.stringify refuses; they must reach the
// cluster as plain JSON numbers. A random marker keeps user strings from being mistaken for
// them; it is made on first use because Workers forbid random values at module scope.
let bigintMark: { readonly prefix: string; readonly marked: RegExp } | undefined;

/** JSON text in which bigint values are written as plain JSON numbers. */
function toJson(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    sawBigint = true;
    bigintMark ??= (() => {
      const prefix = `bigint-${crypto.randomUUID()}:`;
      return { prefix, marked: new RegExp(`"${prefix}(-?\\d+)"`, 'g') };
    })();
    return `${bigintMark.prefix}${v.toString()}`;
  });
  return sawBigint && bigintMark ? text.replace(bigintMark.marked, '$1') : text;
}

/**
 * Checks a token's `value_exists` claim the way the cluster does: one point of `collection`
 * must match every `key == value`. Asks the upstream with a one-point scroll and caches the
 * answer briefly. Any upstream failure counts as "no match", so a broken upstream never
 * lets a token through. Redirects are never followed: the request carries the gateway's own
 * key, which must not reach another origin, and an answer from elsewhere proves nothing, so
 * any 3xx is an upstream failure.
 */
export function createUpstreamValueExistsChecker(
  options: UpstreamValueExistsOptions,
): ValueExistsChecker {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const cache = createBoundedCache<string, { outcome: Outcome; until: number }>({
    maxEntries: options.maxEntries ?? 1000,
  });

  async function ask(claim: ValueExistsClaim): Promise<Outcome> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.upstreamApiKey !== undefined) headers['api-key'] = options.upstreamApiKey;
    const body = {
      filter: { must: claim.matches.map((m) => ({ key: m.key, match: { value: m.value } })) },
      limit: 1,
      with_payload: false,
      with_vector: false,
    };
    const url = `${options.upstreamUrl}/collections/${encodeURIComponent(claim.collection)}/points/scroll`;
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers,
        body: toJson(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      // `manual` hands back the 3xx itself (or, in browsers, an opaque redirect with status 0).
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel();
        return 'no-match';
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return 'missing-collection';
      }
      if (!response.ok) {
        await response.body?.cancel();
        return 'no-match';
      }
      const json = (await response.json()) as { result?: { points?: unknown[] } };
      return (json.result?.points?.length ?? 0) > 0 ? 'match' : 'no-match';
    } catch {
      return 'no-match';
    }
  }

  return async (claim) => {
    const key = toJson([claim.collection, claim.matches]);
    const hit = cache.get(key);
    const t = now();
    if (hit !== undefined && hit.until > t) return hit.outcome;
    const outcome = await ask(claim);
    cache.set(key, { outcome, until: t + options.cacheMs });
    return outcome;
  };
}
