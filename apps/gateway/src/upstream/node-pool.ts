import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Pool } from 'undici';
import { qdrantErrorResponse } from '../responses.js';
import { createFetchForwarder } from './fetch.js';
import {
  type ForwardRequest,
  type ForwardResult,
  type Forwarder,
  type ForwarderOptions,
  UPSTREAM_UNREACHABLE_MESSAGE,
  upstreamTimeoutMessage,
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

const CLIENT_CLOSED_REQUEST = 499;
// undici refuses these request headers; `expect: 100-continue` was already handled by Node.
const REFUSED_BY_CLIENT = new Set(['expect']);

function isHeadersTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'UND_ERR_HEADERS_TIMEOUT';
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
  const viaFetch = createFetchForwarder(options);

  function failure(error: unknown, callerGone: boolean, req: ForwardRequest): ForwardResult {
    if (isHeadersTimeout(error)) {
      return {
        response: qdrantErrorResponse(
          504,
          upstreamTimeoutMessage(options.timeoutMs),
          req.startedAt,
        ),
        status: 504,
      };
    }
    return {
      response: qdrantErrorResponse(502, UPSTREAM_UNREACHABLE_MESSAGE, req.startedAt),
      status: callerGone ? CLIENT_CLOSED_REQUEST : 502,
    };
  }

  function forwardRaw(
    req: ForwardRequest,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ): Promise<ForwardResult> {
    const raw = incoming.rawHeaders;
    const listed = connectionTokens(incoming.headers.connection);
    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < raw.length; i += 2) {
      const lower = raw[i]!.toLowerCase();
      if (!isForwardedRequestHeader(lower, listed, policy) || REFUSED_BY_CLIENT.has(lower))
        continue;
      if (req.body.kind === 'bytes' && lower === 'content-length') continue;
      const previous = headers[lower];
      headers[lower] = previous === undefined ? raw[i + 1]! : `${previous}, ${raw[i + 1]!}`;
    }
    if (policy.upstreamApiKey !== undefined) headers['api-key'] = policy.upstreamApiKey;
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
          if (req.corsOrigin !== undefined && out['access-control-allow-origin'] === undefined) {
            out['access-control-allow-origin'] = req.corsOrigin;
            if (req.corsOrigin !== '*') out.vary = 'Origin';
          }
          outgoing.writeHead(statusCode, out);
          resolve({ response: RESPONSE_ALREADY_SENT, status: statusCode });
          return outgoing;
        },
        (error) => {
          if (error === null) return;
          // Before response headers: answer 502/504 ourselves. After: cut the caller's
          // connection so it sees a truncated reply, never a complete-looking one.
          if (status === 0 && !outgoing.headersSent) resolve(failure(error, callerGone, req));
          else outgoing.destroy();
        },
      );
    });
  }

  return {
    forward(req) {
      const env = req.context.env as Partial<HttpBindings> | undefined;
      const incoming = env?.incoming;
      const outgoing = env?.outgoing;
      // The raw socket is usable only while nothing has read the body through web streams.
      if (
        incoming !== undefined &&
        outgoing !== undefined &&
        'rawHeaders' in incoming &&
        (req.body.kind !== 'stream' || !incoming.readableDidRead)
      ) {
        return forwardRaw(req, incoming, outgoing);
      }
      return viaFetch.forward(req);
    },
    close() {
      void pool.close().catch(() => undefined);
    },
  };
}
