// Registers the runtime-neutral access suites in vitest (readable failures on Node 24) and runs
// each suite on every runtime through the harness.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import { describe, expect, it } from 'vitest';
import pathCases from './conformance/access-paths.js';
import tableCases from './conformance/access-table.js';
import tokenCases from './conformance/access-token-kinds.js';

const env = {
  QK_REST_ROUTES: readFileSync(
    fileURLToPath(new URL('../../../../shared/specs/qdrant-rest-routes.txt', import.meta.url)),
    'utf8',
  ),
};

const suites: Array<[string, readonly TestCase[]]> = [
  ['access-table', tableCases],
  ['access-paths', pathCases],
  ['access-token-kinds', tokenCases],
];

for (const [name, cases] of suites) {
  describe(`${name} (vitest, Node ${process.versions.node})`, () => {
    for (const c of cases) it(c.name, () => c.run({ env }));
  });

  describe(`${name} on every runtime`, () => {
    const suite = fileURLToPath(new URL(`./conformance/${name}.ts`, import.meta.url));
    for (const runtime of ALL_RUNTIMES) {
      it(runtime, { timeout: 300_000 }, async () => {
        const result = await runSuiteOn(runtime, { suite, env });
        expect(result.failures).toEqual([]);
        expect(result.passed).toBe(cases.length);
      });
    }
  });
}
