// Helpers that talk to a cluster's own REST API (not the Cloud API) with a database key.
import { databaseKeyHeaders } from '@qdrant-kit/core';
import { grpcCodeForHttpStatus, QdrantCloudError } from './errors.js';
import { scrub } from './redact.js';

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
  /** Cluster URL with port, e.g. `https://xyz.eu-central.aws.cloud.qdrant.io:6333`. */
  readonly url: string;
  /** A database API key (sent in the `api-key` header) or undefined for an open cluster. */
  readonly apiKey?: string;
  /** Send the key as `Authorization: Bearer` instead of `api-key`. */
  readonly scheme?: 'api-key' | 'bearer';
  /** Fetch implementation; default the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Time limit in ms (default 10 000). */
  readonly timeout?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

async function get(options: DatabaseRequestOptions, path: string, what: string): Promise<Response> {
  const { apiKey, timeout = 10_000 } = options;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const secrets = apiKey ? [apiKey] : [];
  const url = `${options.url.replace(/\/+$/, '')}${path}`;
  const deadline = AbortSignal.timeout(timeout);
  const controller = new AbortController();
  const abort = () => controller.abort();
  deadline.addEventListener('abort', abort, { once: true });
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) controller.abort();
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (apiKey)
      Object.assign(headers, databaseKeyHeaders(apiKey, { scheme: options.scheme ?? 'api-key' }));
    return await doFetch(url, { method: 'GET', headers, signal: controller.signal });
  } catch (error) {
    const kind = options.signal?.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'network';
    const detail = scrub(error instanceof Error ? error.message : String(error), secrets);
    throw new QdrantCloudError({
      kind,
      code: kind === 'aborted' ? 1 : kind === 'timeout' ? 4 : 14,
      method: 'GET',
      path,
      rpc: what,
      attempts: 1,
      cause: { name: error instanceof Error ? error.name : 'Error', message: detail },
      message: `${what}: GET ${path} ${kind === 'network' ? `got no answer: ${detail}` : kind === 'timeout' ? `timed out after ${timeout} ms` : 'was aborted'}`,
    });
  } finally {
    deadline.removeEventListener('abort', abort);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** Reads a cluster's `GET /` (title, version, commit). Rejects with a {@link QdrantCloudError} on a non-2xx answer. */
export async function getClusterInfo(options: DatabaseRequestOptions): Promise<ClusterInfo> {
  const response = await get(options, '/', 'getClusterInfo');
  const text = await response.text();
  const secrets = options.apiKey ? [options.apiKey] : [];
  if (!response.ok) {
    throw new QdrantCloudError({
      kind: 'http',
      code: grpcCodeForHttpStatus(response.status),
      status: response.status,
      method: 'GET',
      path: '/',
      rpc: 'getClusterInfo',
      attempts: 1,
      message: `getClusterInfo: GET / failed with HTTP ${response.status}: ${scrub(text.slice(0, 200), secrets)}`,
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
      path: '/',
      rpc: 'getClusterInfo',
      attempts: 1,
      message: 'getClusterInfo: GET / did not answer with a Qdrant title and version',
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
 * for a refused key or an unreachable cluster: the answer is a value.
 */
export async function checkDatabaseKey(
  options: DatabaseRequestOptions & { readonly path?: string },
): Promise<DatabaseKeyCheck> {
  const path = options.path ?? '/collections';
  try {
    const response = await get(options, path, 'checkDatabaseKey');
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
      status: undefined,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
