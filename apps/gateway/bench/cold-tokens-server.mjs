// One gateway for bench/cold-tokens.mjs: `<runtime> cold-tokens-server.mjs <node|web>` serves the
// gateway with nodeHs256 (`node`) or Web Crypto (`web`) verifying database keys, on Node
// (startNodeGateway), Bun (Bun.serve) or Deno (Deno.serve), configured from the environment.
import { webCryptoHs256 } from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';

const provider = (globalThis.Deno ? Deno.args : process.argv.slice(2))[0];
const hs256 = provider === 'web' ? webCryptoHs256 : nodeHs256;
const env = globalThis.Deno ? Deno.env.toObject() : process.env;
if (globalThis.Bun || globalThis.Deno) {
  const { createGateway, parseGatewayConfig } = await import('@qdrant-kit/hono');
  const config = parseGatewayConfig(env);
  const app = createGateway(config, { hs256 });
  if (globalThis.Bun) {
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
    console.log(`listening on http://127.0.0.1:${server.port}`);
  } else {
    Deno.serve(
      {
        port: 0,
        hostname: '127.0.0.1',
        onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
      },
      (request) => app.fetch(request),
    );
  }
} else {
  const { parseGatewayConfig, startNodeGateway } = await import('../dist/node.js');
  const { url } = await startNodeGateway(parseGatewayConfig(env), { hs256 });
  console.log(`listening on ${url}`);
}
