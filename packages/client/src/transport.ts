// One RPC call over REST: fill in the account, check the request, build the URL, and send it
// with ofetch, whose retry loop, JSON handling and hooks carry the policy below; every outcome
// becomes a parsed message or a QdrantCloudError.
//
// The policy: only idempotent calls are retried, on 429, 502, 503, 504 and network errors that
// can change, with exponential back-off and full jitter, honouring `Retry-After`; each attempt
// has its own time limit; redirects are never followed (the key would travel with them).
import { managementKeyHeaders } from '@qdrant-kit/core';
import { type FetchContext, ofetch } from 'ofetch';
import type { CallOptions, RetryOptions } from './call-options.js';
import { grpcCodeForHttpStatus, QdrantCloudError, type ValidationIssue } from './errors.js';
import { isPermanentFailure, safeCause, traceIdOf } from './failure.js';
import { scrub, scrubValue } from './redact.js';
import {
  delayBeforeRetry,
  parseRetryAfter,
  type ResolvedRetry,
  resolveRetry,
  sleep,
} from './retry.js';
import { buildQuery, compileRoute, expandPath, fillAccountId } from './route.js';
import type { RpcDescriptor } from './service.js';
import { checkServerUrl, urlPrefix } from './url.js';
import { issuesOf } from './validation/issues.js';

/** Options of {@link createCloudClient} and {@link composeCloudClient}. */
export interface CloudClientOptions {
  /**
   * Management key (Cloud console > Access Management > Management Keys), sent as
   * `Authorization: apikey <key>`. It can do everything your account can: keep it on a server,
   * never ship it to a browser.
   */
  readonly managementKey: string;
  /** API root, default `https://api.cloud.qdrant.io` (`http:` or `https:`, no user name or password). */
  readonly baseUrl?: string | undefined;
  /** Account used wherever a request leaves `accountId` out. */
  readonly accountId?: string | undefined;
  /** A fetch implementation; default: the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Per-attempt time limit in ms, default 30 000; `0` = none. */
  readonly timeoutMs?: number | undefined;
  /** Retries for idempotent calls: a count, options, or `0`/`false` to turn them off (default 3). */
  readonly retry?: number | false | RetryOptions | undefined;
  /** Headers added to every call (e.g. a `user-agent`). `authorization` is always the management key. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Check every response against its message's lenient schema (unknown fields and enum values
   * pass, int64 numbers become strings) and reject malformed ones as `kind: 'response'`.
   * Default false: responses are the API's protobuf JSON as typed, which saves ~13 µs of CPU per
   * call (bench/run.mjs).
   */
  readonly checkResponses?: boolean | undefined;
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
// ofetch retries a failure without an answer as if it were a 500; the hooks below stop every
// real 500 (and every status outside RETRYABLE_STATUS) before that, so 500 stands for "no answer".
const OFETCH_RETRY_STATUS = [429, 500, 502, 503, 504];

type Json = Record<string, unknown>;

/** A body that did not parse as JSON, kept as text for the error message. */
class NotJson {
  constructor(readonly text: string) {}
}

function parseBody(text: string): unknown {
  if (text.charCodeAt(0) !== 123 && text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return new NotJson(text);
  }
}

function configError(field: string, problem: string): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'validation',
    code: 3,
    rpc: 'createCloudClient',
    message: `createCloudClient: ${field} ${problem}`,
    issues: [{ field, message: problem }],
  });
}

function checkHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  option: string,
  secrets: readonly string[],
): void {
  if (headers === undefined) return;
  try {
    new Headers(headers as Record<string, string>);
  } catch (error) {
    throw configError(option, `are not valid HTTP headers: ${safeCause(error, secrets).message}`);
  }
}

