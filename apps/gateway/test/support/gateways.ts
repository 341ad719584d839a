import { gatewayFixtures } from '@qdrant-kit/test-support/gateways';
import type { Hono } from 'hono';
import * as library from '../../src/index.js';
import { type NodeGatewayServer, startNodeGateway } from '../../src/node.js';

/** Test gateways built from the app's exports: `testConfig`, `inProcessGateway`. */
export const { testConfig, inProcessGateway } = gatewayFixtures<
  library.GatewayConfig,
  library.RequestLogEntry,
  Hono
>(library);

/** A real Node server (undici pool forwarder) on 127.0.0.1, collecting its log lines. */
export async function nodeGateway(
  config: library.GatewayConfig,
): Promise<NodeGatewayServer & { logs: library.RequestLogEntry[] }> {
  const logs: library.RequestLogEntry[] = [];
  const server = await startNodeGateway(config, { logger: (e) => logs.push(e) });
  return Object.assign(server, { logs });
}
