// One RPC call over REST: fill in the account, check the request, build the URL, send it with
// ofetch (explicit options, no ofetch retries or timeouts: we own both), retry what is safe to
// retry, and turn every outcome into a parsed message or a QdrantCloudError.
import { managementKeyHeaders } from '@qdrant-kit/core';
import { createFetch } from 'ofetch';
import type { CallOptions, RetryOptions } from './call-options.js';
import { grpcCodeForHttpStatus, QdrantCloudError, type ValidationIssue } from './errors.js';
import { scrub, scrubValue } from './redact.js';
import { backoffDelay, parseRetryAfter, resolveRetry, sleep } from './retry.js';
import type { RpcDescriptor } from './service.js';

/** Options of {@link createCloudClient} and {@link composeCloudClient}. */
export interface CloudClientOptions {
  /** Management key (Cloud console > Access Management > Management Keys). Sent as `Authorization: apikey <key>`. */
  readonly apiKey: string;
  /** API root, default `https://api.cloud.qdrant.io`. */
  readonly baseUrl?: string;
  /** Account used wherever a request leaves `accountId` out. */
  readonly accountId?: string;
  /** A fetch implementation; default: the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Per-attempt time limit in ms, default 30 000; `0` = none. */
  readonly timeout?: number;
  /** Retries for idempotent calls: a count, options, or `0`/`false` to turn them off (default 3). */
  readonly retry?: number | false | RetryOptions;
  /** Headers added to every call (e.g. a `user-agent`). `authorization` is always the management key. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends RPCs; shared by all namespaces of one client. */
export interface Transport {
  /** Calls one RPC and resolves to its parsed response message. */
  call(
    rpc: string,
    descriptor: RpcDescriptor,
    request: unknown,
    options?: CallOptions,
  ): Promise<unknown>;
}

const DEFAULT_BASE_URL = 'https://api.cloud.qdrant.io';
const DEFAULT_TIMEOUT_MS = 30_000;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

type Json = Record<string, unknown>;

/** Creates the transport behind a client. The key lives only in this closure. */
export function createTransport(options: CloudClientOptions): Transport {
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new QdrantCloudError({
      kind: 'validation',
      code: 16,
      message: 'createCloudClient: apiKey (a management key) is required',
      issues: [{ field: 'apiKey', message: 'is required' }],
    });
  }
  const secrets = [apiKey];
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const injected = options.fetch;
  const $fetch = createFetch({
    fetch: injected ?? ((input, init) => globalThis.fetch(input, init)),
  });
  const fixedHeaders: Record<string, string> = {
    accept: 'application/json',
    ...lowerCaseKeys(options.headers),
    ...managementKeyHeaders(apiKey),
  };

