// A real redis-server (Debian's) on a free 127.0.0.1 port with its own temporary directory and,
// unless asked otherwise, no persistence: for tests and benchmarks. Plain JavaScript so a bench
// script imports it without a build; the types are in redis-server.d.mts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** @param {{ args?: readonly string[] }} [options] */
export async function startRedisServer(options = {}) {
  if (!existsSync(BINARY)) {
    throw new Error(
      `redis-server not found at ${BINARY}: install Debian's redis-server (apt-get install redis-server; .ci/run does) or set REDIS_SERVER`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'qk-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    ...(options.args ?? []),
  ];
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;

  async function start() {
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        10_000,
      );
      proc.stdout?.on('data', (chunk) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      proc.stderr?.on('data', (chunk) => {
        output += chunk.toString();
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
    proc.removeAllListeners('exit');
    // Keep reading its log so a full pipe never blocks it.
    proc.stdout?.resume();
    proc.stderr?.resume();
  }

  async function kill() {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    await new Promise((resolve) => {
      proc.once('exit', () => resolve(undefined));
      proc.kill('SIGKILL');
    });
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until `check` holds, polling every 10 ms, up to `timeoutMs`.
 * @param {() => boolean | Promise<boolean>} check
 */
export async function waitFor(check, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
