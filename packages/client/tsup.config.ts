import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  // ofetch's package.json sends Node to a build that imports node:http and node-fetch-native;
  // bundling its runtime-neutral build keeps this package on the global fetch everywhere.
  platform: 'neutral',
  noExternal: ['ofetch', 'destr', 'ufo'],
  esbuildOptions(options) {
    options.conditions = ['worker', 'import', 'default'];
    options.mainFields = ['module', 'main'];
  },
});
