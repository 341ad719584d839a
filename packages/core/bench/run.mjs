// pnpm bench: verify+authorize (cold and hot) against jose.jwtVerify and a bare
// crypto.subtle.verify of the same token, measured in one run; plus the entry's min+gzip size.
// Run with Node 24 after `pnpm build`. The machine is noisy: rounds are interleaved and the
// median round is reported.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { jwtVerify } from 'jose';
import { authorizeRequest, createKeyVerifier, signDatabaseKey } from '../dist/index.js';

const SECRET = 'bench-secret-0123456789abcdef';
const secretBytes = new TextEncoder().encode(SECRET);
const token = await signDatabaseKey(SECRET, {
  access: [
    { collection: 'docs', access: 'rw' },
    { collection: 'logs', access: 'r' },
  ],
  exp: Math.floor(Date.now() / 1000) + 3600,
});
const request = { method: 'POST', path: '/collections/docs/points/search' };

const cold = createKeyVerifier({ apiKey: SECRET, jwtRbac: true, cache: false });
const hot = createKeyVerifier({ apiKey: SECRET, jwtRbac: true });

async function verifyAndAuthorize(verifier) {
  const result = await verifier.verifyKey(token);
  if (!result.ok) throw new Error(result.message);
  const decision = authorizeRequest(result.access, request);
  if (!decision.ok) throw new Error(decision.message);
}

const [h, p, s] = token.split('.');
const subtleKey = await crypto.subtle.importKey(
  'raw',
  secretBytes,
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['verify'],
);
const message = new TextEncoder().encode(`${h}.${p}`);
const signature = Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
  c.charCodeAt(0),
);

const cases = {
  cold: () => verifyAndAuthorize(cold),
  hot: () => verifyAndAuthorize(hot),
  jose: async () => {
    await jwtVerify(token, secretBytes, { algorithms: ['HS256'] });
  },
  subtle: async () => {
    if (!(await crypto.subtle.verify('HMAC', subtleKey, signature, message)))
      throw new Error('bad');
  },
};

async function round(fn, iterations) {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return ((performance.now() - start) * 1e6) / iterations;
}

const iterations = { cold: 4000, hot: 40000, jose: 4000, subtle: 4000 };
for (const [name, fn] of Object.entries(cases)) await round(fn, iterations[name] / 4); // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const ROUNDS = 15;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(cases))
    samples[name].push(await round(fn, iterations[name]));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));

const fmt = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} µs` : `${x.toFixed(0)} ns`);
console.log(
  `@qdrant-kit/core bench — Node ${process.versions.node}, median of ${ROUNDS} interleaved rounds`,
);
console.log(
  `token: collection-scoped HS256 (${token.length} chars); request: POST /collections/docs/points/search`,
);
console.log(`  verify+authorize, cold (no cache hit)  ${fmt(ns.cold)}/op`);
console.log(`  verify+authorize, hot (cache hit)      ${fmt(ns.hot)}/op`);
console.log(`  jose.jwtVerify (secret as bytes)       ${fmt(ns.jose)}/op`);
console.log(`  bare crypto.subtle.verify              ${fmt(ns.subtle)}/op`);
const ratio = (name, value, goal) =>
  console.log(
    `  ${name.padEnd(38)} ${value.toFixed(2)}x  (goal >= ${goal}: ${value >= goal ? 'met' : 'NOT met'})`,
  );
console.log('ratios (higher = we are faster):');
ratio('cold vs jose (jose / cold)', ns.jose / ns.cold, 2);
ratio('cold vs bare subtle (subtle / cold)', ns.subtle / ns.cold, 0.67);
ratio('hot vs jose (jose / hot)', ns.jose / ns.hot, 20);

const bundle = await build({
  entryPoints: [new URL('../dist/index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'silent',
});
const code = bundle.outputFiles[0].contents;
console.log(
  `entry size (esbuild bundle of dist/index.js incl. zod, minified): ${(code.length / 1024).toFixed(1)} KiB, gzip ${(gzipSync(code).length / 1024).toFixed(1)} KiB`,
);
