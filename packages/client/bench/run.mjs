// pnpm bench: (1) per-call overhead of the client against raw fetch + JSON.parse on the same
// local node:http server, measured in one run with interleaved rounds (median reported, the
// machine is noisy); (2) min+gzip bundle size (esbuild) for a consumer importing only the
// cluster and databaseApiKey services versus the whole client. Run after `pnpm build`.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

import { clusterService, composeCloudClient, databaseApiKeyService } from '../dist/index.js';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const CLUSTER = '22222222-2222-4222-8222-222222222222';
const body = JSON.stringify({
  cluster: {
    id: CLUSTER,
    accountId: ACCOUNT,
    name: 'bench-cluster',
    cloudProviderId: 'aws',
    cloudProviderRegionId: 'eu-central-1',
    configuration: { numberOfNodes: 3, packageId: CLUSTER, version: 'v1.16.0' },
    state: {
      phase: 'CLUSTER_PHASE_HEALTHY',
      nodesUp: 3,
      endpoint: { url: 'https://x.cloud.qdrant.io', restPort: 6333, grpcPort: 6334 },
    },
  },
});
const server = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const path = `/api/cluster/v1/accounts/${ACCOUNT}/clusters/${CLUSTER}`;

const cloud = composeCloudClient(
  { apiKey: 'bench-management-key-0123456789', baseUrl: base, accountId: ACCOUNT },
  { cluster: clusterService },
);
const raw = async () => {
  const response = await fetch(`${base}${path}`, {
    headers: {
      authorization: 'apikey bench-management-key-0123456789',
      accept: 'application/json',
    },
  });
  return JSON.parse(await response.text());
};
const client = () => cloud.cluster.getCluster({ clusterId: CLUSTER });

const CONCURRENCY = 8;
const CALLS = 2_000;
async function round(fn) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) await fn();
    }),
  );
  return CALLS / ((performance.now() - started) / 1000);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await round(raw);
await round(client);
const rawRates = [];
const clientRates = [];
// ABBA order so drift (GC, CPU frequency, the other core's load) hits both sides alike.
for (let i = 0; i < 9; i++) {
  if (i % 2 === 0) {
    rawRates.push(await round(raw));
    clientRates.push(await round(client));
  } else {
    clientRates.push(await round(client));
    rawRates.push(await round(raw));
  }
}
server.close();
const rawRate = median(rawRates);
const clientRate = median(clientRates);

// esbuild is loaded only now: its module (and service) would otherwise share the CPU with the measurement.
const { build } = await import('esbuild');
async function bundleSize(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: new URL('.', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  });
  const text = result.outputFiles[0].text;
  return { min: text.length, gzip: gzipSync(text).length, text };
}
const slim = await bundleSize(
  `import { composeCloudClient, clusterService, databaseApiKeyService } from '../dist/index.js';
   export const cloud = composeCloudClient({ apiKey: 'k' }, { cluster: clusterService, databaseApiKey: databaseApiKeyService });`,
);
const full = await bundleSize(
  `import { createCloudClient } from '../dist/index.js';
   export const cloud = createCloudClient({ apiKey: 'k' });`,
);
const leaked = ['/api/hybrid/', '/api/payment/', '/api/iam/', '/api/monitoring/'].filter((p) =>
  slim.text.includes(p),
);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  '@qdrant-kit/client bench (Node %s, %d calls x %d in flight, median of 9 interleaved rounds)',
  process.versions.node,
  CALLS,
  CONCURRENCY,
);
console.log('  raw fetch + JSON.parse     %s calls/s', rawRate.toFixed(0));
console.log('  client.cluster.getCluster  %s calls/s', clientRate.toFixed(0));
console.log('  throughput ratio client/raw: %s (goal >= 0.9)', (clientRate / rawRate).toFixed(3));
console.log('bundle (esbuild, minified, browser):');
console.log('  cluster + databaseApiKey only: %s min, %s min+gzip', kb(slim.min), kb(slim.gzip));
console.log('  whole client:                  %s min, %s min+gzip', kb(full.min), kb(full.gzip));
console.log('  other services in the slim bundle: %s', leaked.length ? leaked.join(', ') : 'none');
