import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts' },
    clean: true,
    // Runtime-neutral output: the client runs on the global fetch everywhere, and a `node:` import
    // slipping in fails the build here instead of in a Worker or a browser.
    platform: 'neutral',
  }),
);
