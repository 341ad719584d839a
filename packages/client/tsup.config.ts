import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  // Runtime-neutral output: the client runs on the global fetch everywhere, and a `node:` import
  // slipping in fails the build here instead of in a Worker or a browser.
  platform: 'neutral',
});
