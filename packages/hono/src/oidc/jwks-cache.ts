/**
 * An identity provider's published keys, fetched with OpenID discovery and cached with a
 * policy that survives a hostile caller and a failing provider.
 *
 * @module
 */
import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { keyAlgorithms, type OidcAlgorithm } from './algorithms.js';
import { OidcConfigError } from './errors.js';
import { isAllowedKeyUrl } from './urls.js';

/** How keys are fetched and cached. Every duration is in milliseconds. */
export interface JwksCachePolicy {
  /** Longest wait for one discovery or key-set answer, body included. Default 5 000. */
  readonly fetchTimeoutMs?: number;
  /**
   * Least time between two fetches started by an unknown `kid` or after a failed fetch, so a
   * flood of made-up `kid`s costs at most one fetch per interval. Default 30 000.
   */
  readonly refreshCooldownMs?: number;
  /** Least freshness of a fetched set, whatever its `Cache-Control` says. Default 60 000. */
  readonly minFreshMs?: number;
  /** Most freshness of a fetched set, whatever its `Cache-Control` says. Default 12 hours. */
  readonly maxFreshMs?: number;
  /** Freshness of a set served without `Cache-Control: max-age`. Default 10 minutes. */
  readonly defaultFreshMs?: number;
  /**
   * How long past its freshness the last good set is still used while the provider cannot be
   * reached. Past that, tokens are refused until a fetch succeeds. Default 24 hours.
   */
  readonly maxStaleMs?: number;
  /** Largest discovery document or key set read, in bytes. Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /**
   * Most keys kept from one set; the rest are ignored. Default 64. At most four times as many
   * entries are read at all, usable or not, which bounds the work a huge set can cause.
   */
  readonly maxKeys?: number;
}

/** The defaults of {@link JwksCachePolicy}. */
export const JWKS_CACHE_DEFAULTS = Object.freeze({
  fetchTimeoutMs: 5_000,
  refreshCooldownMs: 30_000,
  minFreshMs: 60_000,
  maxFreshMs: 12 * 60 * 60 * 1000,
  defaultFreshMs: 10 * 60 * 1000,
  maxStaleMs: 24 * 60 * 60 * 1000,
  maxResponseBytes: 256 * 1024,
  maxKeys: 64,
}) satisfies Required<JwksCachePolicy>;

/** Where the keys come from and how they are cached. */
export interface JwksCacheOptions extends JwksCachePolicy {
  /** The issuer; its discovery document names the key set unless {@link jwksUri} is given. */
  readonly issuer: string;
  /** The key set's URL, skipping discovery. */
  readonly jwksUri?: string;
  /** A fixed key set: nothing is fetched (tests, air-gapped deployments). */
  readonly jwks?: JSONWebKeySet;
  /** The fetch used for discovery and keys. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Whether concurrent requests wait on one shared fetch promise. Default: yes, except on
   * Cloudflare Workers, where a request may not await another request's promise; there the
   * waiters poll the cache until the fetch settles.
   */
  readonly shareInFlightFetch?: boolean;
  /**
   * Told why a fetch failed (at most once per {@link JwksCachePolicy.refreshCooldownMs}, by the
   * cache policy), e.g. to log it. The message names no secret.
   */
  readonly onFetchError?: (message: string) => void;
}

/** One usable key of the set. */
export interface PublishedKey {
  readonly kid: string | undefined;
  /** What this key verifies, decided from the key itself (see {@link keyAlgorithms}). */
  readonly algorithms: readonly OidcAlgorithm[];
  /** The Web Crypto key, imported once on first use. */
  cryptoKey(): Promise<CryptoKey>;
}

/** Why no key was found for a token. */
export type KeySelectionFailure =
  /** No published key has the token's `kid` (after a refresh, when one was allowed). */
  | 'unknown-key'
  /** The key named by `kid` does not verify the algorithm the token's header claims. */
  | 'algorithm-mismatch'
  /** No `kid`, and not exactly one published key verifies the header's algorithm. */
  | 'ambiguous-key'
  /** No key set could be fetched (or the last good one is too old). */
  | 'keys-unavailable';

/** Result of {@link JwksCache.select}. */
export type KeySelection =
  | { readonly ok: true; readonly key: PublishedKey }
  | { readonly ok: false; readonly reason: KeySelectionFailure };

