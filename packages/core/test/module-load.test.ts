// "Pay for what you import" (issue 9): importing an entry does no work, and `sideEffects: false`
// is true in fact. Both are checked on the built package, as apps get it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { encodeBase64UrlText } from '../src/keys/base64url.js';
import { HEADER_SEGMENT } from '../src/keys/jwt.js';

const coreDir = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = ['index', 'keys', 'access', 'cloud', 'headers'] as const;
// The Node-only entry: node:crypto, so it is bundled for Node (and left out of browser bundles).
const NODE_ENTRY = 'node';

// Counts what an import constructs: run in a fresh Node process, before core is loaded.
const COUNTER = `
const counts = {};
const bump = (name) => { counts[name] = (counts[name] ?? 0) + 1; };
const freeze = Object.freeze;
Object.freeze = (value) => { bump('Object.freeze'); return freeze(value); };
for (const name of ['Map', 'WeakMap', 'WeakSet', 'TextEncoder', 'TextDecoder', 'Uint8Array', 'Int8Array', 'RegExp']) {
  const Original = globalThis[name];
  globalThis[name] = new Proxy(Original, {
    construct: (target, args, newTarget) => { bump(name); return Reflect.construct(target, args, newTarget); },
  });
}
const entry = await import(process.argv[1]);
const atLoad = { ...counts };
entry.matchRoute?.('GET', '/collections/docs');
console.log(JSON.stringify({ atLoad, afterFirstMatch: counts }));
`;

function importCounts(entry: string): {
  atLoad: Record<string, number>;
  afterFirstMatch: Record<string, number>;
} {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', COUNTER, `${coreDir}dist/${entry}.js`],
    { encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('importing core does no work', () => {
  it.each([...ENTRIES, NODE_ENTRY])(
    'dist/%s.js builds no table, codec or cache when imported',
    (entry) => {
      const { atLoad } = importCounts(entry);
      // GLOBAL_MANAGE and GLOBAL_READ are the only objects frozen at load; no Map, encoder,
      // decoder or typed array is made until a function that needs one runs.
      expect(Object.keys(atLoad).filter((name) => name !== 'Object.freeze')).toEqual([]);
      expect(atLoad['Object.freeze'] ?? 0).toBeLessThanOrEqual(2);
    },
  );

  it('a table not yet built still shows its elements when logged', () => {
    // Node's inspector formats a proxy's target without touching the proxy.
    const shown = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(process.argv[1]); const { inspect } = await import('node:util');
         console.log(inspect(m.restRoutes).includes("'/healthz'"), inspect(m.grpcMethods).includes('HealthCheck'));`,
        `${coreDir}dist/index.js`,
      ],
      { encoding: 'utf8' },
    );
    expect(shown.trim()).toBe('true true');
  });

  it('the route table is built on first use', () => {
    const { atLoad, afterFirstMatch } = importCounts('index');
    // The table's routes and operations are frozen when the first request is matched.
    expect(afterFirstMatch['Object.freeze'] ?? 0).toBeGreaterThan(
      (atLoad['Object.freeze'] ?? 0) + 100,
    );
    expect(afterFirstMatch.Map).toBeGreaterThanOrEqual(1);
  });
});

describe('data written out instead of computed at load', () => {
  it('the header segment of signed keys is {"alg":"HS256","typ":"JWT"} in base64url', () => {
    expect(HEADER_SEGMENT).toBe(encodeBase64UrlText('{"alg":"HS256","typ":"JWT"}'));
  });
});

describe('node: modules stay in the Node-only entry', () => {
  it('dist/node.* alone imports node:crypto; every other file and shared chunk imports no node: module', () => {
    const dist = `${coreDir}dist/`;
    const built = readdirSync(dist).filter((f) => /\.(c?js)$/.test(f));
    const importing = built.filter((f) =>
      /(from\s*|require\(|import\()\s*["'](node:)?(crypto|fs|path|os|buffer|util|stream|zlib|net|http|https|child_process|worker_threads)["']/.test(
        readFileSync(`${dist}${f}`, 'utf8'),
      ),
    );
    expect(importing.sort()).toEqual(['node.cjs', 'node.js']);
    expect(readFileSync(`${dist}node.js`, 'utf8')).toMatch(/from ["']node:crypto["']/);
  });

  it('bundling `import "@qdrant-kit/core/node"` for Node with nothing used gives an empty bundle', async () => {
    const result = await build({
      stdin: { contents: `import '@qdrant-kit/core/node';`, resolveDir: coreDir, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      logLevel: 'silent',
    });
    expect(result.outputFiles[0]?.text.trim()).toBe('');
  });
});

describe('sideEffects: false', () => {
  it.each(['@qdrant-kit/core', ...ENTRIES.slice(1).map((e) => `@qdrant-kit/core/${e}`)])(
    'bundling `import "%s"` with nothing used gives an empty bundle',
    async (specifier) => {
      const result = await build({
        stdin: { contents: `import '${specifier}';`, resolveDir: coreDir, loader: 'js' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      expect(result.outputFiles[0]?.text.trim()).toBe('');
    },
  );
});
