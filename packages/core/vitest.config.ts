import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property suites and the five-runtime run are CPU-bound; CI shares two cores with other
    // packages' tests, so time limits are generous and correctness is what is asserted.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
