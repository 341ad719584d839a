// `pnpm bench`: requests/s and latency, in one run on loopback, of the gateway against the
// ceiling of its own runtime: on Node, the gateway with auth (collection-scoped JWT, search
// request) and with auth off against a bare node:http pipe proxy; on Bun and Deno, the gateway
// with auth against a bare fetch proxy on the same runtime (bench/bare-fetch-proxy.mjs). The
// upstream is nginx answering a fixed search result (`return 200`), so it is never the
// bottleneck; nginx proxy_pass is a reference row. Request logging is off in the gateways (the
// bare proxies log nothing either); `--log` turns it on.
// Then the Workers bundle size and bench/body-scan.mjs (a concurrent request's wait while a
// 30 MB lookup body is decided).
// The machine is small and shared, so targets are measured in interleaved rounds (the order is
// reversed every other round, so drift hits every target alike), each ratio is the median of the
// ratios measured within one round, and the table shows medians across rounds.
// Options: --duration <s> (5), --connections <n> (50), --rounds <n> (4), --log, --no-body.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { runBodyScanBench } from './body-scan.mjs';
import { SEARCH_RESULT } from './search-result.mjs';
import { workerBundleSize } from './bundle-size.mjs';
import { startListening } from './start-listening.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '4' },
    log: { type: 'boolean', default: false },
    'no-body': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const ADMIN = 'bench-admin-key-0123456789';
const children = [];

function startProcess(command, args, env = {}) {
  return startListening(command, args, env, children);
}

function freePort() {
  return import('node:net').then(
    ({ createServer }) =>
      new Promise((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const { port } = s.address();
          s.close(() => resolve(port));
        });
      }),
  );
}

// The upstream: nginx answering every request with a fixed search result, keep-alive forever.
async function startNginxUpstream() {
  const prefix = mkdtempSync(join(tmpdir(), 'qk-nginx-upstream-'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      default_type application/json;
      return 200 '${SEARCH_RESULT}';
    }
  }
}
`,
  );
  return runNginx(prefix, conf, port);
}

async function startNginx(upstreamUrl, workers) {
  const prefix = mkdtempSync(join(tmpdir(), 'qk-nginx-'));
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes ${workers};
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  # Like for like: the gateway writes one log line per request, so nginx keeps its access log.
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream qdrant { server ${upstream.host}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://qdrant;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  return runNginx(prefix, conf, port);
}

async function runNginx(prefix, conf, port) {
  const child = spawn(
    '/usr/sbin/nginx',
    ['-p', prefix, '-c', conf, '-e', `${prefix}/error.log`, '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/`);
      return { child, url, cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('nginx did not start');
}

// Bun and Deno come from npm (the `bun` and `deno` packages), installed for the runtime harness.
function runtimeBinary(name) {
  const root = join(here, '..', '..', '..');
  for (const base of [join(root, 'tooling', 'runtime-harness'), root]) {
    try {
      const require = createRequire(join(base, 'package.json'));
      const dir = dirname(require.resolve(`${name}/package.json`));
      const binary = name === 'bun' ? join(dir, 'bin', 'bun.exe') : join(dir, 'deno');
      if (existsSync(binary)) return binary;
    } catch {}
  }
  return undefined;
}

// CPU seconds used by a process and all its descendants (nginx workers, cluster workers), from
// /proc: a figure that the machine's other load disturbs far less than requests/s.
const TICKS_PER_SECOND = 100;
function treeCpuSeconds(pid) {
  let ticks = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : [])
        ticks += treeCpuSeconds(Number(child)) * TICKS_PER_SECOND;
    }
  } catch {
    return 0;
  }
  return ticks / TICKS_PER_SECOND;
}

async function measure(name, url, headers, pid) {
  const options = {
    url: `${url}/collections/docs/points/search`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ vector: [0.12, 0.34, 0.56, 0.78], limit: 3, with_payload: true }),
    connections: CONNECTIONS,
    pipelining: 1,
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: JIT, pools, keep-alive sockets
  const cpuBefore = treeCpuSeconds(pid);
  const result = await autocannon({ ...options, duration: DURATION });
  const cpuSeconds = treeCpuSeconds(pid) - cpuBefore;
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) {
    console.warn(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    cpuMicrosPerRequest: ok > 0 ? (cpuSeconds * 1e6) / ok : Number.NaN,
  };
}

