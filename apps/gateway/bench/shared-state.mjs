// `pnpm bench` (after run.mjs): the gateway on Node with revocation and rate limiting on, on a
// real redis-server, against the same gateway with both off, in one run: requests/s ratio and
// the added p99 latency. Interleaved rounds (order reversed every other round); medians shown.
// A collection-scoped JWT with a `subject`; 1000 revoked tokens and 1000 revoked subjects on the
// list; a limit the load never reaches (1000000/s), so every request takes the limiter's path.
// Options: --duration <s> (5), --connections <n> (50), --rounds <n> (3).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { startRedisServer } from '@qdrant-kit/test-support/redis-server';
import { startListening } from './start-listening.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const ADMIN = 'bench-admin-key-0123456789';
const children = [];

async function measure(url, headers) {
  const options = {
    url: `${url}/collections/docs/points/search`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ vector: [0.12, 0.34, 0.56, 0.78], limit: 3, with_payload: true }),
    connections: Number(values.connections),
    pipelining: 1,
  };
  const result = await autocannon({ ...options, duration: Number(values.duration) });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const node = process.execPath;
  const redis = await startRedisServer();
  try {
    const upstream = await startListening(node, [join(here, 'upstream.mjs')], {}, children);
    const env = {
      QDRANT_UPSTREAM_URL: upstream.url,
      PORT: '0',
      QDRANT__SERVICE__API_KEY: ADMIN,
      QDRANT__SERVICE__JWT_RBAC: 'true',
      QDRANT_GATEWAY_LOG: 'false',
      QDRANT_GATEWAY_REDIS_URL: redis.url,
      QDRANT_GATEWAY_RATE_LIMIT: '1000000/s',
    };
    const script = join(here, 'shared-state-gateway.mjs');
    const off = await startListening(node, [script, 'off'], env, children);
    const on = await startListening(node, [script, 'on'], env, children);
    for (let i = 0; i < 1000; i++) {
      for (const body of [{ token: `revoked-token-${i}` }, { subject: `revoked-tenant-${i}` }]) {
        const response = await fetch(`${on.url}/gateway/v1/revocations`, {
          method: 'POST',
          headers: { 'api-key': ADMIN, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (response.status !== 201) throw new Error(`revocation answered ${response.status}`);
      }
    }
    const token = await signDatabaseKey(
      ADMIN,
      claimsFor({ access: { docs: 'r' }, subject: 'tenant-7', expiresIn: '1h' }),
    );
    const headers = { 'api-key': token };
    await measure(off.url, headers); // warm-up: JIT, pools, keep-alive sockets
    await measure(on.url, headers);
    const ratios = [];
    const added = [];
    const rows = { off: [], on: [] };
    for (let round = 0; round < Number(values.rounds); round++) {
      const order = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      const results = {};
      for (const name of order)
        results[name] = await measure(name === 'on' ? on.url : off.url, headers);
      rows.off.push(results.off);
      rows.on.push(results.on);
      ratios.push(results.on.rps / results.off.rps);
      added.push(results.on.p99 - results.off.p99);
    }
    console.log(
      `\nrevocation + rate limit on Redis vs both off: ${values.rounds} rounds, ${values.connections} connections, ${values.duration}s per target, Node ${process.versions.node}`,
    );
    console.log('target                           req/s   p99 ms');
    for (const name of ['off', 'on']) {
      const label = name === 'on' ? 'on (Redis, 2000 revoked)' : 'off';
      console.log(
        `${label.padEnd(30)} ${String(Math.round(median(rows[name].map((r) => r.rps)))).padStart(7)}   ${median(
          rows[name].map((r) => r.p99),
        )
          .toFixed(1)
          .padStart(6)}`,
      );
    }
    console.log(
      `ratio on/off (median of per-round ratios): ${median(ratios).toFixed(2)}x (goal >= 0.9x)`,
    );
    console.log(`added p99 latency (median): ${median(added).toFixed(1)} ms`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
