import { defineConfig } from 'tsup';

// dist/ is emptied by the build script: parallel configs would race on `clean`.
// Library entries (ESM + CJS + types) and runnable scripts (ESM only: the CLI, Bun, Deno).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', worker: 'src/worker.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    splitting: false,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    entry: { node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    splitting: false,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { cli: 'src/cli.ts', bun: 'src/entries/bun.ts', deno: 'src/entries/deno.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    splitting: false,
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