async function main() {
  const node = process.execPath;
  const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' }, expiresIn: '1h' }));
  const upstream = await startNginxUpstream();
  const nginx = await startNginx(upstream.url, 1);
  const bare = await startProcess(node, [join(here, 'bare-proxy.mjs'), upstream.url]);
  const gatewayEnv = (auth) => ({
    QDRANT_UPSTREAM_URL: upstream.url,
    PORT: '0',
    QDRANT_GATEWAY_HOST: '127.0.0.1',
    QDRANT_GATEWAY_LOG: String(values.log),
    ...(auth ? { QDRANT__SERVICE__API_KEY: ADMIN, QDRANT__SERVICE__JWT_RBAC: 'true' } : {}),
  });
  const gatewayAuth = await startProcess(node, [join(dist, 'cli.js')], gatewayEnv(true));
  const gatewayOpen = await startProcess(node, [join(dist, 'cli.js')], gatewayEnv(false));
  const bun = runtimeBinary('bun');
  const deno = runtimeBinary('deno');
  const bareProxy = join(here, 'bare-fetch-proxy.mjs');
  const bareBun = bun ? await startProcess(bun, [bareProxy, upstream.url]) : undefined;
  const gatewayBun = bun
    ? await startProcess(bun, [join(dist, 'bun.js')], gatewayEnv(true))
    : undefined;
  const denoArgs = ['run', '--allow-net', '--allow-env', '--allow-read'];
  const bareDeno = deno
    ? await startProcess(deno, [...denoArgs, bareProxy, upstream.url], {
        DENO_NO_UPDATE_CHECK: '1',
      })
    : undefined;
  const gatewayDeno = deno
    ? await startProcess(deno, [...denoArgs, join(dist, 'deno.js')], {
        ...gatewayEnv(true),
        DENO_NO_UPDATE_CHECK: '1',
      })
    : undefined;

  console.log(
    `autocannon: ${CONNECTIONS} connections, ${DURATION}s per target, POST /collections/docs/points/search; Node ${process.versions.node}; gateway request log ${values.log ? 'on' : 'off'}`,
  );
  // Every target gets the very same request, key header included: a proxy in front of a cluster
  // receives (and forwards) the key whether or not it checks it, so only the checking differs.
  const auth = { 'api-key': token };
  const optional = (server, name) => (server ? [[name, server.url, auth, server.child.pid]] : []);
  const targets = [
    ['upstream (nginx return 200, direct)', upstream.url, auth, upstream.child.pid],
    ['nginx proxy_pass, 1 worker (reference)', nginx.url, auth, nginx.child.pid],
    ['bare node:http pipe proxy (Node ceiling)', bare.url, auth, bare.child.pid],
    ['gateway, Node, auth (collection JWT)', gatewayAuth.url, auth, gatewayAuth.child.pid],
    ['gateway, Node, auth off', gatewayOpen.url, auth, gatewayOpen.child.pid],
    ...optional(bareBun, 'bare Bun.serve fetch proxy (Bun ceiling)'),
    ...optional(gatewayBun, 'gateway, Bun, auth (collection JWT)'),
    ...optional(bareDeno, 'bare Deno.serve fetch proxy (Deno ceiling)'),
    ...optional(gatewayDeno, 'gateway, Deno, auth (collection JWT)'),
  ];
  const rounds = new Map(targets.map(([name]) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? targets : [...targets].reverse();
    for (const [name, url, headers, pid] of order) {
      const row = await measure(name, url, headers, pid);
      console.log(`  round ${round}: ${name}: ${Math.round(row.rps)} req/s`);
      rounds.get(name).push(row);
    }
  }
  const median = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const rows = targets.map(([name]) => {
    const runs = rounds.get(name);
    return {
      name,
      runs,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
    };
  });
  console.log('');
  console.log('| target | req/s (median) | p50 ms | p99 ms | CPU µs/request (server) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${Math.round(r.cpuMicrosPerRequest)} |`,
    );
  }
  const by = (prefix) => rows.find((r) => r.name.startsWith(prefix));
  const bareRow = by('bare node');
  const authRow = by('gateway, Node, auth (');
  const openRow = by('gateway, Node, auth off');
  console.log('');
  // Median over rounds of the ratio measured within each round.
  const ratio = (a, b) => median(a.runs.map((r, i) => r.rps / b.runs[i].rps)).toFixed(2);
  // Requests per CPU-second: the throughput ratio if each had a core to itself.
  const perCpu = (a, b) =>
    median(a.runs.map((r, i) => b.runs[i].cpuMicrosPerRequest / r.cpuMicrosPerRequest)).toFixed(2);
  const report = (label, a, b, goal) => {
    if (!a || !b) return;
    const suffix = goal ? ` (goal >= ${goal})` : '';
    console.log(`${label}${suffix}: ${ratio(a, b)} req/s, ${perCpu(a, b)} per CPU-second`);
  };
  report('gateway Node auth / bare node:http proxy', authRow, bareRow, '0.95');
  report('gateway Node auth / gateway Node auth off', authRow, openRow, '0.9');
  report('gateway Bun auth / bare Bun fetch proxy', by('gateway, Bun'), by('bare Bun'));
  report('gateway Deno auth / bare Deno fetch proxy', by('gateway, Deno'), by('bare Deno'));
  const size = await workerBundleSize();
  console.log(
    `Workers bundle: ${(size.minified / 1024).toFixed(1)} KiB minified, ${(size.gzipped / 1024).toFixed(1)} KiB min+gzip`,
  );
  nginx.cleanup();
  upstream.cleanup();
  if (values['no-body']) return;
  console.log('');
  console.log('30 MB lookup body (bench/body-scan.mjs):');
  await runBodyScanBench({ rounds: 2 });
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}
