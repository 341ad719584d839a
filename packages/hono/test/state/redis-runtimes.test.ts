// The Redis store on Bun and Deno (node-redis through their Node compatibility), against the
// same real redis-server.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '@qdrant-kit/test-support/redis-server';

const bin = (name: string) =>
  fileURLToPath(
    new URL(`../../../../tooling/runtime-harness/node_modules/.bin/${name}`, import.meta.url),
  );
const outDir = fileURLToPath(new URL('../../node_modules/.test-bundles/', import.meta.url));
const bundle = `${outDir}redis-runtime-smoke.mjs`;
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('../fixtures/redis-runtime-smoke.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'es2022',
    outfile: bundle,
    // node-redis is CommonJS: give the bundle a `require` for the Node built-ins it loads.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
});
afterAll(async () => {
  await redis?.stop();
});

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DENO_NO_UPDATE_CHECK: '1',
        },
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

describe('Redis store on other runtimes', () => {
  for (const [runtime, args] of [
    ['bun', (file: string, url: string) => [file, url, 'bun']],
    [
      'deno',
      (file: string, url: string) => [
        'run',
        '--allow-net',
        '--allow-env',
        '--allow-read',
        '--allow-sys',
        file,
        url,
        'deno',
      ],
    ],
  ] as const) {
    it(`${runtime}: loads, is told of a change by pub/sub, takes tokens`, async () => {
      const output = await run(bin(runtime), args(bundle, redis.url));
      const line = output.trim().split('\n').at(-1) ?? '';
      expect(JSON.parse(line)).toEqual({ loaded: true, pushed: 'revoked', granted: 3 });
    });
  }
});
