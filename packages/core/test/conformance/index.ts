// Every runtime-neutral suite of @qdrant-kit/core, for runtimes.test.ts.
import type { TestCase } from '@qdrant-kit/runtime-harness/suite';
import accessBodyForms from './access-body-forms.js';
import accessPaths from './access-paths.js';
import accessTable from './access-table.js';
import accessTokenKinds from './access-token-kinds.js';
import boundedCache from './bounded-cache.js';
import grpcRequests from './grpc-requests.js';
import keys from './keys.js';
import keysParity from './keys-parity.js';

const cases: TestCase[] = [
  ...keys,
  ...keysParity,
  ...accessTable,
  ...accessPaths,
  ...accessTokenKinds,
  ...accessBodyForms,
  ...grpcRequests,
  ...boundedCache,
];
export default cases;
