// `qdrant-gateway` / `pnpm start`: the gateway on Node, configured from the environment.
// With QDRANT_GATEWAY_WORKERS > 1 a primary process forks workers that share the port
// (node:cluster), restarts crashed ones, and drains them all on SIGTERM.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type GatewayConfig, GatewayConfigError, parseGatewayConfig } from '@qdrant-kit/hono';
import { parseCliConfig } from './cli-config.js';
import { DevelopmentModeRefusedError, developmentEnv } from './dev.js';
import { startNodeGateway } from './node-server.js';
import { checkGatewaySharedState, startGatewaySharedState } from '@qdrant-kit/hono/redis';
import { reportUpstream } from './upstream-probe.js';

function describe(config: GatewayConfig, url: string, workers: number): string {
  const auth =
    config.apiKey || config.altApiKey || config.readOnlyApiKey
      ? 'auth on'
      : 'auth OFF (no key configured)';
  const processes = workers > 1 ? `, ${workers} workers` : '';
  return `qdrant gateway listening on ${url} -> ${config.upstreamUrl} (${auth}${processes})\n`;
}

async function runPrimary(
  env: Record<string, string | undefined>,
  config: GatewayConfig,
  workers: number,
) {
  let stopping = false;
  let reported = false;
  const fork = () => cluster.fork(env as Record<string, string>);
  cluster.on('listening', (_worker, address) => {
    if (reported) return;
    reported = true;
    const host = address.addressType === 6 ? `[${address.address}]` : address.address;
    process.stderr.write(describe(config, `http://${host}:${address.port}`, workers));
    void reportUpstream(config.upstreamUrl, (text) => process.stderr.write(text));
  });
  cluster.on('exit', () => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    fork();
  });
  const stop = () => {
    stopping = true;
    const running = Object.values(cluster.workers ?? {});
    if (running.length === 0) process.exit(0);
    for (const worker of running) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let i = 0; i < workers; i++) fork();
}

async function main(): Promise<void> {
  let env: Record<string, string | undefined> = process.env;
  if (cluster.isPrimary) {
    const { values } = parseArgs({
      // `pnpm start -- --dev` hands the `--` separator through; it carries no meaning here.
      args: process.argv.slice(2).filter((arg) => arg !== '--'),
      options: { dev: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(
        'Usage: qdrant-gateway [--dev]\nConfigured by QDRANT_UPSTREAM_URL, QDRANT__SERVICE__API_KEY, ... (see README).\n',
      );
      return;
    }
    if (values.dev || parseCliConfig(env).dev)
      env = await developmentEnv(env, (line) => process.stderr.write(`${line}\n`));
  }
  const config = parseGatewayConfig(env);
  const cli = parseCliConfig(env);
  const workers = cli.workers === 'auto' ? availableParallelism() : cli.workers;
  checkGatewaySharedState(env, workers);
  if (cluster.isPrimary && workers > 1) {
    // Workers inherit the (possibly dev-generated) environment; nothing is printed twice.
    await runPrimary({ ...env, QDRANT_GATEWAY_DEV: '' }, config, workers);
    return;
  }
  // Revocations and rate limits: on Redis when QDRANT_GATEWAY_REDIS_URL is set, else in this
  // process (refused with several workers, which could not share them).
  const shared = await startGatewaySharedState(config, env, { processes: workers });
  const gateway = await startNodeGateway(config, {
    handleSignals: true,
    ...shared.options,
    onClose: shared.close,
  });
  if (cluster.isPrimary) process.stderr.write(describe(config, gateway.url, 1));
  if (cluster.isPrimary) void reportUpstream(config.upstreamUrl, (t) => process.stderr.write(t));
}

main().catch((error: unknown) => {
  // Configuration errors name variables only; anything else is reported by name, without a trace.
  if (error instanceof DevelopmentModeRefusedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof GatewayConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof Error) {
    process.stderr.write(`qdrant gateway failed to start: ${error.name}: ${error.message}\n`);
  } else process.stderr.write('qdrant gateway failed to start\n');
  process.exit(1);
});