/** Creates the transport behind a client. The key lives only in this closure. */
export function createTransport(options: CloudClientOptions): Transport {
  const { managementKey } = options;
  if ('apiKey' in options && managementKey === undefined) {
    throw configError(
      'apiKey',
      'was renamed managementKey: pass the management key as managementKey',
    );
  }
  if (typeof managementKey !== 'string' || managementKey.trim() === '') {
    throw configError(
      'managementKey',
      'is required (Cloud console > Access Management > Management Keys)',
    );
  }
  const secrets = [managementKey];
  const base = checkServerUrl('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL, 'createCloudClient');
  const baseUrl = urlPrefix(base);
  const origin = base.origin;
  checkHeaders(options.headers, 'headers', secrets);
  for (const [name, value] of [['timeoutMs', options.timeoutMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw configError(name, 'must be a number of milliseconds >= 0 (0 = no limit)');
    }
  }
  // Looked up at call time, so a global fetch installed (or replaced) later is the one used.
  const fetchImpl: typeof globalThis.fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const $fetch = ofetch.create(
    { retryStatusCodes: OFETCH_RETRY_STATUS, retryDelay: 0, parseResponse: parseBody },
    { fetch: fetchImpl },
  );
  const keyHeaders = managementKeyHeaders(managementKey);
  const fixedHeaders: Record<string, string> = {
    accept: 'application/json',
    ...lowerCaseKeys(options.headers),
    ...keyHeaders,
  };
  const clientRetry = resolveRetry(options.retry);
  const checkResponses = options.checkResponses === true;

  async function call(
    rpc: string,
    descriptor: RpcDescriptor,
    input: unknown,
    callOptions: CallOptions = {},
  ) {
    const [method, template, hasBody, idempotentRpc, requestSchema, responseSchema] = descriptor;
    const route = compileRoute(template);
    let request = fillAccountId(route, asObject(input, rpc), options.accountId);

    if (!callOptions.skipValidation) {
      const checked = requestSchema.safeParse(request);
      if (!checked.success) {
        throw validationError(rpc, method, issuesOf(checked.error.issues, request), secrets);
      }
      // The checked form: `Date` timestamps become RFC 3339 strings.
      request = checked.data as Json;
    }

    const expanded = expandPath(route, request);
    if ('missing' in expanded) throw validationError(rpc, method, expanded.missing, secrets);
    const target = hasBody ? expanded.path : `${expanded.path}${buildQuery(route, request)}`;
    if (callOptions.headers !== undefined) checkHeaders(callOptions.headers, 'headers', secrets);
    const headers: Record<string, string> =
      callOptions.headers === undefined
        ? { ...fixedHeaders }
        : { ...fixedHeaders, ...lowerCaseKeys(callOptions.headers), ...keyHeaders };
    const body = hasBody ? JSON.stringify(request) : undefined;
    if (body !== undefined) headers['content-type'] = 'application/json';

    const idempotent = callOptions.idempotent ?? idempotentRpc === 1;
    const retry: ResolvedRetry =
      callOptions.retry === undefined ? clientRetry : resolveRetry(callOptions.retry);
    const maxAttempts = idempotent ? retry.retries + 1 : 1;
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const signal = callOptions.signal;
    const where = (): Where => ({ rpc, method, origin, path: scrub(target, secrets) });

    let attempt = 0;
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const onOuterAbort = () => controller?.abort(signal?.reason);
    const endAttempt = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    // Between attempts: give up, or wait (abortably) and let ofetch send the next one.
    const retryOrThrow = async (failure: QdrantCloudError, retryable: boolean) => {
      if (!retryable || attempt >= maxAttempts) throw failure;
      const delay = delayBeforeRetry(attempt, retry, failure.retryAfter);
      // A server asking for a longer pause than we are willing to wait gets the error back at once.
      if (delay === undefined) throw failure;
      await sleep(delay, signal).catch(() => {
        throw abortedError(where(), attempt);
      });
    };

    signal?.addEventListener('abort', onOuterAbort);
    try {
      if (signal?.aborted) throw abortedError(where(), 0);
      const response = await $fetch.raw(`${baseUrl}${target}`, {
        method,
        headers,
        body,
        redirect: 'manual',
        retry: maxAttempts - 1,
        onRequest(context: FetchContext) {
          attempt++;
          timedOut = false;
          if (signal?.aborted) throw abortedError(where(), attempt - 1);
          controller = new AbortController();
          if (timeoutMs > 0) {
            const attemptController = controller;
            timer = setTimeout(() => {
              timedOut = true;
              attemptController.abort(
                new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'),
              );
            }, timeoutMs);
          }
          context.options.signal = controller.signal;
        },
        async onRequestError(context: FetchContext) {
          endAttempt();
          if (signal?.aborted) throw abortedError(where(), attempt);
          if (timedOut) {
            await retryOrThrow(timeoutError(where(), attempt, timeoutMs), true);
            return;
          }
          const error = context.error;
          await retryOrThrow(
            networkError(error, where(), attempt, secrets),
            !isPermanentFailure(error),
          );
        },
        onResponse() {
          endAttempt();
        },
        async onResponseError(context: FetchContext) {
          const answer = context.response as Response & { _data?: unknown };
          const failure = httpError(answer, where(), attempt, secrets);
          await retryOrThrow(failure, RETRYABLE_STATUS.has(answer.status));
        },
      });
      const status = response.status;
      if (status < 200 || status >= 300) {
        throw redirectError(response, where(), attempt);
      }
      return parseResponse(
        response._data,
        checkResponses ? responseSchema : undefined,
        where,
        attempt,
        secrets,
        response.headers,
      );
    } catch (error) {
      if (
        callOptions.ignoreNotFound &&
        error instanceof QdrantCloudError &&
        error.status === 404 &&
        /\.delete[A-Z]/.test(rpc)
      ) {
        return {};
      }
      if (error instanceof QdrantCloudError) throw error;
      if (signal?.aborted) throw abortedError(where(), attempt);
      if (timedOut) throw timeoutError(where(), attempt, timeoutMs);
      throw networkError(error, where(), attempt, secrets);
    } finally {
      endAttempt();
      signal?.removeEventListener('abort', onOuterAbort);
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

interface Where {
  readonly rpc: string;
  readonly method: string;
  readonly origin: string;
  readonly path: string;
}

function parseResponse(
  data: unknown,
  schema: RpcDescriptor[5] | undefined,
  where: () => Where,
  attempts: number,
  secrets: readonly string[],
  headers: Headers,
): unknown {
  if (data instanceof NotJson) {
    const w = where();
    throw new QdrantCloudError({
      kind: 'response',
      code: 13,
      ...w,
      attempts,
      traceId: traceIdOf(headers),
      message: `${w.rpc}: ${w.method} ${w.origin}${w.path} answered with a body that is not JSON`,
    });
  }
  if (schema === undefined) {
    if (data === undefined) return {};
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data;
    const w = where();
    throw new QdrantCloudError({
      kind: 'response',
      code: 13,
      ...w,
      attempts,
      traceId: traceIdOf(headers),
      message: `${w.rpc}: ${w.method} ${w.origin}${w.path} answered with JSON that is not an object`,
    });
  }
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    const w = where();
    const issues = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(response)',
      message: scrub(issue.message, secrets),
    }));
    throw new QdrantCloudError({
      kind: 'response',
      code: 13,
      ...w,
      attempts,
      issues,
      traceId: traceIdOf(headers),
      message: `${w.rpc}: unexpected response from ${w.origin}${w.path}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    });
  }
  return parsed.data;
}

function httpError(
  response: Response & { _data?: unknown },
  where: Where,
  attempts: number,
  secrets: readonly string[],
): QdrantCloudError {
  const { status } = response;
  let code = grpcCodeForHttpStatus(status);
  let message = '';
  let details: unknown[] = [];
  const data = response._data;
  if (data instanceof NotJson) {
    message = data.text.slice(0, 200).trim();
  } else if (typeof data === 'object' && data !== null) {
    const body = data as { code?: unknown; message?: unknown; details?: unknown };
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
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const serverMessage = scrub(message, secrets);
  const traceId = traceIdOf(response.headers);
  return new QdrantCloudError({
    kind: 'http',
    code,
    status,
    ...where,
    attempts,
    retryAfter,
    traceId,
    details: scrubValue(details, secrets),
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} failed with HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}${traceId ? ` (trace id ${traceId})` : ''}`,
  });
}

function redirectError(response: Response, where: Where, attempts: number): QdrantCloudError {
  let to = 'another location';
  const location = response.headers.get('location');
  if (location) {
    try {
      to = new URL(location, `${where.origin}/`).origin;
    } catch {
      to = 'an unreadable location';
    }
  }
  return new QdrantCloudError({
    kind: 'response',
    code: 13,
    status: response.status || undefined,
    ...where,
    attempts,
    traceId: traceIdOf(response.headers),
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} answered with a redirect to ${to}; it was not followed, so the key was not sent there (check baseUrl)`,
  });
}

function networkError(
  error: unknown,
  where: Where,
  attempts: number,
  secrets: readonly string[],
): QdrantCloudError {
  const cause = safeCause(error, secrets);
  return new QdrantCloudError({
    kind: 'network',
    code: 14,
    ...where,
    attempts,
    cause,
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} got no answer: ${cause.message}`,
  });
}

function timeoutError(where: Where, attempts: number, timeoutMs: number): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'timeout',
    code: 4,
    ...where,
    attempts,
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} timed out after ${timeoutMs} ms`,
  });
}

function abortedError(where: Where, attempts: number): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'aborted',
    code: 1,
    ...where,
    attempts,
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} was aborted`,
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
