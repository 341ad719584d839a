// Deno entry: `deno run --allow-net --allow-env dist/deno.js`.
import { createGateway } from '../app.js';
import { GatewayConfigError, parseGatewayConfig } from '../config.js';

interface DenoRuntime {
  serve(
    options: { port: number; hostname: string },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
}
declare const Deno: DenoRuntime;

try {
  const config = parseGatewayConfig(Deno.env.toObject());
  const app = createGateway(config);
  Deno.serve({ port: config.port, hostname: config.hostname }, app.fetch);
} catch (error) {
  console.error(
    error instanceof GatewayConfigError ? error.message : 'qdrant gateway failed to start',
  );
  Deno.exit(1);
}
