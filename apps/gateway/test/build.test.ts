// The built package's subpaths, ESM and CJS: each error class is one object whichever subpath
// (or @qdrant-kit/hono itself) it is imported from, and the runnable scripts have no shebang of
// their own (Bun and Deno run them directly; the `qdrant-gateway` bin file carries Node's).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Root = typeof import('../src/index.js');
type Worker = typeof import('../src/worker.js');

const require = createRequire(import.meta.url);
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url);

describe.each([
  {
    format: 'ESM',
    load: async <T>(file: string, library = false): Promise<T> =>
      (library ? import('@qdrant-kit/hono') : import(dist(`${file}.js`).href)) as Promise<T>,
  },
  {
    format: 'CJS',
    load: async <T>(file: string, library = false): Promise<T> =>
      (library ? require('@qdrant-kit/hono') : require(dist(`${file}.cjs`).pathname)) as T,
  },
])('dist ($format)', ({ load }) => {
  it('the error classes are one object from ., ./node and @qdrant-kit/hono', async () => {
    const root = await load<Root>('index');
    const node = await load<Root>('node');
    const library = await load<Root>('', true);
    for (const name of [
      'GatewayConfigError',
      'QdrantAuthError',
      'UnfilterableResponseError',
    ] as const) {
      expect(node[name], name).toBe(root[name]);
      expect(library[name], name).toBe(root[name]);
    }
    let thrown: unknown;
    try {
      node.parseGatewayConfig({});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(root.GatewayConfigError);
  });

  it('./worker answers a bad configuration with 503 naming the variable', async () => {
    const { gatewayWorker } = await load<Worker>('worker');
    const response = await gatewayWorker.fetch(new Request('http://gateway/'), {});
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('QDRANT_UPSTREAM_URL is required');
  });
});

describe('the runnable scripts', () => {
  for (const file of ['bun.js', 'deno.js', 'cli.js']) {
    it(`dist/${file} has no shebang`, () => {
      expect(readFileSync(dist(file), 'utf8').startsWith('#!')).toBe(false);
    });
  }
  it('the qdrant-gateway bin file starts with the Node shebang', () => {
    const bin = readFileSync(new URL('../bin/qdrant-gateway.js', import.meta.url), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
