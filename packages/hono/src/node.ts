// Node-only entry: the gateway forwarding through a keep-alive pool (undici's `Pool`) that pipes
// `@hono/node-server`'s sockets straight through.
import { nodeHs256 } from '@qdrant-kit/core/node';
import type { Hono } from 'hono';
import { type GatewayConfig, GatewayConfigError, keyHidingIssue } from './config/gateway.js';
import { type CreateGatewayOptions, createGateway } from './gateway.js';
import type { RequestLogger } from './log.js';
import { createNodeForwarder, type NodeForwarder } from './upstream/node-pool.js';

export {
  createNodeForwarder,
  type NodeForwarder,
  type NodeForwarderOptions,
} from './upstream/node-pool.js';

/** Writes each entry as one JSON line straight to stdout (cheaper than `console.log`). */
export const nodeJsonLineLogger: RequestLogger = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};

/** Options of {@link createNodeGateway}. */
export interface NodeGatewayOptions extends CreateGatewayOptions {
  /** Most pooled upstream connections. Default 256. */
  readonly maxUpstreamSockets?: number;
  /**
   * HMAC-SHA256 for database keys. Default here: `nodeHs256` (`@qdrant-kit/core/node`,
   * synchronous `node:crypto`, several times faster than Web Crypto on Node per new token).
   * Pass `webCryptoHs256` from `@qdrant-kit/core` to verify on Web Crypto instead.
   */
  readonly hs256?: CreateGatewayOptions['hs256'];
}

/**
 * Builds the gateway app for Node: like {@link createGateway}, but forwarding through a
 * keep-alive connection pool (undici's `Pool`) that, behind `@hono/node-server`, streams sockets
 * directly: several times faster than Node's global `fetch`; and verifying database keys with
 * `node:crypto`'s synchronous HMAC (`nodeHs256`) instead of Web Crypto's, which Node runs on its
 * thread pool. Close `forwarder` when done.
 */
export function createNodeGateway(
  config: GatewayConfig,
  options: NodeGatewayOptions = {},
): { app: Hono; forwarder: NodeForwarder } {
  const hidingIssue = keyHidingIssue(config);
  if (hidingIssue !== undefined) throw new GatewayConfigError([hidingIssue]);
  const forwarder = createNodeForwarder({
    upstreamUrl: config.upstreamUrl,
    upstreamApiKey: config.upstreamApiKey,
    timeoutMs: config.upstreamTimeoutMs,
    maxSockets: options.maxUpstreamSockets,
  });
  const app = createGateway(config, { forwarder, ...options, hs256: options.hs256 ?? nodeHs256 });
  return { app, forwarder };
}
