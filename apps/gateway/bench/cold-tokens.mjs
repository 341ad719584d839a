// `pnpm bench:cold-tokens`: the gateway's requests/s when nearly every request carries a
// database key it has not verified yet (cold verify: the HMAC runs on every request), with
// nodeHs256 (`@qdrant-kit/core/node`) against Web Crypto verifying keys, on Node, Bun and Deno.
// 20 000 distinct collection-scoped JWTs, sent in turn: twice the verified-token cache's 10 000
// entries, so a token is always evicted before it comes round again. Upstream: bench/upstream.mjs.
// Interleaved rounds (order reversed every other round); ratio = median of per-round ratios.
// Options: --duration <s> (5), --connections <n> (50), --rounds <n> (3), --tokens <n> (20000).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';
import autocannon from 'autocannon';
import { startListening } from './start-listening.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    tokens: { type: 'string', default: '20000' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const ADMIN = 'bench-admin-key-0123456789';
const children = [];
const require = createRequire(join(here, '../../../tooling/runtime-harness/package.json'));
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe');
const deno = join(dirname(require.resolve('deno/package.json')), 'deno');

async function main() {
  const tokens = [];
  for (let i = 0; i < Number(values.tokens); i++) {
    tokens.push(
      await signDatabaseKey(
        ADMIN,
        { ...claimsFor({ access: { docs: 'r' }, expiresIn: '1h' }), subject: `user-${i}` },
        { hs256: nodeHs256 },
      ),
    );
  }
  const upstream = await startListening(
    process.execPath,
    [join(here, 'upstream.mjs')],
    {},
    children,
  );
  const env = {
    QDRANT_UPSTREAM_URL: upstream.url,
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_GATEWAY_LOG: '0',
    QDRANT_GATEWAY_HOST: '127.0.0.1',
    PORT: '0',
    DENO_NO_UPDATE_CHECK: '1',
  };
  const server = join(here, 'cold-tokens-server.mjs');
  const runtimes = {
    Node: (p) => [process.execPath, server, p],
    Bun: (p) => [bun, 'run', server, p],
    Deno: (p) => [deno, 'run', '--allow-net', '--allow-env', '--allow-read', server, p],
  };
  const targets = [];
  for (const [runtime, argv] of Object.entries(runtimes)) {
    for (const provider of ['web', 'node']) {
      const [command, ...args] = argv(provider);
      const { url } = await startListening(command, args, env, children);
      targets.push({ runtime, provider, url, rps: [] });
    }
  }
  let next = 0;
  const measure = async (url, duration) => {
    const result = await autocannon({
      url: `${url}/collections/docs/points/search`,
      method: 'POST',
      connections: Number(values.connections),
      duration,
      requests: [
        {
          setupRequest(request) {
            request.headers = {
              'content-type': 'application/json',
              'api-key': tokens[next++ % tokens.length],
            };
            request.body = '{"vector":[0.12,0.34,0.56,0.78],"limit":3}';
            return request;
          },
        },
      ],
    });
    if (result.non2xx > 0 || result.errors > 0)
      console.warn(`  ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result.requests.average;
  };
  for (const t of targets) await measure(t.url, 2); // warm-up
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) {
      t.rps.push(await measure(t.url, Number(values.duration)));
      console.log(
        `  round ${round + 1}: ${t.runtime} ${t.provider}: ${Math.round(t.rps.at(-1))} req/s`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `\ncold-heavy gateway (${tokens.length} distinct JWTs in turn, ${values.connections} connections, ${values.duration}s x ${values.rounds} rounds; Node ${process.versions.node})`,
  );
  console.log('| runtime | Web Crypto req/s | nodeHs256 req/s | nodeHs256 / Web Crypto |');
  console.log('|---|---:|---:|---:|');
  for (const runtime of Object.keys(runtimes)) {
    const web = targets.find((t) => t.runtime === runtime && t.provider === 'web');
    const node = targets.find((t) => t.runtime === runtime && t.provider === 'node');
    const ratio = median(node.rps.map((r, i) => r / web.rps[i]));
    console.log(
      `| ${runtime} | ${Math.round(median(web.rps))} | ${Math.round(median(node.rps))} | ${ratio.toFixed(2)}x |`,
    );
  }
}

try {
  await main();
} finally {
  for (const child of children) child.kill();
}
