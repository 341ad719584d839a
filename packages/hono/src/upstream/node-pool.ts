import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Pool } from 'undici';
import { createFetchForwarder, NULL_BODY_STATUS } from './fetch.js';
import {
  type ForwardFailure,
  type ForwardRequest,
  type ForwardResult,
  type Forwarder,
  type ForwarderOptions,
  isEncoded,
  type ResponseHeaderEditor,
  readLimited,
} from './forwarder.js';
import {
  connectionTokens,
  isForwardedRequestHeader,
  isForwardedResponseHeader,
  type UpstreamHeaderPolicy,
} from './headers.js';

/** Options of {@link createNodeForwarder}. */
export interface NodeForwarderOptions extends ForwarderOptions {
  /** Most connections kept open to the upstream at once. Default 256. */
  readonly maxSockets?: number;
}

/** A {@link Forwarder} over a keep-alive connection pool; `close` releases the connections. */
export interface NodeForwarder extends Forwarder {
  close(): void;
}

// undici refuses these request headers; `expect: 100-continue` was already handled by Node.
const REFUSED_BY_CLIENT = new Set(['expect']);

function isHeadersTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'UND_ERR_HEADERS_TIMEOUT';
}

/** Edits a Node header object through the `Headers` methods a forwarder uses. */
function nodeHeaderEditor(headers: OutgoingHttpHeaders): ResponseHeaderEditor {
  return {
    has: (name) => headers[name] !== undefined,
    set: (name, value) => {
      headers[name] = value;
    },
    append: (name, value) => {
      const previous = headers[name];
      headers[name] =
        previous === undefined
          ? value
          : Array.isArray(previous)
            ? [...previous, value]
            : `${previous}, ${value}`;
    },
  };
}

/** Node's request and response objects, when `@hono/node-server` handed them over. */
function nodeBindings(
  bindings: unknown,
): { incoming: IncomingMessage; outgoing: ServerResponse | undefined } | undefined {
  const env = bindings as Partial<HttpBindings> | undefined;
  const incoming = env?.incoming;
  if (incoming === undefined || !('rawHeaders' in incoming)) return undefined;
  const outgoing = env?.outgoing;
  return {
    incoming,
    outgoing: outgoing !== undefined && 'writeHead' in outgoing ? outgoing : undefined,
  };
}

/**
 * A forwarder for Node with a keep-alive pool to the upstream (undici's `Pool`, the engine of
 * Node's own `fetch`, without the fetch layer). Behind `@hono/node-server` it streams the
 * caller's socket straight into the upstream request and the upstream response straight
 * back, with back-pressure and no buffering. Elsewhere (e.g. `app.request` in tests) it
 * falls back to the `fetch` forwarder.
 */
