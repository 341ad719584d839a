import { build } from 'esbuild';
for (const c of ["import './src/index.ts'", "import './src/access/body-scanner.ts'"]) {
  const r = await build({
    stdin: { contents: c, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    ignoreAnnotations: true,
    external: ['zod', 'zod/mini'],
  });
  console.log(c, r.outputFiles[0].contents.length);
  console.log(r.outputFiles[0].text.slice(0, 3000));
}
