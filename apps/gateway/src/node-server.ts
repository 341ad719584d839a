// The gateway's Node server: `@hono/node-server` with graceful shutdown, in front of the pooled
// forwarder of `@qdrant-kit/hono/node`.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { GatewayConfig } from '@qdrant-kit/hono';
import {
  createNodeGateway,
  type NodeGatewayOptions,
  nodeJsonLineLogger,
} from '@qdrant-kit/hono/node';

/** A running Node gateway. */
export interface NodeGatewayServer {
  /** The Node HTTP server. */
  readonly server: Server;
  /** The Hono app it serves. */
  readonly app: Hono;
  /** Base URL it listens on, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** Stops accepting connections, waits for in-flight requests (up to `drainTimeoutMs`), then closes. */
  close(): Promise<void>;
}

/** Options of {@link startNodeGateway}. */
export interface StartNodeGatewayOptions extends NodeGatewayOptions {
  /** On SIGTERM/SIGINT: drain, then exit the process. Default false (the CLI turns it on). */
  readonly handleSignals?: boolean;
  /** Longest wait for in-flight requests when closing. Default 10 000 ms. */
  readonly drainTimeoutMs?: number;
  /** Largest request head Node accepts; larger ones get 431. Default Node's 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Run after the server closed (e.g. closing the shared state's Redis connections). */
  readonly onClose?: () => Promise<void>;
}

/**
 * Starts the gateway on Node (`@hono/node-server`) at `config.hostname:config.port`
 * (port 0 picks a free one).
 */
export async function startNodeGateway(
  config: GatewayConfig,
  options: StartNodeGatewayOptions = {},
): Promise<NodeGatewayServer> {
  const logger = options.logger ?? (config.logRequests ? nodeJsonLineLogger : undefined);
  const { app, forwarder } = createNodeGateway(config, { ...options, logger });
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const fetchHandler: typeof app.fetch = (request, env, ctx) => {
    inFlight++;
    const bindings = env as { outgoing?: { once(event: 'close', listener: () => void): void } };
    bindings.outgoing?.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    return app.fetch(request, env, ctx);
  };
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: fetchHandler,
        port: config.port,
        hostname: config.hostname,
        serverOptions: options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : {},
      },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const drained = new Promise<void>((r) => {
        if (inFlight === 0) r();
        else idle = r;
      });
      const deadline = setTimeout(
        () => server.closeAllConnections(),
        options.drainTimeoutMs ?? 10_000,
      );
      deadline.unref();
      void drained.then(() => {
        clearTimeout(deadline);
        // Keep-alive sockets that finished their last request are idle now.
        server.closeIdleConnections();
      });
    })
      .finally(() => forwarder.close())
      .finally(() => options.onClose?.());
    return closing;
  };

  if (options.handleSignals) {
    const onSignal = () => {
      void close().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { server, app, url, close };
}
