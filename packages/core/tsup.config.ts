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
    },
    clean: true,
    external: ['zod', 'zod/mini'],
  }),
);
