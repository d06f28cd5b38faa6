import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'bot/**/*.test.ts', 'shared/**/*.test.ts', 'desktop/**/*.test.ts', 'sandbox/**/*.test.ts'],
    // Type tests (`*.test-d.ts`, expectTypeOf) are checked by tsc as part of `vitest run`.
    typecheck: {
      enabled: true,
      include: ['bot/**/*.test-d.ts', 'shared/**/*.test-d.ts', 'desktop/**/*.test-d.ts', 'sandbox/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
      // TypeScript 7, the native compiler, as `npm run typecheck` uses (package.json: `typescript` stays 6.0
      // because typescript-eslint parses with its JavaScript API, which 7 does not ship).
      checker: './node_modules/typescript-7/bin/tsc',
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One PostgreSQL server for the run; each test file takes its own databases on it.
    globalSetup: ['test/support/postgres-global-setup.ts'],
  },
});
