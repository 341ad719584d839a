// Bun entry: `bun dist/bun.js` with the gateway's environment variables.
import { createGateway, GatewayConfigError, parseGatewayConfig } from '@qdrant-kit/hono';
import { startGatewaySharedState } from '@qdrant-kit/hono/redis';
// node:crypto's HMAC: one verify about 20x faster than crypto.subtle's on Bun (BENCHMARKS.md).
import { nodeHs256 } from '@qdrant-kit/core/node';

interface BunRuntime {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): {
    port: number;
  };
  env: Record<string, string | undefined>;
}
declare const Bun: BunRuntime;
declare const process: { exit(code: number): never; stderr: { write(text: string): void } };

try {
  const env = Bun.env;
  const config = parseGatewayConfig(env);
  // Revocations and rate limits: on Redis when QDRANT_GATEWAY_REDIS_URL is set, else in-process.
  const shared = await startGatewaySharedState(config, env);
  const app = createGateway(config, { ...shared.options, hs256: nodeHs256 });
  const server = Bun.serve({ port: config.port, hostname: config.hostname, fetch: app.fetch });
  process.stderr.write(
    `qdrant gateway (bun) listening on http://${config.hostname}:${server.port} -> ${config.upstreamUrl}\n`,
  );
} catch (error) {
  process.stderr.write(
    error instanceof GatewayConfigError ? `${error.message}\n` : 'qdrant gateway failed to start\n',
  );
  process.exit(1);
}