/** What the cache holds, for health checks and logs. */
export interface JwksCacheStatus {
  readonly keys: number;
  /** When the current set was fetched (ms), `undefined` before the first success. */
  readonly fetchedAt: number | undefined;
  /** Until when the current set is fresh (ms). */
  readonly freshUntil: number | undefined;
  /** Discovery and key-set requests sent so far. */
  readonly fetches: number;
  /** Why the last fetch failed, when it did. Never contains a secret. */
  readonly lastError: string | undefined;
}

/** The published keys of one issuer. */
export interface JwksCache {
  /** Finds the key for a token's `kid` and header `alg`, fetching when policy allows. Never rejects. */
  select(kid: string | undefined, alg: string): Promise<KeySelection>;
  /**
   * True while `key` is in the current set: a token verified with a key since removed is not
   * reused. Starts the background refresh of a stale set, as {@link JwksCache.select} does.
   */
  isPublished(key: PublishedKey): boolean;
  status(): JwksCacheStatus;
}

interface KeySetState {
  readonly keys: readonly PublishedKey[];
  readonly members: ReadonlySet<PublishedKey>;
  readonly fetchedAt: number;
  readonly freshUntil: number;
}

const POLL_INTERVAL_MS = 10;

class FetchFailure extends Error {}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new OidcConfigError(`${name} must be a non-negative number of milliseconds`);
  return value;
}

function runsOnWorkers(): boolean {
  const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
  return nav?.userAgent === 'Cloudflare-Workers';
}

/** Freshness in ms from `Cache-Control` and `Age`, clamped to the policy's bounds. */
export function freshnessFromHeaders(
  headers: Headers,
  policy: Pick<Required<JwksCachePolicy>, 'minFreshMs' | 'maxFreshMs' | 'defaultFreshMs'>,
): number {
  const cacheControl = headers.get('cache-control');
  let fresh = policy.defaultFreshMs;
  if (cacheControl !== null) {
    let maxAge: number | undefined;
    let noCache = false;
    for (const part of cacheControl.split(',')) {
      const directive = part.trim().toLowerCase();
      if (directive === 'no-store' || directive === 'no-cache') noCache = true;
      const match = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(directive);
      if (match?.[1] !== undefined) maxAge = Number(match[1]) * 1000;
    }
    if (noCache) fresh = 0;
    else if (maxAge !== undefined) {
      const age = /^\d{1,10}$/.exec(headers.get('age')?.trim() ?? '');
      fresh = maxAge - (age ? Number(age[0]) * 1000 : 0);
    }
  }
  return Math.min(policy.maxFreshMs, Math.max(policy.minFreshMs, fresh));
}

function publishedKey(jwk: JWK, algorithms: readonly OidcAlgorithm[]): PublishedKey {
  let imported: Promise<CryptoKey> | undefined;
  // Only public members are imported: a stray member can never change the key's type.
  const publicJwk: JWK = { kty: jwk.kty, ext: true };
  for (const member of ['crv', 'n', 'e', 'x', 'y'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') publicJwk[member] = value;
  }
  const alg = algorithms[0] as OidcAlgorithm;
  return Object.freeze({
    kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
    algorithms,
    cryptoKey() {
      imported ??= importJWK(publicJwk, alg) as Promise<CryptoKey>;
      return imported;
    },
  });
}

function readKeySet(value: unknown, maxKeys: number): PublishedKey[] {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as JSONWebKeySet).keys))
    throw new FetchFailure('the key set is not a JSON object with a "keys" array');
  const keys: PublishedKey[] = [];
  // Unusable entries (encryption keys, other types) are skipped, but each costs a check (an
  // Ed25519 key a curve computation): read a bounded number of them.
  const entries = (value as JSONWebKeySet).keys.slice(0, maxKeys * 4);
  for (const jwk of entries) {
    if (keys.length >= maxKeys) break;
    if (typeof jwk !== 'object' || jwk === null) continue;
    if (jwk.kid !== undefined && typeof jwk.kid !== 'string') continue;
    const algorithms = keyAlgorithms(jwk);
    if (algorithms !== undefined) keys.push(publishedKey(jwk, algorithms));
  }
  if (keys.length === 0) throw new FetchFailure('the key set has no usable signing key');
  return keys;
}

