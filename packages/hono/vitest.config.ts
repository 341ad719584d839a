import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start their own redis-server and Miniflare; two shared cores make them slow, not wrong.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
