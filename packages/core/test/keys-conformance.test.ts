// Registers the runtime-neutral key cases in vitest (readable failures on Node 24); the same
// module runs on every runtime from runtimes.test.ts.
import { describe, it } from 'vitest';
import cases from './conformance/keys.js';

describe(`keys (vitest, Node ${process.versions.node})`, () => {
  for (const c of cases) it(c.name, () => c.run({ env: {} }));
});
