import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// dist/ is emptied by the build script. One config, so `.` and `./node` share chunks: a class
// (GatewayConfigError, HTTPException subclasses) is the same object from both subpaths.
export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
  }),
);
