import { qdrantErrorResponse } from '../responses.js';
import {
  type ForwardRequest,
  type ForwardResult,
  type Forwarder,
  type ForwarderOptions,
  UPSTREAM_UNREACHABLE_MESSAGE,
  upstreamTimeoutMessage,
} from './forwarder.js';
import { callerResponseHeaders, upstreamRequestHeaders } from './headers.js';

/** Options of {@link createFetchForwarder}. */
export interface FetchForwarderOptions extends ForwarderOptions {
  /** The `fetch` to use; defaults to the runtime's global one. */
  readonly fetch?: typeof fetch;
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
  // fetch implementations decode compressed bodies but keep `content-encoding`, so ask for identity.
  const policy = { upstreamApiKey: options.upstreamApiKey, dropAcceptEncoding: true };
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

      const init: RequestInit & { duplex?: 'half' } = {
        method: req.method,
        headers: upstreamRequestHeaders(req.request.headers, policy),
        redirect: 'manual',
        signal: controller.signal,
      };
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
        clearTimeout(timer);
        const headers = callerResponseHeaders(upstream.headers);
        if (req.corsOrigin !== undefined && !headers.has('access-control-allow-origin')) {
          headers.set('access-control-allow-origin', req.corsOrigin);
          if (req.corsOrigin !== '*') headers.append('vary', 'Origin');
        }
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
