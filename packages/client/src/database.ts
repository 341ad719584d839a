// Helpers that talk to a cluster's own REST API (not the Cloud API) with a database key. The key
// never follows a redirect to another origin: redirects are handled by hand, and only those that
// stay on the cluster's origin are followed.
import { databaseKeyHeaders } from '@qdrant-kit/core';
import { grpcCodeForHttpStatus, QdrantCloudError } from './errors.js';
import { safeCause } from './failure.js';
import { scrub } from './redact.js';
import { checkServerUrl, urlPrefix } from './url.js';

/** What a Qdrant cluster answers on `GET /`. */
export interface ClusterInfo {
  /** `qdrant - vector search engine`. */
  readonly title: string;
  /** Qdrant version, e.g. `1.16.2`. */
  readonly version: string;
  /** Git commit of the build, when reported. */
  readonly commit?: string;
  readonly [field: string]: unknown;
}

/** Options of the database-side helpers. */
export interface DatabaseRequestOptions {
  /** Cluster URL with port, e.g. `https://xyz.eu-central.aws.cloud.qdrant.io:6333` (`http:` or `https:`). */
  readonly url: string;
  /** A database API key (sent in the `api-key` header) or undefined for an open cluster. */
  readonly apiKey?: string | undefined;
  /** Send the key as `Authorization: Bearer` instead of `api-key`. */
  readonly scheme?: 'api-key' | 'bearer' | undefined;
  /** Fetch implementation; default the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Time limit in ms (default 10 000). */
  readonly timeoutMs?: number | undefined;
  /** Cancels the request. */
  readonly signal?: AbortSignal | undefined;
}

const MAX_REDIRECTS = 5;

/** The answer of a same-origin GET, redirects followed by hand; throws a QdrantCloudError otherwise. */
export async function getWithKey(
  options: DatabaseRequestOptions,
  path: string,
  what: string,
): Promise<Response> {
  const { apiKey, timeoutMs = 10_000 } = options;
  const base = checkServerUrl('url', options.url, what);
  const origin = base.origin;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const secrets = apiKey ? [apiKey] : [];
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey) {
    Object.assign(headers, databaseKeyHeaders(apiKey, { scheme: options.scheme ?? 'api-key' }));
  }
  let url = `${urlPrefix(base)}${path}`;
  let shownPath = path;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await doFetch(url, { method: 'GET', headers, signal, redirect: 'manual' });
    } catch (error) {
      const kind = options.signal?.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'network';
      const cause = safeCause(error, secrets);
      throw new QdrantCloudError({
        kind,
        code: kind === 'aborted' ? 1 : kind === 'timeout' ? 4 : 14,
        method: 'GET',
        origin,
        path: scrub(shownPath, secrets),
        rpc: what,
        attempts: 1,
        cause,
        message: `${what}: GET ${origin}${scrub(shownPath, secrets)} ${kind === 'network' ? `got no answer: ${cause.message}` : kind === 'timeout' ? `timed out after ${timeoutMs} ms` : 'was aborted'}`,
      });
    }
    const isRedirect =
      response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
    if (!isRedirect) return response;
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    let next: URL | undefined;
    try {
      next = location ? new URL(location, url) : undefined;
    } catch {
      next = undefined;
    }
    if (next === undefined || next.origin !== origin || hop >= MAX_REDIRECTS) {
      const reason =
        next === undefined
          ? 'a redirect it could not read'
          : next.origin !== origin
            ? `a redirect to ${next.origin}, which was not followed so that the key stays on ${origin}`
            : `more than ${MAX_REDIRECTS} redirects`;
      throw new QdrantCloudError({
        kind: 'response',
        code: 9,
        status: response.status || undefined,
        method: 'GET',
        origin,
        path: scrub(shownPath, secrets),
        rpc: what,
        attempts: 1,
        message: `${what}: GET ${origin}${scrub(shownPath, secrets)} answered with ${reason} (check the cluster URL)`,
      });
    }
    url = next.href;
    shownPath = `${next.pathname}${next.search}`;
  }
}

/** Reads a cluster's `GET /` (title, version, commit). Rejects with a {@link QdrantCloudError} on a non-2xx answer. */
export async function getClusterInfo(options: DatabaseRequestOptions): Promise<ClusterInfo> {
  const response = await getWithKey(options, '/', 'getClusterInfo');
  const text = await response.text();
  const secrets = options.apiKey ? [options.apiKey] : [];
  const origin = new URL(options.url).origin;
  if (!response.ok) {
    throw new QdrantCloudError({
      kind: 'http',
      code: grpcCodeForHttpStatus(response.status),
      status: response.status,
      method: 'GET',
      origin,
      path: '/',
      rpc: 'getClusterInfo',
      attempts: 1,
      message: `getClusterInfo: GET ${origin}/ failed with HTTP ${response.status}: ${scrub(text.slice(0, 200), secrets)}`,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const info = body as Partial<ClusterInfo> | undefined;
  if (!info || typeof info.title !== 'string' || typeof info.version !== 'string') {
    throw new QdrantCloudError({
      kind: 'response',
      code: 13,
      status: response.status,
      method: 'GET',
      origin,
      path: '/',
      rpc: 'getClusterInfo',
      attempts: 1,
      message: `getClusterInfo: GET ${origin}/ did not answer with a Qdrant title and version`,
    });
  }
  return info as ClusterInfo;
}

/** Result of {@link checkDatabaseKey}. */
export type DatabaseKeyCheck =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number | undefined; readonly message: string };

/**
 * Checks that a database key works by calling `GET <path>` with it (default `/collections`,
 * which every valid key may call; `/` itself needs no key on a self-hosted Qdrant). Never throws
 * for a refused key, a redirect elsewhere or an unreachable cluster: the answer is a value.
 */
export async function checkDatabaseKey(
  options: DatabaseRequestOptions & { readonly path?: string | undefined },
): Promise<DatabaseKeyCheck> {
  const path = options.path ?? '/collections';
  try {
    const response = await getWithKey(options, path, 'checkDatabaseKey');
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status };
    return {
      ok: false,
      status: response.status,
      message: `GET ${path} answered HTTP ${response.status}`,
    };
  } catch (error) {
    return {
      ok: false,
      status: error instanceof QdrantCloudError ? error.status : undefined,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
