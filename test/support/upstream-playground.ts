// A private playground (playground/parts/upstream-parts.ts, the same parts as the test run's) for the integration
// tests that need a playground of their own (Knative's controller/autoscaler/activator, queue-proxy, the virtual
// node's kubelet API). Knative's components run in network namespaces of their own (parts/upstream-serving.ts), so
// playgrounds in different dirs run side by side — the user's own, and those of test files running in parallel.
// A dir is one playground, though: a file holds its dir from `up` until `release` (a lock in `<dir>/test-hold`, taken
// over when its holder died), so two files that share a dir take turns instead of stopping the playground under each
// other. Each file gets `<repo>/.test-playground-upstream` (or its own dir) and stops it again, so the next file's `up`
// on the same dir is warm (~10 s).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { PlaygroundInfo } from '../../playground/info';
import { withDirLock } from '../../playground/lock';
import { upstreamServingParts } from '../../playground/parts/upstream-parts';
import { downPlayground, upPlayground, type PlaygroundOptions } from '../../playground/playground';

const repoRoot = join(import.meta.dirname, '..', '..');
export const upstreamTestPlaygroundDir = () =>
  process.env.KNATIVE_DESK_TEST_UPSTREAM_PLAYGROUND_DIR || join(repoRoot, '.test-playground-upstream');

export interface UpstreamPlayground {
  info: PlaygroundInfo;
  options: PlaygroundOptions;
  /** Stops the playground and lets the next holder of its dir in. */
  release: () => Promise<void>;
}

/** Waits until no other file holds the playground dir; resolves with its release. */
export async function holdPlaygroundDir(
  dir: string,
  progress: (message: string) => void,
): Promise<() => Promise<void>> {
  const lockDir = join(dir, 'test-hold');
  mkdirSync(lockDir, { recursive: true });
  let unlock = () => {};
  const held = new Promise<void>((resolve) => (unlock = resolve));
  let released: Promise<unknown> = Promise.resolve();
  await new Promise<void>((acquired, failed) => {
    released = withDirLock(
      lockDir,
      progress,
      async () => {
        acquired();
        await held;
      },
      60 * 60_000,
    ).catch(failed);
  });
  return async () => {
    unlock();
    await released;
  };
}

/**
 * Brings up the upstream-mode playground in `dir`, held for this file. Without Kafka (and so without the parts that
 * need it, the KafkaSource controller + dispatcher) unless `kafka: true`: a file that does not use it starts faster.
 */
export async function upUpstreamPlayground(
  label: string,
  dir = upstreamTestPlaygroundDir(),
  { kafka = false }: { kafka?: boolean } = {},
): Promise<UpstreamPlayground> {
  const progress = (message: string) => process.stderr.write(`[${label}] ${message}\n`);
  const unlock = await holdPlaygroundDir(dir, progress);
  const options: PlaygroundOptions = {
    dir,
    parts: upstreamServingParts,
    without: kafka ? [] : ['kafka'],
    progress,
  };
  try {
    const { info } = await upPlayground(options);
    return {
      info,
      options,
      release: async () => {
        try {
          await downPlayground(options);
        } finally {
          await unlock();
        }
      },
    };
  } catch (error) {
    await downPlayground(options).catch(() => {});
    await unlock();
    throw error;
  }
}

/**
 * A private playground in a fresh temp dir, for this file alone: up before its tests, down and its dir removed after
 * them. Call it at the top of the file, before the file's own hooks, so that they find it up.
 */
export function privateUpstreamPlayground(label: string, options: { kafka?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), `knd-${label}-`));
  let upstream: UpstreamPlayground | undefined;
  beforeAll(async () => {
    upstream = await upUpstreamPlayground(label, join(root, 'playground'), options);
  }, 900_000);
  afterAll(async () => {
    await upstream?.release();
    rmSync(root, { recursive: true, force: true });
  }, 300_000);
  return {
    dir: join(root, 'playground'),
    get upstream(): UpstreamPlayground {
      if (!upstream) throw new Error(`the ${label} playground is not up (used outside the file's tests?)`);
      return upstream;
    },
  };
}
