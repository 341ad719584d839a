// @ts-check
// TypeDoc names a module after its entry file's path (`packages/core/src`); readers know the
// packages by their npm names, so each module takes the name of its nearest package.json
// (plus the subpath export for entries other than index).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** @param {string} file */
function packageNameOf(file) {
  let directory = dirname(file);
  while (directory !== dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const name = JSON.parse(readFileSync(manifest, 'utf8')).name;
      return typeof name === 'string' ? name : undefined;
    }
    directory = dirname(directory);
  }
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const name = file ? packageNameOf(file) : undefined;
    if (!name || !file) return;
    // `src/node.ts` is the package's `./node` export; `src/index.ts` is the package itself.
    const base = file.replace(/^.*[\\/]/, '').replace(/\.[cm]?tsx?$/, '');
    reflection.name = base === 'index' ? name : `${name}/${base}`;
  });
}
