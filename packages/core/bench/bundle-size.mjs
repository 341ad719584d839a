// pnpm bundle-size (also part of pnpm bench): what an app pays for core, after `pnpm build`.
// 1. An app that verifies keys and authorizes requests: `createKeyVerifier` + `authorizeRequest`
//    from the root entry, bundled by esbuild (minified, browser), gzip. Goal <= 10 KiB.
// 2. Core's share of a client bundle with one service: `composeCloudClient` + `clusterService`
//    from @qdrant-kit/client (its sources, resolving core through the workspace like an app),
//    bytes of core's files in esbuild's metafile, minified. Goal <= 4 KiB.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rootDir = fileURLToPath(new URL('../../..', import.meta.url));
const coreDir = fileURLToPath(new URL('..', import.meta.url));
const clientDir = fileURLToPath(new URL('../../client', import.meta.url));
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function bundle(contents, resolveDir) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    // Metafile paths are relative to this: core's files are those under `packages/core/`.
    absWorkingDir: rootDir,
    write: false,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].contents, metafile: result.metafile };
}

/** Minified bytes in the output per input file whose path contains `marker`, largest first. */
function share(metafile, marker) {
  const output = Object.values(metafile.outputs)[0];
  const files = Object.entries(output.inputs)
    .filter(([path]) => path.includes(marker))
    .map(([path, { bytesInOutput }]) => [
      path.slice(path.indexOf(marker) + marker.length),
      bytesInOutput,
    ])
    .sort((a, b) => b[1] - a[1]);
  return { total: files.reduce((sum, [, bytes]) => sum + bytes, 0), files };
}

const verify = await bundle(
  `import { authorizeRequest, createKeyVerifier } from '${coreDir}dist/index.js';
   export const app = [createKeyVerifier, authorizeRequest];`,
  coreDir,
);
const verifyInputs = Object.keys(Object.values(verify.metafile.outputs)[0].inputs);
console.log(
  `createKeyVerifier + authorizeRequest (root entry, esbuild minified, browser): ${kib(verify.code.length)}, gzip ${kib(gzipSync(verify.code).length)} (goal <= 10 KiB gzip); zod included: ${verifyInputs.some((p) => p.includes('/zod/'))}`,
);
// For comparison: the same app without the decision and its body scanner (matching only).
const matchOnly = await bundle(
  `import { createKeyVerifier, matchRoute } from '${coreDir}dist/index.js';
   export const app = [createKeyVerifier, matchRoute];`,
  coreDir,
);
console.log(
  `  reference, createKeyVerifier + matchRoute (no decision, no body scanner): ${kib(matchOnly.code.length)}, gzip ${kib(gzipSync(matchOnly.code).length)}`,
);
// Where those bytes go: the same bundle from core's sources, per file group.
const fromSource = await bundle(
  `import { authorizeRequest, createKeyVerifier } from '${coreDir}src/index.ts';
   export const app = [createKeyVerifier, authorizeRequest];`,
  coreDir,
);
const groups = {
  'keys (verifier, JWT, claims, cache)': [],
  'access: request-body scanner (body-*.ts, body.ts)': [],
  'access: tables, router, checks': [],
};
for (const [path, { bytesInOutput }] of Object.entries(
  Object.values(fromSource.metafile.outputs)[0].inputs,
)) {
  if (!path.includes('packages/core/src/')) continue;
  const group = /access\/body/.test(path)
    ? 'access: request-body scanner (body-*.ts, body.ts)'
    : path.includes('/access/')
      ? 'access: tables, router, checks'
      : 'keys (verifier, JWT, claims, cache)';
  groups[group].push(bytesInOutput);
}
for (const [name, sizes] of Object.entries(groups)) {
  console.log(`  ${name}: ${kib(sizes.reduce((a, b) => a + b, 0))} minified`);
}

const client = await bundle(
  `import { clusterService, composeCloudClient } from './src/index.ts';
   export const cloud = (apiKey: string) => composeCloudClient({ apiKey }, { cluster: clusterService });`,
  clientDir,
);
const core = share(client.metafile, 'packages/core/');
console.log(
  `client bundle with one service (composeCloudClient + clusterService): ${kib(client.code.length)} minified, of which core ${core.total} B (${kib(core.total)}; goal <= 4 KiB)`,
);
for (const [path, bytes] of core.files) console.log(`  ${path}: ${bytes} B`);