  async function call(
    rpc: string,
    descriptor: RpcDescriptor,
    input: unknown,
    callOptions: CallOptions = {},
  ) {
    const [method, template, hasBody, idempotentRpc, requestSchema, responseSchema] = descriptor;
    const request = fillAccountId(asObject(input, rpc), template, options.accountId);

    if (!callOptions.skipValidation) {
      const checked = requestSchema.safeParse(request);
      if (!checked.success) {
        const issues: ValidationIssue[] = checked.error.issues.map((issue) => ({
          field: issue.path.map(String).join('.') || '(request)',
          message: issue.message,
        }));
        throw validationError(rpc, method, issues, secrets);
      }
    }

    const { path, pathFields } = expandPath(template, request, rpc, method, secrets);
    const query = hasBody ? '' : buildQuery(request, pathFields);
    const target = `${path}${query}`;
    const url = `${baseUrl}${target}`;
    const body = hasBody ? JSON.stringify(request) : undefined;
    const headers: Record<string, string> = {
      ...fixedHeaders,
      ...lowerCaseKeys(callOptions.headers),
      ...managementKeyHeaders(apiKey),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';

    const idempotent = callOptions.idempotent ?? idempotentRpc === 1;
    const retry = resolveRetry(callOptions.retry ?? options.retry);
    const maxAttempts = idempotent ? retry.retries + 1 : 1;
    const timeout = callOptions.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS;
    const signal = callOptions.signal;
    const where = { rpc, method, path: scrub(target, secrets) };

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(where, attempt - 1);
      const attemptSignal = startAttempt(signal, timeout);
      let failure: QdrantCloudError;
      try {
        const response = await $fetch.raw(url, {
          method,
          headers,
          body,
          signal: attemptSignal.signal,
          retry: false,
          ignoreResponseError: true,
          responseType: 'text',
        });
        const text = typeof response._data === 'string' ? response._data : '';
        if (response.status >= 200 && response.status < 300) {
          return parseResponse(text, responseSchema, where, attempt, secrets);
        }
        failure = httpError(response.status, response.headers, text, where, attempt, secrets);
        if (!RETRYABLE_STATUS.has(response.status)) throw failure;
      } catch (error) {
        if (error instanceof QdrantCloudError) throw error;
        if (signal?.aborted) throw abortedError(where, attempt);
        if (attemptSignal.timedOut()) throw timeoutError(where, attempt, timeout);
        failure = networkError(error, where, attempt, secrets);
      } finally {
        attemptSignal.dispose();
      }
      if (attempt >= maxAttempts) throw failure;
      const delay =
        failure.retryAfter !== undefined ? failure.retryAfter * 1000 : backoffDelay(attempt, retry);
      // A server asking for a longer pause than we are willing to wait gets the error back at once.
      if (delay > retry.maxDelayMs) throw failure;
      await sleep(delay, signal).catch(() => {
        throw abortedError(where, attempt);
      });
    }
  }

  return { call };
}

function asObject(input: unknown, rpc: string): Json {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new QdrantCloudError({
      kind: 'validation',
      code: 3,
      rpc,
      message: `${rpc}: the request must be an object`,
      issues: [{ field: '(request)', message: 'must be an object' }],
    });
  }
  return input as Json;
}

function lowerCaseKeys(
  headers: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') out[name.toLowerCase()] = value;
  }
  return out;
}

/** Sets `accountId` in every path field that needs one and lacks it, copying only what changes. */
function fillAccountId(request: Json, template: string, accountId: string | undefined): Json {
  if (!accountId) return request;
  let out = request;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    const parts = (match[1] as string).split('.');
    if (parts[parts.length - 1] !== 'accountId') continue;
    if (getPath(out, parts) !== undefined && getPath(out, parts) !== '') continue;
    out = setPath(out, parts, accountId);
  }
  return out;
}

function getPath(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[part];
  }
  return current;
}

function setPath(object: Json, parts: readonly string[], value: unknown): Json {
  const [head, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) return { ...object, [head]: value };
  const child = object[head];
  const childObject = typeof child === 'object' && child !== null ? (child as Json) : {};
  return { ...object, [head]: setPath(childObject, rest, value) };
}

function expandPath(
  template: string,
  request: Json,
  rpc: string,
  method: string,
  secrets: readonly string[],
): { path: string; pathFields: Set<string> } {
  const pathFields = new Set<string>();
  const missing: ValidationIssue[] = [];
  const path = template.replace(/\{([^}]+)\}/g, (_, field: string) => {
    pathFields.add(field);
    const value = getPath(request, field.split('.'));
    if (value === undefined || value === null || value === '') {
      missing.push({
        field,
        message: field.endsWith('accountId')
          ? 'is required (pass it in the request or as the client option accountId)'
          : 'is required',
      });
      return '';
    }
    return encodeURIComponent(String(value));
  });
  if (missing.length) throw validationError(rpc, method, missing, secrets);
  return { path, pathFields };
}

/** Non-path fields as protobuf-JSON query parameters: nested fields dotted, repeated ones repeated. */
function buildQuery(request: Json, pathFields: ReadonlySet<string>): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (pathFields.has(name)) return;
    if (Array.isArray(value)) {
      for (const item of value) add(name, item);
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Json)) add(`${name}.${key}`, inner);
    } else {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [key, value] of Object.entries(request)) add(key, value);
  return parts.length ? `?${parts.join('&')}` : '';
}

