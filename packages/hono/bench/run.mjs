// `pnpm bench`: bundles the TypeScript bench with esbuild and runs it (no build of the
// package needed). Prints figures; never a test.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Inside the package, so the bundle's bare imports resolve from its node_modules.
const dir = fileURLToPath(new URL('../node_modules/.bench/', import.meta.url));
mkdirSync(dir, { recursive: true });
try {
  const outfile = join(dir, 'hot-path.mjs');
  await build({
    entryPoints: [new URL('./hot-path.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'warning',
  });
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
