// The whole conformance suite (keys + access) on Node 20, Node 24, Deno, Bun and workerd.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import { describe, expect, it } from 'vitest';
import cases from './conformance/index.js';

const env = {
  QK_REST_ROUTES: readFileSync(
    fileURLToPath(new URL('../../../../shared/specs/qdrant-rest-routes.txt', import.meta.url)),
    'utf8',
  ),
};

describe('conformance suite on every runtime', () => {
  const suite = fileURLToPath(new URL('./conformance/index.ts', import.meta.url));
  for (const runtime of ALL_RUNTIMES) {
    it(runtime, { timeout: 300_000 }, async () => {
      const result = await runSuiteOn(runtime, { suite, env });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(cases.length);
    });
  }
});