interface AttemptSignal {
  readonly signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

/** One attempt's signal: aborts on the caller's signal or after `timeout` ms (0 = never). */
function startAttempt(outer: AbortSignal | undefined, timeout: number): AttemptSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeout)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

interface Where {
  readonly rpc: string;
  readonly method: string;
  readonly path: string;
}

function parseResponse(
  text: string,
  schema: RpcDescriptor[5],
  where: Where,
  attempts: number,
  secrets: readonly string[],
): unknown {
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new QdrantCloudError({
        kind: 'response',
        code: 13,
        ...where,
        attempts,
        message: `${where.rpc}: the API answered ${where.method} ${where.path} with a body that is not JSON`,
      });
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(response)',
      message: scrub(issue.message, secrets),
    }));
    throw new QdrantCloudError({
      kind: 'response',
      code: 13,
      ...where,
      attempts,
      issues,
      message: `${where.rpc}: unexpected response: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    });
  }
  return parsed.data;
}

function httpError(
  status: number,
  headers: Headers,
  text: string,
  where: Where,
  attempts: number,
  secrets: readonly string[],
): QdrantCloudError {
  let code = grpcCodeForHttpStatus(status);
  let message = '';
  let details: unknown[] = [];
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown };
    if (
      typeof body.code === 'number' &&
      Number.isInteger(body.code) &&
      body.code > 0 &&
      body.code <= 16
    ) {
      code = body.code;
    }
    if (typeof body.message === 'string') message = body.message;
    if (Array.isArray(body.details)) details = body.details;
  } catch {
    message = text.slice(0, 200).trim();
  }
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  const serverMessage = scrub(message, secrets);
  return new QdrantCloudError({
    kind: 'http',
    code,
    status,
    ...where,
    attempts,
    retryAfter,
    details: scrubValue(details, secrets),
    message: `${where.rpc}: ${where.method} ${where.path} failed with HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`,
  });
}

function networkError(
  error: unknown,
  where: Where,
  attempts: number,
  secrets: readonly string[],
): QdrantCloudError {
  // ofetch wraps the fetch failure; its own object holds the request options (and so the key),
  // so only the innermost error's name, message and code are kept.
  let inner: unknown = error;
  while (
    inner &&
    typeof inner === 'object' &&
    'cause' in inner &&
    (inner as { cause?: unknown }).cause
  ) {
    const next = (inner as { cause: unknown }).cause;
    if (typeof next !== 'object') break;
    inner = next;
  }
  const name = inner instanceof Error ? inner.name : 'Error';
  const code = (inner as { code?: unknown })?.code;
  const detail = scrub(
    `${inner instanceof Error ? inner.message : String(inner)}${typeof code === 'string' && !String(inner).includes(code) ? ` (${code})` : ''}`,
    secrets,
  );
  return new QdrantCloudError({
    kind: 'network',
    code: 14,
    ...where,
    attempts,
    cause: { name, message: detail },
    message: `${where.rpc}: ${where.method} ${where.path} got no answer: ${detail}`,
  });
}

function timeoutError(where: Where, attempts: number, timeout: number): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'timeout',
    code: 4,
    ...where,
    attempts,
    message: `${where.rpc}: ${where.method} ${where.path} timed out after ${timeout} ms`,
  });
}

function abortedError(where: Where, attempts: number): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'aborted',
    code: 1,
    ...where,
    attempts,
    message: `${where.rpc}: ${where.method} ${where.path} was aborted`,
  });
}

function validationError(
  rpc: string,
  method: string,
  issues: readonly ValidationIssue[],
  secrets: readonly string[],
): QdrantCloudError {
  const clean = issues.map((i) => ({
    field: scrub(i.field, secrets),
    message: scrub(i.message, secrets),
  }));
  return new QdrantCloudError({
    kind: 'validation',
    code: 3,
    rpc,
    method,
    issues: clean,
    message: `${rpc}: invalid request: ${clean.map((i) => `${i.field} ${i.message}`).join('; ')}`,
  });
}
