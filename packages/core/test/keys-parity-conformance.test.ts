// Registers the runtime-neutral key-parity, gRPC-request and bounded-cache cases in vitest (readable failures
// on Node 24); the same modules run on every runtime from runtimes.test.ts.
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import { describe, it } from 'vitest';
import cacheCases from './conformance/bounded-cache.js';
import grpcCases from './conformance/grpc-requests.js';
import parityCases from './conformance/keys-parity.js';

const suites: Array<[string, readonly TestCase[]]> = [
  ['keys-parity', parityCases],
  ['grpc-requests', grpcCases],
  ['bounded-cache', cacheCases],
];

for (const [name, cases] of suites) {
  describe(`${name} (vitest, Node ${process.versions.node})`, () => {
    for (const c of cases) it(c.name, () => c.run({ env: {} }));
  });
}
