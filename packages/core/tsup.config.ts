import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// One entry per subpath plus the root.
export default defineConfig(
  libraryBuild({
    entry: {
      index: 'src/index.ts',
      keys: 'src/keys/index.ts',
      access: 'src/access/index.ts',
      cloud: 'src/cloud/access-rules.ts',
      headers: 'src/headers.ts',
      schemas: 'src/schemas.ts',
      // The one entry importing a `node:` module (node:crypto); never reached from the others.
      node: 'src/node.ts',
    },
    clean: true,
    external: ['zod', 'zod/mini', 'node:crypto'],
    // Keep `node:crypto` as written: Deno resolves built-ins only by their `node:` name.
    removeNodeProtocol: false,
    // Only src/node.ts uses Node's types; tsconfig.json keeps them out of every other file.
    dts: { compilerOptions: { types: ['node'] } },
  }),
);
