// One gateway process for bench/shared-state.mjs: `node shared-state-gateway.mjs off|on`.
// `off`: the gateway without revocation or rate limiting (built without the shared state);
// `on`: with both, on Redis (QDRANT_GATEWAY_REDIS_URL, QDRANT_GATEWAY_RATE_LIMIT from the env).
import { parseGatewayConfig } from '@qdrant-kit/hono';
import { startGatewaySharedState } from '@qdrant-kit/hono/redis';
import { startNodeGateway } from '../dist/node.js';

const mode = process.argv[2];
const config = parseGatewayConfig(process.env);
const shared = mode === 'on' ? await startGatewaySharedState(config, process.env) : undefined;
if (mode === 'on' && !shared?.state?.list.isLoaded)
  throw new Error('the revocation list did not load');
const gateway = await startNodeGateway(config, {
  handleSignals: true,
  ...(shared?.options ?? {}),
  onClose: shared?.close,
});
process.stderr.write(`listening on ${gateway.url}\n`);
