// Every runtime-neutral suite of @qdrant-kit/core, for runtimes.test.ts.
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import accessBodyForms from './access-body-forms.js';
import accessPaths from './access-paths.js';
import accessTable from './access-table.js';
import accessTokenKinds from './access-token-kinds.js';
import keys from './keys.js';

const cases: TestCase[] = [
  ...keys,
  ...accessTable,
  ...accessPaths,
  ...accessTokenKinds,
  ...accessBodyForms,
];
export default cases;
