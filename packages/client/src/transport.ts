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
import {
  grpcCodeForHttpStatus,
  QdrantCloudError,
  type QdrantCloudErrorInit,
  type ValidationIssue,
} from './errors.js';
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
// Timers fire at once for longer delays (2^31 - 1 ms is their limit).
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
// ofetch retries a failure without an answer as if it were a 500; the hooks below stop every
// real 500 (and every status outside RETRYABLE_STATUS) before that, so 500 stands for "no answer".
const OFETCH_RETRY_STATUS = [429, 500, 502, 503, 504];

type Json = Record<string, unknown>;

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

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

/** A client option that breaks a rule, found at construction (or per call). */
function optionError(rpc: string, field: string, problem: string): QdrantCloudError {
  return validationError(rpc, undefined, [{ field, message: problem }], []);
}

/** A time limit in ms as timers take it (whole, at most ~24.8 days), or an error naming the option. */
function checkTimeout(value: unknown, rpc: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw optionError(rpc, field, 'must be a number of milliseconds >= 0 (0 = no limit)');
  }
  return Math.min(Math.ceil(value), MAX_TIMER_MS);
}

function checkHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  rpc: string,
  secrets: readonly string[],
): void {
  if (headers === undefined) return;
  try {
    new Headers(headers as Record<string, string>);
  } catch (error) {
    throw optionError(
      rpc,
      'headers',
      `are not valid HTTP headers: ${safeCause(error, secrets).message}`,
    );
  }
}

