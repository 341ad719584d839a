import type { ResponseBufferLease } from './buffer-budget.js';

/**
 * What to send as the upstream request's body: nothing, bytes the gateway already read to
 * authorize the request, or the caller's body streamed through untouched. `stream()` opens the
 * caller's body only when called: on Node, reading `request.body` makes the adapter start a web
 * stream over the socket, and the pooled forwarder could no longer pipe the socket itself.
 */
export type ForwardBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'stream'; readonly stream: () => ReadableStream<Uint8Array> | null };

/** The part of `Headers` a forwarder edits an answer's headers through. */
export interface ResponseHeaderEditor {
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
}

/** One authorized request, ready to be sent to the upstream cluster. */
export interface ForwardRequest {
  /** HTTP method, unchanged. */
  readonly method: string;
  /**
   * The caller's raw path (still percent-encoded; repeated slashes merged, trailing ones trimmed)
   * plus its query string (with `?`), appended to the upstream URL.
   */
  readonly pathAndQuery: string;
  /** The caller's headers; the forwarder drops hop-by-hop ones (and the key, with key hiding). */
  readonly headers: Headers;
  readonly body: ForwardBody;
  /** Aborts when the caller goes away: the upstream request is cancelled. */
  readonly signal: AbortSignal;
  /**
   * Set when the gateway must edit the answer (response filtering): the upstream is asked for
   * `accept-encoding: identity` and the whole body is read, up to `maxBytes` (more is a
   * failure). Every chunk read is first taken from `lease` (the gateway's budget of buffered
   * bytes, see {@link ResponseBufferLease}); when it refuses, the read stops with
   * `buffer-budget-exhausted`. The response then has a fully read body and no `content-encoding`.
   */
  readonly bufferResponse?:
    | { readonly maxBytes: number; readonly lease?: ResponseBufferLease | undefined }
    | undefined;
  /**
   * Adds the gateway's own headers (CORS) to an answer. A forwarder that returns a `Response`
   * leaves this to the middleware around it; one that writes the answer to the socket itself
   * (Node's pooled forwarder) calls it on the headers before writing them.
   */
  readonly editResponseHeaders?: ((headers: ResponseHeaderEditor) => void) | undefined;
  /**
   * What the runtime adapter passed along with the request (Hono's `c.env`). Behind
   * `@hono/node-server` it holds `{ incoming, outgoing }`, which Node's pooled forwarder streams
   * through directly; other forwarders ignore it.
   */
  readonly bindings?: unknown;
}

/**
 * Why a request could not be forwarded. The gateway turns each into the cluster's JSON error
 * shape in one place ({@link forwardFailureAnswer}).
 */
export type ForwardFailure =
  | { readonly ok: false; readonly reason: 'unreachable' | 'caller-gone' }
  | { readonly ok: false; readonly reason: 'timeout'; readonly timeoutMs: number }
  | { readonly ok: false; readonly reason: 'unforwardable-path' }
  | { readonly ok: false; readonly reason: 'response-too-large'; readonly maxBytes: number }
  | { readonly ok: false; readonly reason: 'buffer-budget-exhausted' }
  | {
      readonly ok: false;
      readonly reason: 'response-encoded' | 'unexpected-encoding' | 'unfilterable-response';
    };

/**
 * The upstream's answer and its status (for the log: a forwarder that wrote the answer itself
 * returns a placeholder response, and the status it wrote), or why there is none.
 */
export type ForwardResult =
  | { readonly ok: true; readonly response: Response; readonly status: number }
  | ForwardFailure;

/**
 * Sends an authorized request to the upstream. Implementations never throw: every failure is
 * a {@link ForwardFailure}.
 */
export interface Forwarder {
  forward(request: ForwardRequest): Promise<ForwardResult>;
  /** Releases pooled connections. */
  close?(): void;
}

/** Settings common to every forwarder. */
export interface ForwarderOptions {
  /** Base URL of the cluster, without a trailing slash. */
  readonly upstreamUrl: string;
  /** Sent as `api-key` instead of the caller's key headers when set. */
  readonly upstreamApiKey?: string | undefined;
  /** Milliseconds to wait for response headers before answering 504. */
  readonly timeoutMs: number;
}

