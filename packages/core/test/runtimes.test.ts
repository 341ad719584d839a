// The one all-runtime block: the whole conformance suite (keys + every access suite, aggregated
// by conformance/index.ts) on Node 20, Node 24, Deno, Bun and workerd. The same cases are also
// registered in vitest by keys-conformance.test.ts and access-conformance.test.ts.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import { describe, expect, it } from 'vitest';
import cases from './conformance/index.js';
import { readSpec } from './spec.js';

// What the suites read from `ctx.env`: the route list is loaded by the host, not bundled.
const env = {
  QK_REST_ROUTES: readSpec('qdrant-rest-routes.txt'),
};

describe('conformance/index.ts', () => {
  it('aggregates every suite module of test/conformance', async () => {
    const dir = new URL('./conformance/', import.meta.url);
    const modules = readdirSync(dir).filter(
      (file) => file.endsWith('.ts') && file !== 'index.ts' && !file.endsWith('-fixtures.ts'),
    );
    expect(modules.length).toBeGreaterThanOrEqual(4);
    for (const file of modules) {
      const suite = (await import(new URL(file, dir).href)) as { default: TestCase[] };
      for (const c of suite.default) expect(cases, `${file}: ${c.name}`).toContain(c);
    }
  });
});

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
