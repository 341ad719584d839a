// One RPC call over REST: fill in the account, check the request, build the URL, send it with
// fetch, retry what is safe to retry, and turn every outcome into a parsed message or a
// QdrantCloudError. It calls fetch directly: retries, timeouts, body handling and errors are all
// ours, so a wrapper such as ofetch added only per-call work (a Headers object, option merging,
// its own async layer; about a tenth of the throughput against a local server, see bench/run.mjs).
import { managementKeyHeaders } from '@qdrant-kit/core';
import type { CallOptions, RetryOptions } from './call-options.js';
import { grpcCodeForHttpStatus, QdrantCloudError, type ValidationIssue } from './errors.js';
import { FAIL, fastParse } from './fast-response.js';
import { scrub, scrubValue } from './redact.js';
import { backoffDelay, parseRetryAfter, resolveRetry, sleep } from './retry.js';
import { buildQuery, compileRoute, expandPath, fillAccountId } from './route.js';
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
// Answers that carry no body by definition: there is nothing to read.
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

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
  // Looked up at call time, so a global fetch installed (or replaced) later is the one used.
  const fetchImpl: typeof globalThis.fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const keyHeaders = managementKeyHeaders(apiKey);
  const fixedHeaders: Record<string, string> = {
    accept: 'application/json',
    ...lowerCaseKeys(options.headers),
    ...keyHeaders,
  };
  const clientRetry = resolveRetry(options.retry);

  async function call(
    rpc: string,
    descriptor: RpcDescriptor,
    input: unknown,
    callOptions: CallOptions = {},
  ) {
    const [method, template, hasBody, idempotentRpc, requestSchema, responseSchema] = descriptor;
    const route = compileRoute(template);
    const request = fillAccountId(route, asObject(input, rpc), options.accountId);

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

    const expanded = expandPath(route, request);
    if ('missing' in expanded) throw validationError(rpc, method, expanded.missing, secrets);
    const target = hasBody ? expanded.path : `${expanded.path}${buildQuery(route, request)}`;
    const url = `${baseUrl}${target}`;
    const body = hasBody ? JSON.stringify(request) : undefined;
    const headers: Record<string, string> =
      callOptions.headers === undefined
        ? { ...fixedHeaders }
        : { ...fixedHeaders, ...lowerCaseKeys(callOptions.headers), ...keyHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';

    const idempotent = callOptions.idempotent ?? idempotentRpc === 1;
    const retry = callOptions.retry === undefined ? clientRetry : resolveRetry(callOptions.retry);
    const maxAttempts = idempotent ? retry.retries + 1 : 1;
    const timeout = callOptions.timeout ?? options.timeout ?? DEFAULT_TIMEOUT_MS;
    const signal = callOptions.signal;
    // Only failures need it; scrubbing the path on every successful call would be wasted work.
    let whereCache: Where | undefined;
    const where = () => {
      whereCache ??= { rpc, method, path: scrub(target, secrets) };
      return whereCache;
    };

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortedError(where(), attempt - 1);
      const attemptSignal = startAttempt(signal, timeout);
      let failure: QdrantCloudError;
      try {
        const response = await fetchImpl(url, {
          method,
          headers,
          body,
          signal: attemptSignal.signal,
        });
        const text = NULL_BODY_STATUS.has(response.status) ? '' : await response.text();
        if (response.status >= 200 && response.status < 300) {
          return parseResponse(text, responseSchema, where, attempt, secrets);
        }
        failure = httpError(response.status, response.headers, text, where(), attempt, secrets);
        if (!RETRYABLE_STATUS.has(response.status)) throw failure;
      } catch (error) {
        if (error instanceof QdrantCloudError) throw error;
        if (signal?.aborted) throw abortedError(where(), attempt);
        if (attemptSignal.timedOut()) throw timeoutError(where(), attempt, timeout);
        failure = networkError(error, where(), attempt, secrets);
      } finally {
        attemptSignal.dispose();
      }
      if (attempt >= maxAttempts) throw failure;
      const delay =
        failure.retryAfter !== undefined ? failure.retryAfter * 1000 : backoffDelay(attempt, retry);
      // A server asking for a longer pause than we are willing to wait gets the error back at once.
      if (delay > retry.maxDelayMs) throw failure;
      await sleep(delay, signal).catch(() => {
        throw abortedError(where(), attempt);
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
  whereOf: () => Where,
  attempts: number,
  secrets: readonly string[],
): unknown {
  let json: unknown = {};
  // A JSON object (every response message) starts with `{`; only other text can be blank.
  if (text.charCodeAt(0) === 123 || text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      const where = whereOf();
      throw new QdrantCloudError({
        kind: 'response',
        code: 13,
        ...where,
        attempts,
        message: `${where.rpc}: the API answered ${where.method} ${where.path} with a body that is not JSON`,
      });
    }
  }
  // Zod's exact output, built without zod whenever the converter can (see fast-response.ts).
  const fast = fastParse(schema, json);
  if (fast !== FAIL) return fast;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = whereOf();
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
  // Fetch failures nest (undici: TypeError "fetch failed" caused by ECONNREFUSED), and a wrapping
  // error may hold the request options (and so the key), so only the innermost error's name,
  // message and code are kept.
  let inner: unknown = error;
  // Bounded: a custom fetch may throw an error whose cause chain loops back on itself.
  for (let depth = 0; depth < 16; depth++) {
    if (!inner || typeof inner !== 'object' || !('cause' in inner)) break;
    const next = (inner as { cause?: unknown }).cause;
    if (!next || typeof next !== 'object' || next === inner) break;
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
