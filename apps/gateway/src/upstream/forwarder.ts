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
