// Deno entry: `deno run --allow-net --allow-env dist/deno.js`.
import { createGateway, GatewayConfigError, parseGatewayConfig } from '@qdrant-kit/hono';
import { startGatewaySharedState } from '@qdrant-kit/hono/redis';

interface DenoRuntime {
  serve(
    options: { port: number; hostname: string; onListen?: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
}
declare const Deno: DenoRuntime;

try {
  const env = Deno.env.toObject();
  const config = parseGatewayConfig(env);
  // Revocations and rate limits: on Redis when QDRANT_GATEWAY_REDIS_URL is set, else in-process.
  const shared = await startGatewaySharedState(config, env);
  // Web Crypto verifies keys here: Deno's node:crypto HMAC costs about as much as its
  // crypto.subtle.verify (1.0-2.0x in BENCHMARKS.md), so nodeHs256 is not used on Deno.
  const app = createGateway(config, shared.options);
  Deno.serve(
    {
      port: config.port,
      hostname: config.hostname,
      onListen: ({ port }) =>
        console.error(
          `qdrant gateway (deno) listening on http://${config.hostname}:${port} -> ${config.upstreamUrl}`,
        ),
    },
    // Deno's legacy request.signal also aborts after a response was fully delivered; the
    // forwarder's upstream request is finished by then, so that abort is harmless (tested with
    // a streamed 3 MB response in test/entries.test.ts).
    (request) => app.fetch(request),
  );
} catch (error) {
  console.error(
    error instanceof GatewayConfigError ? error.message : 'qdrant gateway failed to start',
  );
  Deno.exit(1);
}
