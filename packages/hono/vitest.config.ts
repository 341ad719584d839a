import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Memory and abort cases measure one process; keep files in separate forks.
    pool: 'forks',
  },
});
