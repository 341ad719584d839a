// The identity-provider decision path on Node 20, Node 24, Deno, Bun and workerd; the same
// cases also run in vitest here, so a failure shows up with a stack.
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import { describe, expect, it } from 'vitest';
import cases from './runtime/decision-path.js';

describe('decision path in vitest', () => {
  for (const c of cases) it(c.name, () => c.run({ env: {} }));
});

describe('decision path on every runtime', () => {
  const suite = fileURLToPath(new URL('./runtime/decision-path.ts', import.meta.url));
  for (const runtime of ALL_RUNTIMES) {
    it(runtime, { timeout: 300_000 }, async () => {
      const result = await runSuiteOn(runtime, { suite });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(cases.length);
    });
  }
});