/** Creates the transport behind a client. The key lives only in this closure. */
export function createTransport(options: CloudClientOptions): Transport {
  const { managementKey } = options;
  if ('apiKey' in options && managementKey === undefined) {
    throw optionError(
      'createCloudClient',
      'apiKey',
      'was renamed managementKey: pass the management key as managementKey',
    );
  }
  if (typeof managementKey !== 'string' || managementKey.trim() === '') {
    throw optionError(
      'createCloudClient',
      'managementKey',
      'is required (Cloud console > Access Management > Management Keys)',
    );
  }
  const secrets = [managementKey];
  const base = checkServerUrl('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL, 'createCloudClient');
  const baseUrl = urlPrefix(base);
  const origin = base.origin;
  checkHeaders(options.headers, 'createCloudClient', secrets);
  const clientTimeoutMs =
    options.timeoutMs === undefined
      ? DEFAULT_TIMEOUT_MS
      : checkTimeout(options.timeoutMs, 'createCloudClient', 'timeoutMs');
  // Looked up at call time, so a global fetch installed (or replaced) later is the one used.
  const fetchImpl: typeof globalThis.fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // `parseResponse` makes ofetch read every body as text and skip its content-type sniffing.
  const $fetch = ofetch.create(
    { retryStatusCodes: OFETCH_RETRY_STATUS, retryDelay: 0, parseResponse: parseBody },
    { fetch: fetchImpl },
  );
  const keyHeaders = managementKeyHeaders(managementKey);
  const fixedHeaders: Readonly<Record<string, string>> = {
    accept: 'application/json',
    ...lowerCaseKeys(options.headers),
    ...keyHeaders,
  };
  const jsonBodyHeaders = { ...fixedHeaders, ...JSON_CONTENT };
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
    // ofetch copies the headers into its own Headers object, so the fixed ones are shared.
    let headers = hasBody ? jsonBodyHeaders : fixedHeaders;
    if (callOptions.headers !== undefined) {
      checkHeaders(callOptions.headers, rpc, secrets);
      headers = {
        ...fixedHeaders,
        ...lowerCaseKeys(callOptions.headers),
        ...keyHeaders,
        ...(hasBody ? JSON_CONTENT : undefined),
      };
    }

    const idempotent = callOptions.idempotent ?? idempotentRpc === 1;
    const retry: ResolvedRetry =
      callOptions.retry === undefined ? clientRetry : resolveRetry(callOptions.retry);
    const maxAttempts = idempotent ? retry.retries + 1 : 1;
    const timeoutMs =
      callOptions.timeoutMs === undefined
        ? clientTimeoutMs
        : checkTimeout(callOptions.timeoutMs, rpc, 'timeoutMs');
    const signal = callOptions.signal;
    const where = (): Where => ({ rpc, method, origin, path: scrub(target, secrets) });

    // Each attempt gets its own signal: the caller's, cut off after `timeoutMs`. The cut-off is a
    // timer cleared when the attempt ends (AbortSignal.timeout cannot be cleared: every call would
    // leave a live 30 s timer behind, ~6 µs of CPU per call in bench/run.mjs). Only failures run
    // hooks (and count attempts), so a call that succeeds at once pays for no bookkeeping.
    let failed = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const attemptSignal = (): AbortSignal | null => {
      timedOut = false;
      if (timeoutMs === 0) return signal ?? null;
      const cutOff = new AbortController();
      timer = setTimeout(() => {
        timedOut = true;
        cutOff.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
      }, timeoutMs);
      return signal === undefined ? cutOff.signal : AbortSignal.any([signal, cutOff.signal]);
    };
    const endAttempt = () => clearTimeout(timer);
    // After a failed attempt: give up, or wait (abortably) and hand ofetch the next attempt's signal.
    const retryOrThrow = async (
      context: FetchContext,
      failure: QdrantCloudError,
      retryable: boolean,
    ) => {
      if (!retryable || failed >= maxAttempts) throw failure;
      const delay = delayBeforeRetry(failed, retry, failure.retryAfter);
      // A server asking for a longer pause than we are willing to wait gets the error back at once.
      if (delay === undefined) throw failure;
      await sleep(delay, signal).catch(() => {
        throw abortedError(where(), failed);
      });
      context.options.signal = attemptSignal();
    };

    try {
      if (signal?.aborted) throw abortedError(where(), 0);
      const response = await $fetch.raw(`${baseUrl}${target}`, {
        method,
        headers,
        body: hasBody ? JSON.stringify(request) : undefined,
        redirect: 'manual',
        retry: maxAttempts - 1,
        signal: attemptSignal(),
        async onRequestError(context: FetchContext) {
          endAttempt();
          failed++;
          if (signal?.aborted) throw abortedError(where(), failed);
          if (timedOut) {
            await retryOrThrow(context, timeoutError(where(), failed, timeoutMs), true);
            return;
          }
          const error = context.error;
          await retryOrThrow(
            context,
            networkError(error, where(), failed, secrets),
            !isPermanentFailure(error),
          );
        },
        async onResponseError(context: FetchContext) {
          endAttempt();
          failed++;
          const answer = context.response as Response & { _data?: unknown };
          const failure = httpError(answer, where(), failed, secrets);
          await retryOrThrow(context, failure, RETRYABLE_STATUS.has(answer.status));
        },
      });
      const attempts = failed + 1;
      const status = response.status;
      if (status < 200 || status >= 300) throw redirectError(response, where(), attempts);
      // Unhook the answer from the Response: undici keeps every Response until a full GC (a
      // FinalizationRegistry watches its body), and the answer would be kept and promoted with it.
      const data = response._data;
      response._data = undefined;
      return parseResponse(
        data,
        checkResponses ? responseSchema : undefined,
        where,
        attempts,
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
      // A failure while reading the body of an answer (the attempt's hooks have not counted it).
      const attempts = failed + 1;
      if (signal?.aborted) throw abortedError(where(), attempts);
      if (timedOut) throw timeoutError(where(), attempts, timeoutMs);
      throw networkError(error, where(), attempts, secrets);
    } finally {
      endAttempt();
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
  const refuse = (what: string, issues?: ValidationIssue[]) =>
    callError('response', where(), attempts, what, { issues, traceId: traceIdOf(headers) });
  if (data instanceof NotJson) throw refuse('answered with a body that is not JSON');
  if (schema === undefined) {
    if (data === undefined) return {};
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data;
    throw refuse('answered with JSON that is not an object');
  }
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(response)',
    message: scrub(issue.message, secrets),
  }));
  throw refuse(
    `answered with an unexpected response body: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    issues,
  );
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
  const serverMessage = scrub(message, secrets);
  const traceId = traceIdOf(response.headers);
  return callError(
    'http',
    where,
    attempts,
    `failed with HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}${traceId ? ` (trace id ${traceId})` : ''}`,
    {
      code,
      status,
      retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      traceId,
      details: scrubValue(details, secrets),
    },
  );
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
  return callError(
    'response',
    where,
    attempts,
    `answered with a redirect to ${to}; it was not followed, so the key was not sent there (check baseUrl)`,
    { status: response.status || undefined, traceId: traceIdOf(response.headers) },
  );
}

function networkError(
  error: unknown,
  where: Where,
  attempts: number,
  secrets: readonly string[],
): QdrantCloudError {
  const cause = safeCause(error, secrets);
  return callError('network', where, attempts, `got no answer: ${cause.message}`, { cause });
}

function timeoutError(where: Where, attempts: number, timeoutMs: number): QdrantCloudError {
  return callError('timeout', where, attempts, `timed out after ${timeoutMs} ms`);
}

function abortedError(where: Where, attempts: number): QdrantCloudError {
  return callError('aborted', where, attempts, 'was aborted');
}

// The gRPC code of each kind of failed call (an HTTP answer's code comes from its body or status).
const CALL_FAILURE_CODES = { http: 2, network: 14, timeout: 4, aborted: 1, response: 13 } as const;

/**
 * The one builder of a failed call's error: the message names the RPC, the method, the server
 * and the path (scrubbed), then what happened; `more` adds the fields the kind has.
 */
function callError(
  kind: keyof typeof CALL_FAILURE_CODES,
  where: Where,
  attempts: number,
  what: string,
  more: Partial<Omit<QdrantCloudErrorInit, 'kind' | 'message'>> = {},
): QdrantCloudError {
  return new QdrantCloudError({
    kind,
    code: CALL_FAILURE_CODES[kind],
    ...where,
    attempts,
    ...more,
    message: `${where.rpc}: ${where.method} ${where.origin}${where.path} ${what}`,
  });
}

/** A request (or option) that breaks a rule, found before anything is sent. */
function validationError(
  rpc: string,
  method: string | undefined,
  issues: readonly ValidationIssue[],
  secrets: readonly string[],
): QdrantCloudError {
  const clean = issues.map((i) => ({
    field: scrub(i.field, secrets),
    message: scrub(i.message, secrets),
  }));
  // A request names "invalid request"; an option's message is its name and the rule.
  const what = method === undefined ? '' : 'invalid request: ';
  return new QdrantCloudError({
    kind: 'validation',
    code: 3,
    rpc,
    method,
    issues: clean,
    message: `${rpc}: ${what}${clean.map((i) => `${i.field} ${i.message}`).join('; ')}`,
  });
}
