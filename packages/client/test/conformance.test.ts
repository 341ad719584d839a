// The runtime-neutral suite, once directly under vitest (readable failures on Node 24) and once
// per runtime through the harness (Node 20, Node 24, Deno, Bun, workerd).
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cases from './conformance/client.ts';
import { type ScenarioServer, startScenarioServer } from './support/scenario-server.ts';

let server: ScenarioServer;
beforeAll(async () => {
  server = await startScenarioServer();
});
afterAll(() => server.close());

describe('conformance on Node 24 (vitest)', () => {
  for (const c of cases) it(c.name, () => c.run({ env: { SERVER: server.url } }));
});

describe('conformance on every runtime', () => {
  const suite = fileURLToPath(new URL('./conformance/client.ts', import.meta.url));
  for (const runtime of ALL_RUNTIMES) {
    it(`${runtime}`, { timeout: 180_000 }, async () => {
      const result = await runSuiteOn(runtime, { suite, env: { SERVER: server.url } });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(cases.length);
    });
  }
});
