// Registers the runtime-neutral access suites in vitest (readable failures on Node 24). The same
// cases run on every runtime through test/conformance/index.ts, from runtimes.test.ts.
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import { describe, it } from 'vitest';
import pathCases from './conformance/access-paths.js';
import tableCases from './conformance/access-table.js';
import tokenCases from './conformance/access-token-kinds.js';
import { readSpec } from './spec.js';

const env = {
  QK_REST_ROUTES: readSpec('qdrant-rest-routes.txt'),
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
}
