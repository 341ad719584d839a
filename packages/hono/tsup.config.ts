import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// dist/ is emptied by the build script. One config, so every subpath shares chunks: a class
// (GatewayConfigError, HTTPException subclasses) is the same object from each. `./redis` imports
// node-redis (node:net), so it is an entry of its own, never reached from the root.
export default defineConfig(
  libraryBuild({
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      redis: 'src/redis.ts',
      'durable-object': 'src/durable-object.ts',
    },
  }),
);