/**
 * Creates the key cache of one issuer. Policy: a fetched set is fresh for its `Cache-Control`
 * max-age (minus `Age`) clamped to [{@link JwksCachePolicy.minFreshMs}, {@link JwksCachePolicy.maxFreshMs}];
 * a stale set keeps serving known keys while one background refresh runs; an unknown `kid`
 * triggers a refresh at most once per {@link JwksCachePolicy.refreshCooldownMs}, and concurrent
 * misses share one fetch; a failed fetch keeps the last good set (up to
 * {@link JwksCachePolicy.maxStaleMs} past its freshness); every fetch has a timeout and a size cap.
 *
 * @throws {@link OidcConfigError} for an issuer or key URL that is not `https:` (or loopback `http:`).
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const policy = {
    fetchTimeoutMs: positive(
      options.fetchTimeoutMs,
      JWKS_CACHE_DEFAULTS.fetchTimeoutMs,
      'fetchTimeoutMs',
    ),
    refreshCooldownMs: positive(
      options.refreshCooldownMs,
      JWKS_CACHE_DEFAULTS.refreshCooldownMs,
      'refreshCooldownMs',
    ),
    minFreshMs: positive(options.minFreshMs, JWKS_CACHE_DEFAULTS.minFreshMs, 'minFreshMs'),
    maxFreshMs: positive(options.maxFreshMs, JWKS_CACHE_DEFAULTS.maxFreshMs, 'maxFreshMs'),
    defaultFreshMs: positive(
      options.defaultFreshMs,
      JWKS_CACHE_DEFAULTS.defaultFreshMs,
      'defaultFreshMs',
    ),
    maxStaleMs: positive(options.maxStaleMs, JWKS_CACHE_DEFAULTS.maxStaleMs, 'maxStaleMs'),
    maxResponseBytes: positive(
      options.maxResponseBytes,
      JWKS_CACHE_DEFAULTS.maxResponseBytes,
      'maxResponseBytes',
    ),
    maxKeys: Math.max(1, Math.floor(options.maxKeys ?? JWKS_CACHE_DEFAULTS.maxKeys)),
  };
  const issuer = options.issuer;
  if (!isAllowedKeyUrl(issuer))
    throw new OidcConfigError(
      'the issuer must be an https:// URL (http:// only on a loopback host)',
    );
  if (options.jwksUri !== undefined && !isAllowedKeyUrl(options.jwksUri))
    throw new OidcConfigError(
      'the JWKS URI must be an https:// URL (http:// only on a loopback host)',
    );
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const share = options.shareInFlightFetch ?? !runsOnWorkers();

  let state: KeySetState | undefined;
  let jwksUri = options.jwksUri;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let inFlight: { readonly promise: Promise<void>; readonly startedAt: number } | undefined;
  let fetches = 0;
  let lastError: string | undefined;

  if (options.jwks !== undefined) {
    const keys = readKeySet(options.jwks, policy.maxKeys);
    state = {
      keys,
      members: new Set(keys),
      fetchedAt: now(),
      freshUntil: Number.POSITIVE_INFINITY,
    };
  }
  const fixed = options.jwks !== undefined;

  async function fetchJson(url: string): Promise<{ json: unknown; freshMs: number }> {
    fetches++;
    const signal = AbortSignal.timeout(policy.fetchTimeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { accept: 'application/json' },
        redirect: 'follow',
        signal,
      });
    } catch (error) {
      throw new FetchFailure(
        signal.aborted
          ? `no answer within ${policy.fetchTimeoutMs} ms`
          : `fetch failed (${String((error as Error)?.name ?? 'error')})`,
      );
    }
    try {
      if (response.url !== '' && !isAllowedKeyUrl(response.url))
        throw new FetchFailure('redirected to a URL that is not https://');
      if (!response.ok) throw new FetchFailure(`answered HTTP ${response.status}`);
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > policy.maxResponseBytes)
        throw new FetchFailure(`answer larger than ${policy.maxResponseBytes} bytes`);
      const text = await readCapped(response, policy.maxResponseBytes, signal);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FetchFailure('answer is not JSON');
      }
      return { json, freshMs: freshnessFromHeaders(response.headers, policy) };
    } finally {
      // Releases the connection when the body was not read to its end.
      response.body?.cancel().catch(() => undefined);
    }
  }

  async function discover(): Promise<string> {
    const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
    const { json } = await fetchJson(`${base}/.well-known/openid-configuration`);
    const doc = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the configured one.
    if (doc.issuer !== issuer)
      throw new FetchFailure('the discovery document names another issuer');
    const uri = doc.jwks_uri;
    if (typeof uri !== 'string' || !isAllowedKeyUrl(uri))
      throw new FetchFailure('the discovery document has no https:// jwks_uri');
    return uri;
  }

  async function load(): Promise<void> {
    let step = 'discovery';
    try {
      jwksUri ??= await discover();
      step = 'key set';
      const { json, freshMs } = await fetchJson(jwksUri);
      const keys = readKeySet(json, policy.maxKeys);
      const fetchedAt = now();
      state = { keys, members: new Set(keys), fetchedAt, freshUntil: fetchedAt + freshMs };
      lastError = undefined;
    } catch (error) {
      lastError = `${step}: ${error instanceof FetchFailure ? error.message : 'could not be read'}`;
      try {
        options.onFetchError?.(lastError);
      } catch {
        // A logger that throws must not change the decision.
      }
    }
  }

  function refresh(): Promise<void> {
    const startedAt = now();
    // A fetch that outlived twice its timeout was dropped by the runtime: start another.
    if (inFlight && startedAt - inFlight.startedAt <= 2 * policy.fetchTimeoutMs)
      return inFlight.promise;
    lastAttemptAt = startedAt;
    const current: { promise: Promise<void>; startedAt: number } = {
      startedAt,
      promise: load().finally(() => {
        if (inFlight === current) inFlight = undefined;
      }),
    };
    inFlight = current;
    return current.promise;
  }

  async function refreshAndWait(): Promise<void> {
    const promise = refresh();
    if (share) return promise;
    // On Workers the promise may belong to another request: watch the cache instead.
    const mine = inFlight;
    for (let waited = 0; inFlight === mine && mine !== undefined; waited += POLL_INTERVAL_MS) {
      if (waited >= policy.fetchTimeoutMs) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  function usable(at: number): KeySetState | undefined {
    if (state === undefined) return undefined;
    return at <= state.freshUntil + policy.maxStaleMs ? state : undefined;
  }

  function find(set: KeySetState, kid: string | undefined, alg: string): KeySelection {
    if (kid === undefined) {
      let only: PublishedKey | undefined;
      for (const key of set.keys) {
        if (!key.algorithms.includes(alg as OidcAlgorithm)) continue;
        if (only !== undefined) return { ok: false, reason: 'ambiguous-key' };
        only = key;
      }
      return only ? { ok: true, key: only } : { ok: false, reason: 'ambiguous-key' };
    }
    let named = false;
    for (const key of set.keys) {
      if (key.kid !== kid) continue;
      named = true;
      if (key.algorithms.includes(alg as OidcAlgorithm)) return { ok: true, key };
    }
    return { ok: false, reason: named ? 'algorithm-mismatch' : 'unknown-key' };
  }

  const mayAttempt = (at: number) => at - lastAttemptAt >= policy.refreshCooldownMs;

  // A stale set keeps answering; one refresh runs behind it.
  function refreshWhenStale(set: KeySetState, at: number): void {
    if (!fixed && at >= set.freshUntil && inFlight === undefined && mayAttempt(at)) void refresh();
  }

  async function select(kid: string | undefined, alg: string): Promise<KeySelection> {
    try {
      const at = now();
      const set = usable(at);
      if (set === undefined) {
        if (fixed) return { ok: false, reason: 'keys-unavailable' };
        if (inFlight !== undefined || mayAttempt(at)) await refreshAndWait();
        const loaded = usable(now());
        return loaded ? find(loaded, kid, alg) : { ok: false, reason: 'keys-unavailable' };
      }
      const found = find(set, kid, alg);
      if (fixed) return found;
      refreshWhenStale(set, at);
      if (found.ok || found.reason !== 'unknown-key') return found;
      if (inFlight === undefined && !mayAttempt(at)) return found;
      await refreshAndWait();
      return find(usable(now()) ?? set, kid, alg);
    } catch {
      return { ok: false, reason: 'keys-unavailable' };
    }
  }

  return {
    select,
    isPublished(key) {
      const at = now();
      const set = usable(at);
      if (set === undefined || !set.members.has(key)) return false;
      // Tokens served from a verified-token cache still notice a key's removal.
      refreshWhenStale(set, at);
      return true;
    },
    status: () => ({
      keys: state?.keys.length ?? 0,
      fetchedAt: fixed ? undefined : state?.fetchedAt,
      freshUntil: fixed ? undefined : state?.freshUntil,
      fetches,
      lastError,
    }),
  };
}

async function readCapped(response: Response, limit: number, signal: AbortSignal): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new FetchFailure('no answer within the fetch timeout'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new FetchFailure(`answer larger than ${limit} bytes`);
      chunks.push(value);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FetchFailure('answer is not UTF-8');
  }
}
