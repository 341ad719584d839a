// The runtime-neutral smoke suite, on Node 24 under vitest (readable failures) and on every
// runtime through @qdrant-kit/runtime-harness, against one recording upstream on loopback.
import { fileURLToPath } from 'node:url';
import { ALL_RUNTIMES, runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cases from './smoke/gateway.suite.js';
import {
  deadPort,
  type RecordingUpstream,
  startRecordingUpstream,
} from '@qdrant-kit/test-support/upstream';

const suite = fileURLToPath(new URL('./smoke/gateway.suite.ts', import.meta.url));
let upstream: RecordingUpstream;
let env: Record<string, string>;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  env = { UPSTREAM_URL: upstream.url, DEAD_UPSTREAM_URL: await deadPort() };
});
afterAll(() => upstream?.close());

describe('smoke suite in vitest', () => {
  for (const c of cases) it(c.name, () => c.run({ env }));
});

describe('smoke suite on every runtime', () => {
  for (const runtime of ALL_RUNTIMES) {
    it(runtime, { timeout: 240_000 }, async () => {
      const result = await runSuiteOn(runtime, { suite, env });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(cases.length);
    });
  }
});
