import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.js';
import { testFilesByTier } from './test/support/tiers.js';

// Three tiers, by what a test file starts (test/support/tiers.ts): `npm run test:unit`,
// `test:in-process` and `test:system` run one each, `npm test` all of them.
const files = testFilesByTier(import.meta.dirname);
const common = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // One queue for every tier, longest first (vitest would run the tiers one after another).
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...common, name: 'unit', include: files.unit } },
      {
        // Type tests (`*.test-d.ts`, expectTypeOf), checked by tsc: a whole-project compile, so a
        // project of their own that `test:unit` leaves to `npm test` and `npm run typecheck`.
        test: {
          ...common,
          name: 'types',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['bot/**/*.test-d.ts', 'shared/**/*.test-d.ts', 'desktop/**/*.test-d.ts', 'sandbox/**/*.test-d.ts', 'test/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
            // TypeScript 7, the native compiler, as `npm run typecheck` uses (package.json: `typescript` stays 6.0
            // because typescript-eslint parses with its JavaScript API, which 7 does not ship).
            checker: './node_modules/typescript-7/bin/tsc',
          },
        },
      },
      { test: { ...common, name: 'in-process', include: files['in-process'] } },
      {
        test: {
          ...common,
          name: 'system',
          include: files.system,
          // One PostgreSQL server for the run; each test file takes its own databases on it.
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
