import { build } from 'esbuild';
const names = process.argv[2];
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
console.log(r.outputFiles[0].text);
