import { defineConfig } from 'vitest/config';
import { useTestPlaygroundDir } from '../support/test-playground-dir';

// Tests never touch the user's playground: see test/support/test-playground-dir.ts.
useTestPlaygroundDir();

// End-to-end tests: Debian's Chromium (playwright-core) drives the real UI in web mode (the real engine) against
// the playground (real kube-apiserver, Knative Serving on the virtual node, real Kafka, the FC double). One file at
// a time: the machine has 2 cores and every file starts its own web-mode server and browser.
// `npm run -s test:e2e` runs them; screenshots go to artifacts/e2e/.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/e2e/support/build-renderer.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 900_000,
    // The UI updates from streams; polls wait for what a user would wait for.
    expect: { poll: { timeout: 15_000, interval: 200 } },
  },
});