export function createNodeForwarder(options: NodeForwarderOptions): NodeForwarder {
  const base = new URL(options.upstreamUrl);
  const pool = new Pool(base.origin, {
    connections: options.maxSockets ?? 256,
    headersTimeout: options.timeoutMs,
    bodyTimeout: 0,
  });
  const basePath = base.pathname.replace(/\/+$/, '');
  const policy: UpstreamHeaderPolicy = { upstreamApiKey: options.upstreamApiKey };
  const bufferedPolicy: UpstreamHeaderPolicy = { ...policy, acceptEncoding: 'identity' };
  const viaFetch = createFetchForwarder(options);
  const timeout: ForwardFailure = { ok: false, reason: 'timeout', timeoutMs: options.timeoutMs };

  function failure(error: unknown, callerGone: boolean): ForwardFailure {
    if (isHeadersTimeout(error)) return timeout;
    return { ok: false, reason: callerGone ? 'caller-gone' : 'unreachable' };
  }

  /** The caller's headers as the upstream gets them (repeated ones joined, in arrival order). */
  function upstreamHeaders(
    req: ForwardRequest,
    incoming: IncomingMessage | undefined,
    headerPolicy: UpstreamHeaderPolicy,
  ): OutgoingHttpHeaders {
    let raw: readonly string[];
    if (incoming !== undefined) raw = incoming.rawHeaders;
    else {
      const pairs: string[] = [];
      req.headers.forEach((value, name) => {
        pairs.push(name, value);
      });
      raw = pairs;
    }
    const listed = connectionTokens(
      incoming !== undefined ? incoming.headers.connection : req.headers.get('connection'),
    );
    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < raw.length; i += 2) {
      const lower = raw[i]!.toLowerCase();
      if (!isForwardedRequestHeader(lower, listed, headerPolicy) || REFUSED_BY_CLIENT.has(lower))
        continue;
      if (req.body.kind === 'bytes' && lower === 'content-length') continue;
      const previous = headers[lower];
      headers[lower] = previous === undefined ? raw[i + 1]! : `${previous}, ${raw[i + 1]!}`;
    }
    if (headerPolicy.upstreamApiKey !== undefined) headers['api-key'] = headerPolicy.upstreamApiKey;
    if (headerPolicy.acceptEncoding === 'identity') headers['accept-encoding'] = 'identity';
    return headers;
  }

  /**
   * A request without a body whose answer comes back as a standard `Response`: `HEAD` (Hono
   * wraps a HEAD answer in a new `Response`, so the socket must not have been written to) and
   * answers the gateway must filter (read whole, unencoded, up to a limit).
   */
  async function forwardAsResponse(
    req: ForwardRequest,
    incoming: IncomingMessage | undefined,
  ): Promise<ForwardResult> {
    const buffer = req.bufferResponse;
    const headers = upstreamHeaders(req, incoming, buffer ? bufferedPolicy : policy);
    // Nothing is sent with these (HEAD, or a GET whose answer is filtered).
    delete headers['content-length'];
    const deadline = AbortSignal.timeout(options.timeoutMs);
    try {
      const upstream = await pool.request({
        path: basePath + req.pathAndQuery,
        method: req.method as 'GET',
        headers: headers as Record<string, string>,
        // The caller's going away stops the read too: a buffered answer holds its share of the
        // buffer budget until then, and nobody would receive it.
        signal: AbortSignal.any([req.signal, deadline]),
      });
      const listedResponse = connectionTokens(upstream.headers.connection as string | undefined);
      const out = new Headers();
      for (const name in upstream.headers) {
        if (!isForwardedResponseHeader(name, listedResponse)) continue;
        if (buffer && (name === 'content-length' || name === 'content-encoding')) continue;
        const value = upstream.headers[name];
        if (Array.isArray(value)) for (const v of value) out.append(name, v);
        else if (value !== undefined) out.append(name, value);
      }
      let body: Uint8Array | null = null;
      // Destroying an unread body reports an abort; nobody waits for it.
      upstream.body.on('error', () => undefined);
      if (buffer) {
        if (isEncoded(upstream.headers['content-encoding'] as string | undefined)) {
          upstream.body.destroy();
          return { ok: false, reason: 'response-encoded' };
        }
        const read = await readLimited(upstream.body, buffer.maxBytes, buffer.lease);
        if (!read.ok) {
          upstream.body.destroy();
          return read.reason === 'too-large'
            ? { ok: false, reason: 'response-too-large', maxBytes: buffer.maxBytes }
            : { ok: false, reason: 'buffer-budget-exhausted' };
        }
        body = read.bytes;
      } else {
        upstream.body.resume();
      }
      const response = new Response(
        body === null || NULL_BODY_STATUS.has(upstream.statusCode)
          ? null
          : (body as Uint8Array<ArrayBuffer>),
        { status: upstream.statusCode, headers: out },
      );
      return { ok: true, response, status: upstream.statusCode };
    } catch (error) {
      return deadline.aborted ? timeout : failure(error, req.signal.aborted);
    }
  }

  function forwardRaw(
    req: ForwardRequest,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ): Promise<ForwardResult> {
    const headers = upstreamHeaders(req, incoming, policy);
    const body = req.body;
    if (body.kind === 'bytes') headers['content-length'] = String(body.bytes.byteLength);

    const abort = new AbortController();
    let callerGone = false;
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) {
        callerGone = true;
        abort.abort();
      }
    });

    return new Promise<ForwardResult>((resolve) => {
      let status = 0;
      pool.stream(
        {
          path: basePath + req.pathAndQuery,
          method: req.method as 'GET',
          headers: headers as Record<string, string>,
          body: body.kind === 'bytes' ? body.bytes : body.kind === 'stream' ? incoming : null,
          signal: abort.signal,
        },
        ({ statusCode, headers: upstreamHeaders }) => {
          status = statusCode;
          const listedResponse = connectionTokens(upstreamHeaders.connection as string | undefined);
          const out: OutgoingHttpHeaders = {};
          for (const name in upstreamHeaders) {
            if (isForwardedResponseHeader(name, listedResponse)) out[name] = upstreamHeaders[name];
          }
          req.editResponseHeaders?.(nodeHeaderEditor(out));
          outgoing.writeHead(statusCode, out);
          resolve({ ok: true, response: RESPONSE_ALREADY_SENT, status: statusCode });
          return outgoing;
        },
        (error) => {
          if (error === null) return;
          // Before response headers: answer 502/504 ourselves. After: cut the caller's
          // connection so it sees a truncated reply, never a complete-looking one.
          if (status === 0 && !outgoing.headersSent) resolve(failure(error, callerGone));
          else outgoing.destroy();
        },
      );
    });
  }

  return {
    forward(req) {
      const node = nodeBindings(req.bindings);
      if (req.method === 'HEAD' || req.bufferResponse !== undefined) {
        return forwardAsResponse(req, node?.incoming);
      }
      // The raw socket is usable only while nothing has read the body through web streams.
      if (
        node?.outgoing !== undefined &&
        (req.body.kind !== 'stream' || !node.incoming.readableDidRead)
      ) {
        return forwardRaw(req, node.incoming, node.outgoing);
      }
      return viaFetch.forward(req);
    },
    close() {
      void pool.close().catch(() => undefined);
    },
  };
}
