// The one tsup configuration every package builds with: ESM + CJS with matching `.d.ts` and
// `.d.cts`, and shared chunks (`splitting`), so a class or a table is one object whichever
// subpath an app imports it from. Packages pass their entries and what differs.
import type { Options } from 'tsup';

/** tsup options for a library: `entry` and anything that differs from the shared defaults. */
export function libraryBuild(options: Options & Pick<Required<Options>, 'entry'>): Options {
  return {
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    ...options,
  };
}
