import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
for (const names of [
  ['createKeyVerifier'],
  ['matchRoute'],
  ['authorize'],
  ['authorizeRequest'],
  ['createKeyVerifier', 'matchRoute'],
  ['createKeyVerifier', 'authorizeRequest'],
  ['restRoutes'],
  ['collectionsInBody'],
]) {
  const r = await build({
    stdin: {
      contents: `import {${names}} from './src/index.ts'; export const a=[${names}]`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  console.log(
    names.join('+'),
    r.outputFiles[0].contents.length,
    gzipSync(r.outputFiles[0].contents).length,
  );
}
