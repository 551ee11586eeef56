import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests share one playground (started once per run, or reused when one
// is already up) through test/global-setup.ts; each test makes its own namespace/topic so order does not matter.
export default defineConfig({
  test: {
    include: ['**/*.spec.ts', '**/*.spec.tsx', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**', 'artifacts/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
