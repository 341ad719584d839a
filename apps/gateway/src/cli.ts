// `qdrant-gateway` / `pnpm start`: the gateway on Node, configured from the environment.
import { parseArgs } from 'node:util';
import { GatewayConfigError, parseGatewayConfig } from './config.js';
import { developmentEnv } from './dev.js';
import { startNodeGateway } from './node.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dev: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: qdrant-gateway [--dev]\nConfigured by QDRANT_UPSTREAM_URL, QDRANT__SERVICE__API_KEY, ... (see README).\n',
    );
    return;
  }
  let env: Record<string, string | undefined> = process.env;
  const dev =
    values.dev || ['1', 'true', 'yes', 'on'].includes(process.env.QDRANT_GATEWAY_DEV ?? '');
  if (dev) env = await developmentEnv(env, (line) => process.stderr.write(`${line}\n`));
  const config = parseGatewayConfig(env);
  const gateway = await startNodeGateway(config, { handleSignals: true });
  const auth =
    config.apiKey || config.altApiKey || config.readOnlyApiKey ? 'on' : 'OFF (no key configured)';
  process.stderr.write(
    `qdrant gateway listening on ${gateway.url} -> ${config.upstreamUrl} (auth ${auth})\n`,
  );
}

main().catch((error: unknown) => {
  // Configuration errors name variables only; anything else is reported by name, without a trace.
  if (error instanceof GatewayConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof Error)
    process.stderr.write(`qdrant gateway failed to start: ${error.name}: ${error.message}\n`);
  else process.stderr.write('qdrant gateway failed to start\n');
  process.exit(1);
});
