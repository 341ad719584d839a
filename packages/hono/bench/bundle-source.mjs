// Bundles one of the package's source files for a bench, dependencies left external (the same
// instances as the bench's own imports), and imports it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Builds `source` (relative to `src/`) into `node_modules/.cache/<name>.mjs` and imports it. */
export async function importSource(source, name) {
  const outfile = fileURLToPath(new URL(`../node_modules/.cache/${name}.mjs`, import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL(`../src/${source}`, import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    logLevel: 'error',
  });
  return import(outfile);
}
