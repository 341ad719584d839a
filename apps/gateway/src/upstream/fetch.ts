import { qdrantErrorResponse } from '../responses.js';
import {
  type ForwardRequest,
  type ForwardResult,
  type Forwarder,
  type ForwarderOptions,
  isEncoded,
  RESPONSE_ENCODED_MESSAGE,
  readLimited,
  responseTooLargeMessage,
  UPSTREAM_UNREACHABLE_MESSAGE,
  upstreamTimeoutMessage,
} from './forwarder.js';
import {
  callerResponseHeaders,
  DECODED_CODINGS,
  type UpstreamHeaderPolicy,
  upstreamRequestHeaders,
} from './headers.js';

/** Message of the 502 answered when the upstream compresses with a coding it was not offered. */
export const UNEXPECTED_ENCODING_MESSAGE =
  'Bad Gateway: the upstream answered with a content-encoding the gateway did not ask for';

/** Options of {@link createFetchForwarder}. */
export interface FetchForwarderOptions extends ForwarderOptions {
  /** The `fetch` to use; defaults to the runtime's global one. */
  readonly fetch?: typeof fetch;
  /**
   * What the `fetch` hands back for a compressed answer. `raw`: the bytes as sent (Bun with
   * `decompress: false`, which this forwarder passes there); they reach the caller untouched
   * with their `content-encoding` and `content-length`. `decoded`: the decoded body (what the
   * Fetch standard asks for: Node's undici, Deno, workerd); the caller then gets it without
   * those two headers, and the upstream is offered only gzip and br of the caller's codings
   * (what every decoding fetch decodes). Default: `raw` on Bun, `decoded` elsewhere.
   */
  readonly responseBodies?: 'raw' | 'decoded';
}

/** The default of {@link FetchForwarderOptions.responseBodies} for the running runtime. */
function defaultResponseBodies(): 'raw' | 'decoded' {
  return typeof (globalThis as { Bun?: unknown }).Bun === 'undefined' ? 'decoded' : 'raw';
}

/** Why a request whose path a URL parser would rewrite is refused rather than forwarded. */
export const UNFORWARDABLE_PATH_MESSAGE =
  'Bad request: the path has dot segments that would reach the cluster as another path';

const MAYBE_DOT_SEGMENT = /\.|%2e/i;

/**
 * True when `fetch` will request exactly `basePath + path`: WHATWG URL parsing resolves `.` and
 * `..` segments (also written `%2e`), which would turn an authorized path into another one.
 */
function keepsPath(target: string, basePath: string, pathAndQuery: string): boolean {
  const queryStart = pathAndQuery.indexOf('?');
  const path = queryStart === -1 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
  if (!MAYBE_DOT_SEGMENT.test(path)) return true;
  try {
    return new URL(target).pathname === basePath + path;
  } catch {
    return false;
  }
}

/** Status logged when the caller went away before the upstream answered (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;

/**
 * A forwarder over the standard `fetch`: works on Workers, Deno, Bun and Node. The caller's
 * body and the upstream's body both stream; a caller abort cancels the upstream request.
 */
