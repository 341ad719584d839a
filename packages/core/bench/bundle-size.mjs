// pnpm bundle-size (also part of pnpm bench): what an app pays for core, after `pnpm build`.
// 1. An app that verifies keys and authorizes requests: `createKeyVerifier` + `authorizeRequest`
//    from the root entry, bundled by esbuild (minified, browser), gzip. Goal <= 10 KiB. Bodies
//    are given parsed (or scanned by the app); the byte scanner is not part of it.
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
const verifyGzip = gzipSync(verify.code).length;
console.log(
  `createKeyVerifier + authorizeRequest (root entry, esbuild minified, browser): ${kib(verify.code.length)}, gzip ${kib(verifyGzip)} = ${verifyGzip} B (goal <= 10 KiB gzip = 10240 B); zod included: ${verifyInputs.some((p) => p.includes('/zod/'))}`,
);
// For comparison: matching only, and an app that also scans bodies from their bytes (a gateway).
const matchOnly = await bundle(
  `import { createKeyVerifier, matchRoute } from '${coreDir}dist/index.js';
   export const app = [createKeyVerifier, matchRoute];`,
  coreDir,
);
console.log(
  `  reference, createKeyVerifier + matchRoute (no decision): ${kib(matchOnly.code.length)}, gzip ${kib(gzipSync(matchOnly.code).length)}`,
);
const withScanner = await bundle(
  `import { authorize, createKeyVerifier, matchRoute, scanBodyStream } from '${coreDir}dist/index.js';
   export const app = [createKeyVerifier, matchRoute, authorize, scanBodyStream];`,
  coreDir,
);
console.log(
  `  reference, + scanBodyStream (reads bodies from their bytes, as the gateway does): ${kib(withScanner.code.length)}, gzip ${kib(gzipSync(withScanner.code).length)}`,
);
// Where the verify + authorize bytes go: the same bundle from core's sources, per file group.
const fromSource = await bundle(
  `import { authorizeRequest, createKeyVerifier } from '${coreDir}src/index.ts';
   export const app = [createKeyVerifier, authorizeRequest];`,
  coreDir,
);
const GROUPS = [
  [
    'access: byte scanner (body-json-lexer, body-scanner, body-scan-stream)',
    /access\/body-(json-lexer|scanner|scan-stream)\./,
  ],
  [
    'access: parsed-body reader (body.ts, body-object-reader, body-serde-model, body-scan)',
    /access\/body/,
  ],
  ['access: tables (routes, operations)', /access\/(routes|operations|requirements|lazy-list)\./],
  ['access: router, decision, checks', /\/access\//],
  ['keys (verifier, JWT, JSON and claims parsers, cache), headers', /./],
];
const groups = new Map(GROUPS.map(([name]) => [name, 0]));
for (const [path, { bytesInOutput }] of Object.entries(
  Object.values(fromSource.metafile.outputs)[0].inputs,
)) {
  if (!path.includes('packages/core/src/')) continue;
  const [name] = GROUPS.find(([, test]) => test.test(path));
  groups.set(name, groups.get(name) + bytesInOutput);
}
for (const [name, bytes] of groups) console.log(`  ${name}: ${kib(bytes)} minified`);
// Per file: minified bytes, and what each costs in gzip (the bundle's gzip size minus that of the
// bundle with the file's code cut out; esbuild lists inputs in output order, so offsets add up).
{
  const text = Buffer.from(fromSource.code).toString('latin1');
  const whole = gzipSync(fromSource.code).length;
  const rows = [];
  let offset = 0;
  for (const [path, { bytesInOutput }] of Object.entries(
    Object.values(fromSource.metafile.outputs)[0].inputs,
  )) {
    const rest = text.slice(0, offset) + text.slice(offset + bytesInOutput);
    offset += bytesInOutput;
    if (!path.includes('packages/core/src/')) continue;
    const cost = whole - gzipSync(Buffer.from(rest, 'latin1')).length;
    rows.push([path.slice(path.indexOf('src/') + 4), bytesInOutput, cost]);
  }
  console.log(`  per file (from sources, gzip ${whole} B): minified B, gzip cost B`);
  for (const [path, bytes, cost] of rows.sort((a, b) => b[2] - a[2])) {
    console.log(`    ${path}: ${bytes}, ${cost}`);
  }
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
