import type { ResponseBufferLease } from './buffer-budget.js';
import {
  type ForwardFailure,
  type ForwardRequest,
  type ForwardResult,
  type Forwarder,
  type ForwarderOptions,
  isEncoded,
  readLimited,
} from './forwarder.js';
import {
  callerResponseHeaders,
  DECODED_CODINGS,
  type UpstreamHeaderPolicy,
  upstreamRequestHeaders,
} from './headers.js';

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
  const timeout: ForwardFailure = { ok: false, reason: 'timeout', timeoutMs: options.timeoutMs };

  return {
    async forward(req: ForwardRequest): Promise<ForwardResult> {
      const target = options.upstreamUrl + req.pathAndQuery;
      // A URL parser that resolves dot segments would send another path than the authorized one.
      if (!keepsPath(target, basePath, req.pathAndQuery)) {
        return { ok: false, reason: 'unforwardable-path' };
      }
      // The timeout covers the response headers (and, for a buffered answer, its whole body).
      const timer = new AbortController();
      const deadline = setTimeout(() => timer.abort(), options.timeoutMs);
      const buffer = req.bufferResponse;
      // `redirect: 'manual'`: a 3xx goes back to the caller as it is; following it would send
      // the key (ours, with key hiding) to wherever the upstream points.
      const init: RequestInit & { duplex?: 'half'; decompress?: boolean } = {
        method: req.method,
        headers: upstreamRequestHeaders(req.headers, buffer ? bufferedPolicy : policy),
        redirect: 'manual',
        signal: AbortSignal.any([req.signal, timer.signal]),
      };
      if (raw) init.decompress = false;
      if (req.body.kind === 'bytes') init.body = req.body.bytes as Uint8Array<ArrayBuffer>;
      else if (req.body.kind === 'stream') {
        const stream = req.body.stream();
        if (stream !== null) {
          init.body = stream;
          init.duplex = 'half';
        }
      }

      try {
        const upstream = await fetchImpl(target, init);
        if (buffer) return await readWhole(upstream, buffer.maxBytes, buffer.lease);
        clearTimeout(deadline);
        const coding = upstream.headers.get('content-encoding');
        if (!raw && isEncoded(coding) && !DECODED_CODINGS.has(coding!.trim().toLowerCase())) {
          // Not asked for: whether this fetch decoded it is unknown, so it cannot be labelled.
          await upstream.body?.cancel();
          return { ok: false, reason: 'unexpected-encoding' };
        }
        const headers = callerResponseHeaders(upstream.headers, !raw && isEncoded(coding));
        const response = new Response(upstream.body, {
          status: upstream.status,
          statusText: upstream.statusText,
          headers,
        });
        return { ok: true, response, status: upstream.status };
      } catch {
        if (timer.signal.aborted) return timeout;
        return { ok: false, reason: req.signal.aborted ? 'caller-gone' : 'unreachable' };
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}

/** The whole answer of a response to filter, or why it cannot be read. */
async function readWhole(
  upstream: Response,
  maxBytes: number,
  lease: ResponseBufferLease | undefined,
): Promise<ForwardResult> {
  if (isEncoded(upstream.headers.get('content-encoding'))) {
    await upstream.body?.cancel();
    return { ok: false, reason: 'response-encoded' };
  }
  const read = await readLimited(upstream.body, maxBytes, lease);
  if (!read.ok) {
    return read.reason === 'too-large'
      ? { ok: false, reason: 'response-too-large', maxBytes }
      : { ok: false, reason: 'buffer-budget-exhausted' };
  }
  const bytes = read.bytes;
  const headers = callerResponseHeaders(upstream.headers, true);
  const response = new Response(
    NULL_BODY_STATUS.has(upstream.status) ? null : (bytes as Uint8Array<ArrayBuffer>),
    { status: upstream.status, statusText: upstream.statusText, headers },
  );
  return { ok: true, response, status: upstream.status };
}

/** Statuses whose responses have no body (a `Response` with one would throw). */
export const NULL_BODY_STATUS: ReadonlySet<number> = new Set([101, 204, 205, 304]);
