// The identity-provider decision path and the Ed25519 signature guards on Node 20, Node 24,
// Deno, Bun and workerd; the same cases also run in vitest here, so a failure shows up with a
// stack.
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import { describe, expect, it } from 'vitest';
import decisionPath from './runtime/decision-path.js';
import ed25519Guards from './runtime/ed25519-guards.js';

const suites: ReadonlyArray<readonly [string, string, readonly TestCase[]]> = [
  ['decision path', './runtime/decision-path.ts', decisionPath],
  ['Ed25519 guards', './runtime/ed25519-guards.ts', ed25519Guards],
];

for (const [title, path, cases] of suites) {
  describe(`${title} in vitest`, () => {
    for (const c of cases) it(c.name, () => c.run({ env: {} }));
  });

  describe(`${title} on every runtime`, () => {
    const suite = fileURLToPath(new URL(path, import.meta.url));
    for (const runtime of ALL_RUNTIMES) {
      it(runtime, { timeout: 300_000 }, async () => {
        const result = await runSuiteOn(runtime, { suite });
        expect(result.failures).toEqual([]);
        expect(result.passed).toBe(cases.length);
      });
    }
  });
}
