// pnpm bench:hs256: one HS256 verify, crypto.subtle.verify (the default, webCryptoHs256) against
// nodeHs256 (@qdrant-kit/core/node, node:crypto), on Node, Bun and Deno (the binaries the
// runtime harness installs), after `pnpm build`. Each runtime runs this file itself (`--child`);
// 21 interleaved rounds of 2000 verifies, ratio = median of per-round ratios.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv.includes('--child')) {
  const { webCryptoHs256 } = await import('../dist/index.js');
  const { nodeHs256 } = await import('../dist/node.js');
  const secret = new TextEncoder().encode('bench-secret-0123456789abcdef');
  const message = new TextEncoder().encode(
    `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${'x'.repeat(176)}`,
  );
  const webKey = await webCryptoHs256.importKey(secret);
  const nodeKey = nodeHs256.importKey(secret);
  const signature = await webCryptoHs256.sign(webKey, message);
  const arms = {
    subtle: () => webCryptoHs256.verify(webKey, signature, message),
    node: () => nodeHs256.verify(nodeKey, signature, message),
  };
  const round = async (fn) => {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) if (!(await fn())) throw new Error('refused');
    return ((performance.now() - start) * 1000) / 2000;
  };
  for (const fn of Object.values(arms)) await round(fn);
  const samples = { subtle: [], node: [] };
  for (let r = 0; r < 21; r++)
    for (const name of r % 2 ? ['node', 'subtle'] : ['subtle', 'node'])
      samples[name].push(await round(arms[name]));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(samples.subtle.map((t, r) => t / samples.node[r]));
  const runtime = globalThis.Bun
    ? `Bun ${globalThis.Bun.version}`
    : globalThis.Deno
      ? `Deno ${globalThis.Deno.version.deno}`
      : `Node ${process.versions.node}`;
  console.log(
    `  ${runtime.padEnd(14)} subtle.verify ${median(samples.subtle).toFixed(2)} µs, nodeHs256.verify ${median(samples.node).toFixed(2)} µs: nodeHs256 ${ratio.toFixed(1)}x faster`,
  );
  process.exit(0);
}

const here = fileURLToPath(import.meta.url);
const require = createRequire(join(dirname(here), '../../../tooling/runtime-harness/package.json'));
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe');
const deno = join(dirname(require.resolve('deno/package.json')), 'deno');
console.log('one HS256 verify (32-byte signature, 214-byte signing input), medians of 21 rounds:');
for (const argv of [
  [process.execPath, here, '--child'],
  [bun, 'run', here, '--child'],
  [deno, 'run', '--allow-read', '--allow-env', here, '--child'],
]) {
  const child = spawnSync(argv[0], argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  });
  if (child.status !== 0) process.exitCode = 1;
}
