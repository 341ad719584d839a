import { defineConfig } from 'tsup';

// One entry per subpath plus the root, ESM + CJS, with `.d.ts` and `.d.cts` so both module
// systems get matching types. Shared chunks (`splitting`) so a class or a table is one object
// whichever subpaths an app imports it from.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    keys: 'src/keys/index.ts',
    access: 'src/access/index.ts',
    cloud: 'src/cloud/access-rules.ts',
    headers: 'src/headers.ts',
    schemas: 'src/schemas.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['zod', 'zod/mini'],
});
