import { describe } from 'vitest';
import { createInProcessStore } from '../../src/state/memory.js';
import type { SharedStateStore } from '../../src/state/types.js';
import { storeContract } from './contract.js';

describe('in-process store', () => {
  // One process-wide store stands for "the same store seen by two callers".
  let shared: SharedStateStore | undefined;
  let opened = 0;
  storeContract(() => {
    if (opened === 0) shared = createInProcessStore();
    opened += 1;
    const store = shared as SharedStateStore;
    return {
      ...store,
      async close() {
        opened -= 1;
        if (opened === 0) await store.close();
      },
    };
  }, true);
});
