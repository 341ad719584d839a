import type { Context } from 'hono';

/**
 * What to send as the upstream request's body: nothing, bytes the gateway already read to
 * authorize the request, or the caller's body streamed through untouched.
 */
export type ForwardBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'stream' };

/** One authorized request, ready to be sent to the upstream cluster. */
export interface ForwardRequest {
  /** The incoming request, as the runtime handed it over. */
  readonly request: Request;
  /** HTTP method, unchanged. */
  readonly method: string;
  /** Normalised path plus the caller's query string (with `?`), appended to the upstream URL. */
  readonly pathAndQuery: string;
  readonly body: ForwardBody;
  /** Hono context of the request, for runtime-specific fast paths (Node's raw sockets). */
  readonly context: Context;
  /** `performance.now()` when the request arrived, for the `time` of error bodies. */
  readonly startedAt: number;
  /** `Access-Control-Allow-Origin` to add when the upstream's response has none. */
  readonly corsOrigin?: string | undefined;
  /**
   * Set when the gateway must edit the answer (response filtering): the upstream is asked for
   * `accept-encoding: identity` and the whole body is read, up to `maxBytes` (more is a 502).
   * The result's response then has a fully read body and no `content-encoding`.
   */
  readonly bufferResponse?: { readonly maxBytes: number } | undefined;
}

/** The upstream's answer (or the gateway's 502/504) and its status, for the log line. */
export interface ForwardResult {
  readonly response: Response;
  readonly status: number;
}

/**
 * Sends an authorized request to the upstream and returns its response. Implementations
 * never throw: connection failures become 502, timeouts 504, in the cluster's JSON shape.
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

/** Message of the 502 answered when the upstream cannot be reached or drops the connection. */
export const UPSTREAM_UNREACHABLE_MESSAGE =
  'Bad Gateway: the upstream cluster could not be reached';

/** Message of the 504 answered when the upstream does not answer in time. */
export function upstreamTimeoutMessage(timeoutMs: number): string {
  return `Gateway Timeout: the upstream cluster did not answer within ${timeoutMs} ms`;
}

/** Message of the 502 answered when a response to filter is larger than the gateway reads. */
export function responseTooLargeMessage(maxBytes: number): string {
  return `Bad Gateway: the upstream response is larger than the ${maxBytes} bytes the gateway reads to filter it`;
}

/** Message of the 502 answered when a response to filter is compressed despite `identity`. */
export const RESPONSE_ENCODED_MESSAGE =
  'Bad Gateway: the upstream compressed a response the gateway must filter, although identity was asked for';

/**
 * Reads a body to the end, or stops (cancelling it) as soon as it passes `maxBytes`:
 * `undefined` then.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  const add = (chunk: Uint8Array): boolean => {
    total += chunk.byteLength;
    parts.push(chunk);
    return total <= maxBytes;
  };
  if ('getReader' in body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!add(value)) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
    }
  } else {
    for await (const chunk of body) if (!add(chunk)) return undefined;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
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
