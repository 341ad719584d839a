// The bench's upstream: a node:http server in its own process (forked by run.mjs) answering every
// request with the same GetClusterResponse. It reports its port over IPC, and on request its CPU
// time and request count, so run.mjs can show that the server is not what limits throughput.
import { createServer } from 'node:http';

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
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };

let requests = 0;
const server = createServer((_req, res) => {
  requests++;
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'usage') {
    const { user, system } = process.cpuUsage();
    process.send({ requests, cpuMicros: user + system });
  }
});
process.on('disconnect', () => process.exit(0));
