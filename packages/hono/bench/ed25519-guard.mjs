// pnpm bench (Ed25519 key guard): what deciding one published Ed25519 key costs when a key set
// is read (first sight of a key, then a refresh that brings it again), against importing the
// key with Web Crypto (what the gateway does next, once per key). Node 24; the machine is noisy:
// each ratio is the median of ratios measured within one round.
import { importSource } from './bundle-source.mjs';

const { isSafeEd25519PublicKey } = await importSource('oidc/ed25519.ts', 'ed25519-bench');

const KEYS = 200;
const ROUNDS = Number(process.env.QK_BENCH_ROUNDS ?? 11);
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

async function freshKeys() {
  const out = [];
  for (let i = 0; i < KEYS; i++) {
    const { publicKey } = await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify']);
    out.push(b64url(new Uint8Array(await crypto.subtle.exportKey('raw', publicKey))));
  }
  return out;
}

async function time(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / KEYS;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const first = [];
const again = [];
const imports = [];
for (let r = 0; r < ROUNDS; r++) {
  const keys = await freshKeys();
  const cold = await time(() => {
    for (const x of keys) if (!isSafeEd25519PublicKey(x)) throw new Error('refused a real key');
  });
  const warm = await time(() => {
    for (const x of keys) isSafeEd25519PublicKey(x);
  });
  const imported = await time(async () => {
    for (const x of keys) {
      await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, 'Ed25519', false, [
        'verify',
      ]);
    }
  });
  first.push(cold / imported);
  again.push(warm / imported);
  imports.push(imported);
}
console.log(`Ed25519 key guard, ${KEYS} keys x ${ROUNDS} rounds (median of per-round ratios)`);
console.log(`  first sight / Web Crypto import: ${median(first).toFixed(2)}x`);
console.log(`  refresh (same key) / Web Crypto import: ${median(again).toFixed(3)}x`);
console.log(`  Web Crypto import: ${(median(imports) * 1000).toFixed(1)} us per key`);
