import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// dist/ is emptied by the build script: parallel configs would race on `clean`.
// The library subpaths (ESM + CJS + types) and the runnable scripts (ESM only: the CLI, Bun,
// Deno) in one ESM build, so they share chunks. None has a shebang: `bin/qdrant-gateway.js`
// is the command, and Bun and Deno run their entries themselves.
const library = { index: 'src/index.ts', node: 'src/node.ts', worker: 'src/worker.ts' };

export default defineConfig([
  libraryBuild({
    entry: { ...library, cli: 'src/cli.ts', bun: 'src/bun.ts', deno: 'src/deno.ts' },
    format: ['esm'],
    dts: { entry: library },
    platform: 'node',
    target: 'node20',
  }),
  libraryBuild({
    entry: library,
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
  }),
]);
