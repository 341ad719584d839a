import type { RequestLogEntry } from '@qdrant-kit/hono';
import { type NodeGatewayServer, startNodeGateway } from '../../src/node.js';
import type { GatewayConfig } from '../../src/index.js';

export {
  inProcessGateway,
  testConfig,
} from '../../../../packages/hono/test/support/gateways.js';

/** A real Node server (undici pool forwarder) on 127.0.0.1, collecting its log lines. */
export async function nodeGateway(
  config: GatewayConfig,
): Promise<NodeGatewayServer & { logs: RequestLogEntry[] }> {
  const logs: RequestLogEntry[] = [];
  const server = await startNodeGateway(config, { logger: (e) => logs.push(e) });
  return Object.assign(server, { logs });
}
