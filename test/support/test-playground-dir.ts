// Where test runs keep their playground: never the user's (`~/.cache/knative-desk/playground` or
// $KNATIVE_DESK_PLAYGROUND_DIR), so a test run neither fills the user's cluster with test namespaces nor reuses a
// playground that another checkout started with other code. One dir per checkout, `<repo>/.test-playground`
// (git-ignored, gone with the clone), or $KNATIVE_DESK_TEST_PLAYGROUND_DIR.
//
// The vitest configs call `useTestPlaygroundDir()` when they load, before global setup and before any worker or
// child process (web mode in e2e) starts, so every piece of code that asks `defaultPlaygroundDir()` gets this one.
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

export function testPlaygroundDir(): string {
  return process.env.KNATIVE_DESK_TEST_PLAYGROUND_DIR || join(repoRoot, '.test-playground');
}

export function useTestPlaygroundDir(): string {
  const dir = testPlaygroundDir();
  process.env.KNATIVE_DESK_PLAYGROUND_DIR = dir;
  return dir;
}
