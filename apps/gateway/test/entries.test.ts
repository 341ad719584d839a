// The runnable entries as users start them: dist/bun.js on Bun, dist/deno.js on Deno, and the
// Node CLI with several workers. Each must refuse without a key, forward with one, and stream a
// large response body to the end; with key hiding on, filter what a collection-scoped key may
// list, answer HEAD cleanly, pass compressed answers as they came, and never follow a redirect.
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { ensureNode } from '@qdrant-kit/runtime-harness/node-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/child.js';
import { checkLength, decodeAsLabelled, rawRequest } from './support/raw-http.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

const ADMIN = 'entries-admin-key';
const UPSTREAM_KEY = 'entries-upstream-key';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const harness = createRequire(
  fileURLToPath(new URL('../../../tooling/runtime-harness/package.json', import.meta.url)),
);
const bun = join(dirname(harness.resolve('bun/package.json')), 'bin', 'bun.exe');
const deno = join(dirname(harness.resolve('deno/package.json')), 'deno');

let upstream: RecordingUpstream;
let elsewhere: RecordingUpstream;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  elsewhere = await startRecordingUpstream();
});
afterAll(async () => {
  await upstream?.close();
  await elsewhere?.close();
});

async function start(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
      QDRANT_UPSTREAM_URL: upstream.url,
      QDRANT__SERVICE__API_KEY: ADMIN,
      QDRANT__SERVICE__JWT_RBAC: 'true',
      QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
      QDRANT_GATEWAY_HOST: '127.0.0.1',
      QDRANT_GATEWAY_LOG: '0',
      PORT: '0',
      ...extraEnv,
    },
    cwd: dirname(dist),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`${command} exited ${code}: ${output}`));
    });
  });
  return { child, url, exited, output: () => output };
}

async function exercise(url: string) {
  const refused = await fetch(`${url}/collections`);
  expect(refused.status).toBe(401);
  expect(await refused.text()).toBe('Must provide an API key or an Authorization bearer token');
  const mark = `entry${Date.now()}${Math.random()}`;
  const allowed = await fetch(`${url}/collections/docs?marker=${mark}`, {
    headers: { 'api-key': ADMIN },
  });
  expect(allowed.status).toBe(200);
  await allowed.arrayBuffer();
  expect(upstream.find(mark)).toHaveLength(1);
  const size = 3 * 1024 * 1024 + 17;
  const large = await fetch(`${url}/collections/docs/points/scroll`, {
    method: 'POST',
    headers: { 'api-key': ADMIN, 'x-upstream-behaviour': `large-response:${size}` },
    body: '{}',
  });
  expect(large.status).toBe(200);
  expect((await large.arrayBuffer()).byteLength).toBe(size);
  await exerciseKeyHiding(url);
}

async function exerciseKeyHiding(url: string) {
  // A collection-scoped key sees only its own collections, though the cluster sees our key.
  const scoped = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
  const listed = await rawRequest(`${url}/collections`, {
    headers: { 'api-key': scoped, 'accept-encoding': 'gzip' },
  });
  checkLength(listed);
  expect(JSON.parse(decodeAsLabelled(listed)).result).toEqual({ collections: [{ name: 'docs' }] });
  const telemetry = await fetch(`${url}/telemetry`, { headers: { 'api-key': scoped } });
  expect(telemetry.status).toBe(403);
  expect(((await telemetry.json()) as { status: { error: string } }).status.error).toMatch(
    /^Forbidden: Global access is required/,
  );
  // A signature off by one bit is refused (Bun's entry and the Node CLI verify with nodeHs256,
  // Deno's with Web Crypto).
  const lastBit = scoped.endsWith('A') ? 'E' : 'A';
  const forged = await fetch(`${url}/collections`, {
    headers: { 'api-key': `${scoped.slice(0, -1)}${lastBit}` },
  });
  expect(forged.status).toBe(403);
  expect(await forged.text()).toBe('InvalidSignature');

  // HEAD: headers as for GET, no body, and the connection stays usable.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const sockets = new Set();
    for (const path of ['/healthz', '/collections/docs', '/healthz']) {
      const head = await rawRequest(`${url}${path}`, {
        method: 'HEAD',
        headers: { 'api-key': ADMIN },
        agent,
      });
      expect(head.status, `HEAD ${path}`).toBe(200);
      expect(head.bytes.byteLength).toBe(0);
      expect(head.headers['content-type']).toBe('application/json');
      sockets.add(head.socket);
    }
    const get = await rawRequest(`${url}/collections/docs`, {
      headers: { 'api-key': ADMIN },
      agent,
    });
    expect(get.status).toBe(200);
    sockets.add(get.socket);
    expect(sockets.size).toBe(1);
  } finally {
    agent.destroy();
  }

  // Compressed answers: what the caller asked for, bytes and headers in agreement.
  for (const coding of ['gzip', 'br', 'zstd', 'identity']) {
    const mark = `enc${coding}${Date.now()}${Math.random()}`;
    const answer = await rawRequest(`${url}/collections/docs?marker=${mark}`, {
      headers: { 'api-key': ADMIN, 'accept-encoding': coding },
    });
    checkLength(answer);
    expect(JSON.parse(decodeAsLabelled(answer)), coding).toMatchObject({
      result: { upstream: true },
    });
    // Raw-passing runtimes offer the caller's coding; decoding ones only what their fetch decodes.
    const sent = upstream.find(mark)[0]?.headers['accept-encoding'];
    expect([coding, 'identity'], coding).toContain(sent);
  }

  // A redirect goes back to the caller; our key never follows it.
  const followed = `follow${Date.now()}${Math.random()}`;
  const target = `${elsewhere.url}/collections/docs?marker=${followed}`;
  const redirected = await rawRequest(`${url}/collections/docs`, {
    headers: { 'api-key': ADMIN, 'x-upstream-behaviour': `redirect:${target}` },
  });
  expect(redirected.status).toBe(302);
  expect(redirected.headers.location).toBe(target);
  expect(elsewhere.find(followed)).toHaveLength(0);
}

describe('runnable entries', () => {
  it('dist/bun.js on Bun', async () => {
    const server = await start(bun, [join(dist, 'bun.js')]);
    try {
      await exercise(server.url);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('dist/deno.js on Deno', async () => {
    const server = await start(deno, [
      'run',
      '--allow-net=127.0.0.1',
      '--allow-env',
      '--allow-read',
      join(dist, 'deno.js'),
    ]);
    try {
      await exercise(server.url);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('Node CLI with QDRANT_GATEWAY_WORKERS=2 serves, then drains on SIGTERM', async () => {
    const server = await start(process.execPath, [CLI], { QDRANT_GATEWAY_WORKERS: '2' });
    expect(server.output()).toContain('2 workers');
    await exercise(server.url);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('Node 20 runs the CLI (engines: node >= 20)', async () => {
    const server = await start(await ensureNode(20), [CLI]);
    try {
      await exercise(server.url);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('Node CLI (one process) streams a large response to the end', async () => {
    const server = await start(process.execPath, [CLI]);
    try {
      await exercise(server.url);
    } finally {
      server.child.kill('SIGTERM');
    }
  });
});
