import http, {
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { qdrantErrorResponse } from '../responses.js';
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
  /** Most sockets kept open to the upstream at once. Default 256. */
  readonly maxSockets?: number;
}

/** A {@link Forwarder} over a keep-alive `node:http` pool; `agent` is exposed for metrics. */
export interface NodeForwarder extends Forwarder {
  readonly agent: http.Agent;
  close(): void;
}

type Failure = 'timeout' | 'unreachable' | 'client-gone';
const CLIENT_CLOSED_REQUEST = 499;

/**
 * A forwarder for Node that keeps a pool of keep-alive connections to the upstream. Behind
 * `@hono/node-server` it pipes the caller's socket straight into the upstream request and the
 * upstream response straight back, so bodies stream with back-pressure and are never buffered.
 * Outside Node's server (e.g. `app.request` in tests) it falls back to web streams.
 */
export function createNodeForwarder(options: NodeForwarderOptions): NodeForwarder {
  const base = new URL(options.upstreamUrl);
  const secure = base.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    maxFreeSockets: options.maxSockets ?? 256,
    scheduling: 'lifo' as const,
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const send = secure ? https.request : http.request;
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  const port = base.port === '' ? (secure ? 443 : 80) : Number(base.port);
  const basePath = base.pathname.replace(/\/+$/, '');
  const policy: UpstreamHeaderPolicy = { upstreamApiKey: options.upstreamApiKey };

  /** Sends one request and resolves when response headers arrive, or with why they did not. */
  function exchange(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    writeBody: (upstream: http.ClientRequest) => void,
    callerGone: (cancel: () => void) => void,
    mayRetry: boolean,
  ): Promise<IncomingMessage | Failure> {
    return new Promise((resolve) => {
      let done = false;
      let timedOut = false;
      let cancelled = false;
      const upstream = send({ agent, hostname, port, method, path, headers });
      const timer = setTimeout(() => {
        timedOut = true;
        upstream.destroy();
      }, options.timeoutMs);
      callerGone(() => {
        cancelled = true;
        upstream.destroy();
      });
      upstream.once('response', (response) => {
        clearTimeout(timer);
        done = true;
        resolve(response);
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (done) return;
        clearTimeout(timer);
        done = true;
        // A pooled socket the upstream closed while idle: safe to retry a body-less request once.
        if (mayRetry && upstream.reusedSocket && error.code === 'ECONNRESET' && !cancelled) {
          resolve(exchange(method, path, headers, writeBody, callerGone, false));
          return;
        }
        resolve(timedOut ? 'timeout' : cancelled ? 'client-gone' : 'unreachable');
      });
      writeBody(upstream);
    });
  }

  function failure(kind: Failure, req: ForwardRequest): ForwardResult {
    if (kind === 'timeout') {
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
      status: kind === 'client-gone' ? CLIENT_CLOSED_REQUEST : 502,
    };
  }

  async function forwardRaw(
    req: ForwardRequest,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ): Promise<ForwardResult> {
    const raw = incoming.rawHeaders;
    const listed = connectionTokens(incoming.headers.connection);
    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const lower = name.toLowerCase();
      if (!isForwardedRequestHeader(lower, listed, policy)) continue;
      if (req.body.kind === 'bytes' && lower === 'content-length') continue;
      const previous = headers[lower];
      headers[lower] = previous === undefined ? raw[i + 1]! : `${previous}, ${raw[i + 1]!}`;
    }
    if (policy.upstreamApiKey !== undefined) headers['api-key'] = policy.upstreamApiKey;
    const body = req.body;
    if (body.kind === 'bytes') headers['content-length'] = String(body.bytes.byteLength);

    const result = await exchange(
      req.method,
      basePath + req.pathAndQuery,
      headers,
      (upstream) => {
        if (body.kind === 'bytes') upstream.end(body.bytes);
        else if (body.kind === 'stream') incoming.pipe(upstream);
        else upstream.end();
      },
      (cancel) => {
        outgoing.once('close', () => {
          if (!outgoing.writableFinished) cancel();
        });
      },
      body.kind === 'none',
    );
    if (typeof result === 'string') return failure(result, req);

    const status = result.statusCode ?? 502;
    const responseHeaders: string[] = [];
    const rawResponse = result.rawHeaders;
    const listedResponse = connectionTokens(result.headers.connection);
    let hasCors = false;
    for (let i = 0; i < rawResponse.length; i += 2) {
      const lower = rawResponse[i]!.toLowerCase();
      if (!isForwardedResponseHeader(lower, listedResponse)) continue;
      if (lower === 'access-control-allow-origin') hasCors = true;
      responseHeaders.push(rawResponse[i]!, rawResponse[i + 1]!);
    }
    if (req.corsOrigin !== undefined && !hasCors) {
      responseHeaders.push('access-control-allow-origin', req.corsOrigin);
      if (req.corsOrigin !== '*') responseHeaders.push('vary', 'Origin');
    }
    if (outgoing.destroyed) {
      result.destroy();
      return { response: RESPONSE_ALREADY_SENT, status: CLIENT_CLOSED_REQUEST };
    }
    outgoing.writeHead(status, result.statusMessage, responseHeaders);
    // Upstream reset mid-response: cut the caller's connection so it sees a truncated reply.
    result.once('error', () => outgoing.destroy());
    result.once('aborted', () => outgoing.destroy());
    outgoing.once('close', () => {
      if (!result.complete) result.destroy();
    });
    result.pipe(outgoing);
    return { response: RESPONSE_ALREADY_SENT, status };
  }

  async function forwardWeb(req: ForwardRequest): Promise<ForwardResult> {
    const listed = connectionTokens(req.request.headers.get('connection'));
    const headers: OutgoingHttpHeaders = {};
    req.request.headers.forEach((value, lower) => {
      if (!isForwardedRequestHeader(lower, listed, policy)) return;
      if (req.body.kind === 'bytes' && lower === 'content-length') return;
      headers[lower] = value;
    });
    if (policy.upstreamApiKey !== undefined) headers['api-key'] = policy.upstreamApiKey;
    const body = req.body;
    if (body.kind === 'bytes') headers['content-length'] = String(body.bytes.byteLength);
    const signal = req.request.signal;
    const result = await exchange(
      req.method,
      basePath + req.pathAndQuery,
      headers,
      (upstream) => {
        if (body.kind === 'bytes') upstream.end(body.bytes);
        else if (body.kind === 'stream' && req.request.body !== null) {
          Readable.fromWeb(req.request.body as import('node:stream/web').ReadableStream).pipe(
            upstream,
          );
        } else upstream.end();
      },
      (cancel) => {
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
      },
      body.kind === 'none',
    );
    if (typeof result === 'string') return failure(result, req);
    const status = result.statusCode ?? 502;
    const responseHeaders = new Headers();
    const listedResponse = connectionTokens(result.headers.connection);
    const rawResponse = result.rawHeaders;
    for (let i = 0; i < rawResponse.length; i += 2) {
      const lower = rawResponse[i]!.toLowerCase();
      if (isForwardedResponseHeader(lower, listedResponse)) {
        responseHeaders.append(lower, rawResponse[i + 1]!);
      }
    }
    if (req.corsOrigin !== undefined && !responseHeaders.has('access-control-allow-origin')) {
      responseHeaders.set('access-control-allow-origin', req.corsOrigin);
    }
    const noBody = req.method === 'HEAD' || status === 204 || status === 304;
    const stream = noBody
      ? null
      : (Readable.toWeb(result) as unknown as ReadableStream<Uint8Array>);
    if (noBody) result.resume();
    return {
      response: new Response(stream, {
        status,
        statusText: result.statusMessage,
        headers: responseHeaders,
      }),
      status,
    };
  }

  return {
    agent,
    forward(req) {
      const env = req.context.env as Partial<HttpBindings> | undefined;
      const incoming = env?.incoming;
      const outgoing = env?.outgoing;
      if (incoming !== undefined && outgoing !== undefined && 'rawHeaders' in incoming) {
        // The raw socket is only usable while nothing has read the body through web streams.
        if (req.body.kind !== 'stream' || !incoming.readableDidRead) {
          return forwardRaw(req, incoming, outgoing);
        }
      }
      return forwardWeb(req);
    },
    close() {
      agent.destroy();
    },
  };
}