/** Status logged when the caller went away before the upstream answered (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** What the caller gets for a failure: status, message, and the status the log records. */
export interface ForwardFailureAnswer {
  readonly status: 400 | 502 | 503 | 504;
  readonly message: string;
  /** Seconds for a `Retry-After` header, when trying again soon may succeed. */
  readonly retryAfterSeconds?: number;
  /** Differs from `status` for a caller that went away (499: nobody reads the 502). */
  readonly logStatus: number;
}

/** The one mapping of forward failures to the gateway's 400/502/503/504 answers. */
export function forwardFailureAnswer(failure: ForwardFailure): ForwardFailureAnswer {
  switch (failure.reason) {
    case 'timeout': {
      const message = `Gateway Timeout: the upstream cluster did not answer within ${failure.timeoutMs} ms`;
      return { status: 504, message, logStatus: 504 };
    }
    case 'unforwardable-path':
      return {
        status: 400,
        message:
          'Bad request: the path has dot segments that would reach the cluster as another path',
        logStatus: 400,
      };
    case 'response-too-large':
      return bad(
        `Bad Gateway: the upstream response is larger than the ${failure.maxBytes} bytes the gateway reads to filter it`,
      );
    case 'buffer-budget-exhausted':
      return {
        status: 503,
        message:
          'Service Unavailable: the gateway is already reading as many upstream answers to filter as its memory budget allows; retry shortly',
        logStatus: 503,
        retryAfterSeconds: 1,
      };
    case 'response-encoded':
      return bad(
        'Bad Gateway: the upstream compressed a response the gateway must filter, although identity was asked for',
      );
    case 'unexpected-encoding':
      return bad(
        'Bad Gateway: the upstream answered with a content-encoding the gateway did not ask for',
      );
    case 'unfilterable-response':
      return bad(
        'Bad Gateway: the upstream answer could not be filtered for this key, so it is not passed on',
      );
    case 'caller-gone':
      return { ...bad(UPSTREAM_UNREACHABLE_MESSAGE), logStatus: CLIENT_CLOSED_REQUEST };
    default:
      return bad(UPSTREAM_UNREACHABLE_MESSAGE);
  }
}

const UPSTREAM_UNREACHABLE_MESSAGE = 'Bad Gateway: the upstream cluster could not be reached';

function bad(message: string): ForwardFailureAnswer {
  return { status: 502, message, logStatus: 502 };
}

/** A body read whole, or why the read stopped (the body is then cancelled). */
export type LimitedRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'too-large' | 'budget-exhausted' };

/**
 * Reads a body to the end, or stops (cancelling it) as soon as it passes `maxBytes`, or as soon
 * as `lease` refuses a chunk (each chunk is taken from it before it is kept).
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  maxBytes: number,
  lease?: ResponseBufferLease,
): Promise<LimitedRead> {
  if (body === null) return { ok: true, bytes: new Uint8Array(0) };
  const parts: Uint8Array[] = [];
  let total = 0;
  const add = (chunk: Uint8Array): LimitedRead | undefined => {
    total += chunk.byteLength;
    if (total > maxBytes) return { ok: false, reason: 'too-large' };
    if (lease !== undefined && !lease.take(chunk.byteLength)) {
      return { ok: false, reason: 'budget-exhausted' };
    }
    parts.push(chunk);
    return undefined;
  };
  if ('getReader' in body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const stop = add(value);
      if (stop !== undefined) {
        await reader.cancel().catch(() => undefined);
        return stop;
      }
    }
  } else {
    for await (const chunk of body) {
      const stop = add(chunk);
      if (stop !== undefined) return stop;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return { ok: true, bytes: out };
}

/** Whether a `content-encoding` value says the body is encoded. */
export function isEncoded(contentEncoding: string | null | undefined): boolean {
  return (
    contentEncoding !== null &&
    contentEncoding !== undefined &&
    contentEncoding.trim() !== '' &&
    contentEncoding.trim().toLowerCase() !== 'identity'
  );
}
