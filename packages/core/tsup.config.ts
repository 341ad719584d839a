import { defineConfig } from 'tsup';

// One entry, ESM + CJS, with `.d.ts` and `.d.cts` so both module systems get matching types.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: false,
  target: 'es2022',
  platform: 'neutral',
  external: ['zod', 'zod/mini'],
});
