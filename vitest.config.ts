import { defineConfig } from 'vitest/config';
import { useTestPlaygroundDir } from './test/support/test-playground-dir';

// Tests never touch the user's playground: see test/support/test-playground-dir.ts.
useTestPlaygroundDir();

// Two projects:
// - unit: `*.spec.ts(x)` beside the code; no outside services.
// - integration: `*.int.test.ts` (beside the code or in test/); they share one playground, started once per run
//   (or reused when one is already up) by test/global-setup.ts and handed over as inject('playground'). Each test
//   makes its own namespace/topic, so tests run in any order.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.spec.ts', '**/*.spec.tsx'],
          exclude: ['node_modules/**', 'dist/**', 'artifacts/**', 'test/e2e/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'artifacts/**', 'test/e2e/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