export function createFetchForwarder(options: FetchForwarderOptions): Forwarder {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const raw = (options.responseBodies ?? defaultResponseBodies()) === 'raw';
  const policy: UpstreamHeaderPolicy = {
    upstreamApiKey: options.upstreamApiKey,
    acceptEncoding: raw ? 'caller' : 'decodable',
  };
  const bufferedPolicy: UpstreamHeaderPolicy = { ...policy, acceptEncoding: 'identity' };
  const basePath = new URL(options.upstreamUrl).pathname.replace(/\/+$/, '');

  return {
    async forward(req: ForwardRequest): Promise<ForwardResult> {
      const controller = new AbortController();
      const callerSignal = req.request.signal;
      const abortUpstream = () => controller.abort(callerSignal.reason);
      if (callerSignal.aborted) abortUpstream();
      else callerSignal.addEventListener('abort', abortUpstream, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException('upstream timeout', 'TimeoutError'));
      }, options.timeoutMs);

      const buffer = req.bufferResponse;
      // `redirect: 'manual'`: a 3xx goes back to the caller as it is; following it would send
      // the key (ours, with key hiding) to wherever the upstream points.
      const init: RequestInit & { duplex?: 'half'; decompress?: boolean } = {
        method: req.method,
        headers: upstreamRequestHeaders(req.request.headers, buffer ? bufferedPolicy : policy),
        redirect: 'manual',
        signal: controller.signal,
      };
      if (raw) init.decompress = false;
      if (req.body.kind === 'bytes') init.body = req.body.bytes as Uint8Array<ArrayBuffer>;
      else if (req.body.kind === 'stream' && req.request.body !== null) {
        init.body = req.request.body;
        init.duplex = 'half';
      }

      try {
        const target = options.upstreamUrl + req.pathAndQuery;
        if (!keepsPath(target, basePath, req.pathAndQuery)) {
          // A URL parser that resolves dot segments would send another path than the authorized one.
          clearTimeout(timer);
          return {
            response: qdrantErrorResponse(400, UNFORWARDABLE_PATH_MESSAGE, req.startedAt),
            status: 400,
          };
        }
        const upstream = await fetchImpl(target, init);
        if (buffer) {
          const result = await readWhole(upstream, buffer.maxBytes, req);
          clearTimeout(timer);
          return result;
        }
        clearTimeout(timer);
        const coding = upstream.headers.get('content-encoding');
        if (!raw && isEncoded(coding) && !DECODED_CODINGS.has(coding!.trim().toLowerCase())) {
          // Not asked for: whether this fetch decoded it is unknown, so it cannot be labelled.
          await upstream.body?.cancel();
          return {
            response: qdrantErrorResponse(502, UNEXPECTED_ENCODING_MESSAGE, req.startedAt),
            status: 502,
          };
        }
        const headers = callerResponseHeaders(upstream.headers, !raw && isEncoded(coding));
        addCorsOrigin(headers, req.corsOrigin);
        const response = new Response(upstream.body, {
          status: upstream.status,
          statusText: upstream.statusText,
          headers,
        });
        return { response, status: upstream.status };
      } catch {
        clearTimeout(timer);
        if (timedOut) {
          return {
            response: qdrantErrorResponse(
              504,
              upstreamTimeoutMessage(options.timeoutMs),
              req.startedAt,
            ),
            status: 504,
          };
        }
        const status = callerSignal.aborted ? CLIENT_CLOSED_REQUEST : 502;
        return {
          response: qdrantErrorResponse(502, UPSTREAM_UNREACHABLE_MESSAGE, req.startedAt),
          status,
        };
      }
    },
  };
}

/** The whole answer of a response to filter, or the gateway's 502 when it cannot be read. */
async function readWhole(
  upstream: Response,
  maxBytes: number,
  req: ForwardRequest,
): Promise<ForwardResult> {
  const startedAt = req.startedAt;
  if (isEncoded(upstream.headers.get('content-encoding'))) {
    await upstream.body?.cancel();
    return { response: qdrantErrorResponse(502, RESPONSE_ENCODED_MESSAGE, startedAt), status: 502 };
  }
  const bytes = await readLimited(upstream.body, maxBytes);
  if (bytes === undefined) {
    return {
      response: qdrantErrorResponse(502, responseTooLargeMessage(maxBytes), startedAt),
      status: 502,
    };
  }
  const headers = callerResponseHeaders(upstream.headers, true);
  addCorsOrigin(headers, req.corsOrigin);
  const response = new Response(
    NULL_BODY_STATUS.has(upstream.status) ? null : (bytes as Uint8Array<ArrayBuffer>),
    { status: upstream.status, statusText: upstream.statusText, headers },
  );
  return { response, status: upstream.status };
}

/** Statuses whose responses have no body (a `Response` with one would throw). */
export const NULL_BODY_STATUS: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** Adds `Access-Control-Allow-Origin` (and `Vary`) when the upstream's answer has none. */
export function addCorsOrigin(headers: Headers, corsOrigin: string | undefined): void {
  if (corsOrigin === undefined || headers.has('access-control-allow-origin')) return;
  headers.set('access-control-allow-origin', corsOrigin);
  if (corsOrigin !== '*') headers.append('vary', 'Origin');
}
