// Vitest globalSetup of the `integration` project: one playground per run, in the checkout's test playground dir
// (never the user's). A healthy running playground there (another test run's of this checkout) is reused; otherwise it is started with the same code as `npm run -s playground -- up`.
// At the end, only the parts this run started are stopped, and only if no other live test run still uses them
// (KNATIVE_DESK_KEEP_PLAYGROUND=1 keeps them running). Tests read it with `inject('playground')`.
import type { TestProject } from 'vitest/node';
import type { PlaygroundInfo } from '../playground/info';
import { dropLease, otherLeaseHolders, takeLease } from '../playground/leases';
import { downPlayground, playgroundStatus, upPlayground } from '../playground/playground';
import { testPlaygroundDir } from './support/test-playground-dir';

declare module 'vitest' {
  export interface ProvidedContext {
    playground: PlaygroundInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The checkout's own test playground, never the user's (test/support/test-playground-dir.ts).
  const dir = testPlaygroundDir();
  takeLease(dir);
  let started: string[] = [];
  let info: PlaygroundInfo;
  const status = await playgroundStatus({ dir });
  if (status.healthy && status.info) {
    info = status.info;
  } else {
    process.stderr.write(`› starting the playground in ${dir} for this test run\n`);
    const result = await upPlayground({ dir });
    info = result.info;
    started = result.started;
  }
  project.provide('playground', info);

  return async () => {
    dropLease(dir);
    if (started.length === 0 || process.env.KNATIVE_DESK_KEEP_PLAYGROUND === '1') return;
    const others = otherLeaseHolders(dir);
    if (others.length > 0) {
      process.stderr.write(
        `› leaving the playground running: still used by test run(s) ${others.join(', ')}\n`,
      );
      return;
    }
    await downPlayground({ dir, only: started });
  };
}
