// Registers the runtime-neutral body-forms suite in vitest (readable failures on Node 24); the same
// cases run on every runtime through test/conformance/index.ts, from runtimes.test.ts.
import { describe, it } from 'vitest';
import cases from './conformance/access-body-forms.js';

describe(`access-body-forms (vitest, Node ${process.versions.node})`, () => {
  for (const c of cases) it(c.name, () => c.run({ env: {} }));
});
