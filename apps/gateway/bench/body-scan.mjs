// `pnpm bench:body` (also the last part of `pnpm bench`): while the gateway decides one 30 MB
// query body (10 M `{}` prefetches and `lookup_from: ["other"]`, for a key scoped to `docs`,
// in key-hiding mode), a concurrent small request is sent every few ms; we report that request's
// wait p50/p99/max, the gateway's RSS growth relative to the body size, and whether a gateway
// started with `--max-old-space-size=1024` survives and answers 403.
// Options: --rounds <n> (3).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { startListening } from './start-listening.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const ADMIN = 'bench-admin-key-0123456789';

function start(args, env = {}) {
  return startListening(process.execPath, args, env);
}

/** Resident set size of a process in bytes (Linux /proc). */
function rss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function bigBody() {
  const block = `${'{},'.repeat(99_999)}{}`;
  const parts = ['{"prefetch":['];
  for (let i = 0; i < 100; i++) parts.push(i === 0 ? block : `,${block}`);
  parts.push('],"lookup_from":["other"]}');
  return Buffer.from(parts.join(''));
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const SENDER = `
const block = '{},'.repeat(99_999) + '{}';
const parts = ['{"prefetch":['];
for (let i = 0; i < 100; i++) parts.push(i === 0 ? block : ',' + block);
parts.push('],"lookup_from":["other"]}');
const body = Buffer.from(parts.join(''));
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  const r = await fetch(process.argv[1], { method: 'POST', headers: { 'api-key': process.argv[2], 'content-type': 'application/json' }, body });
  process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() }) + '\\n');
});
`;

/** Sends the 30 MB body from a child process; resolves with its answer. */
async function sendFromChild(url, token) {
  const child = spawn(process.execPath, ['-e', SENDER, url, token], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise((resolve) => {
    child.stdout.on('data', function ready(chunk) {
      out += chunk;
      if (out.includes('ready')) {
        child.stdout.off('data', ready);
        resolve();
      }
    });
  });
  out = '';
  child.stdin.write('go\n');
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.endsWith('\n')) {
        child.kill();
        resolve(JSON.parse(out));
      }
    });
  });
}

async function oneRun(gateway, token, body) {
  // Warm up and take the baseline RSS.
  for (let i = 0; i < 20; i++) {
    await (
      await fetch(`${gateway.url}/collections/docs`, { headers: { 'api-key': token } })
    ).text();
  }
  const baseline = rss(gateway.child.pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss(gateway.child.pid));
  }, 10);
  const started = performance.now();
  let done = false;
  // The big body is sent by another process, so this one only measures the small requests.
  const big = sendFromChild(`${gateway.url}/collections/docs/points/query`, token);
  big.finally(() => {
    done = true;
  });
  const waits = [];
  while (!done) {
    const t = performance.now();
    const r = await fetch(`${gateway.url}/collections/docs`, { headers: { 'api-key': token } });
    await r.text();
    waits.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const answer = await big;
  const decideMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, rss(gateway.child.pid));
  return {
    status: answer.status,
    error: JSON.parse(answer.text).status?.error,
    decideMs,
    samples: waits.length,
    p50: pct(waits, 0.5),
    p99: pct(waits, 0.99),
    max: Math.max(...waits),
    rssGrowth: (peak - baseline) / body.byteLength,
  };
}

export async function runBodyScanBench({ rounds = 3 } = {}) {
  const token = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' }, expiresIn: '1h' }));
  const body = bigBody();
  const upstream = await start([join(here, 'upstream.mjs')]);
  const env = {
    QDRANT_UPSTREAM_URL: upstream.url,
    PORT: '0',
    QDRANT_GATEWAY_HOST: '127.0.0.1',
    QDRANT_GATEWAY_LOG: 'false',
    QDRANT__SERVICE__API_KEY: ADMIN,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_UPSTREAM_API_KEY: 'bench-upstream-key',
  };
  const children = [upstream.child];
  try {
    console.log(`body: ${(body.byteLength / 1e6).toFixed(1)} MB, 10 M prefetch entries`);
    console.log(
      '| gateway | status | decide ms | small req p50 ms | p99 ms | max ms | RSS growth / body |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const [label, flags] of [
      ['Node, default heap', []],
      ['Node, --max-old-space-size=1024', ['--max-old-space-size=1024']],
    ]) {
      const gateway = await start([...flags, join(dist, 'cli.js')], env);
      children.push(gateway.child);
      for (let round = 1; round <= rounds; round++) {
        const r = await oneRun(gateway, token, body);
        console.log(
          `| ${label} (round ${round}) | ${r.status} | ${r.decideMs.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.rssGrowth.toFixed(2)}x |`,
        );
        if (r.status !== 403 || r.error !== 'Forbidden: Access to collection other is required') {
          console.log(`  unexpected answer: ${r.status} ${r.error}`);
        }
      }
      console.log(
        `  ${label}: gateway ${gateway.child.exitCode === null ? 'alive' : `exited ${gateway.child.exitCode}`} after ${rounds} bodies`,
      );
      gateway.child.kill('SIGTERM');
    }
    console.log(
      'goals: small request p99 < 200 ms, RSS growth < 3x the body, survives a 1 GiB heap',
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  await runBodyScanBench({ rounds: Number(values.rounds) });
}
