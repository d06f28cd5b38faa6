import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'bot/**/*.test.ts', 'shared/**/*.test.ts', 'desktop/**/*.test.ts', 'sandbox/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
