// Facts a deployment target contributes to the parameters. `cluster` adds nothing; `playground` points Kafka at
// the running local playground and puts the shared SQLite file in the playground's data folder, because there
// HomePage and every processing copy run as local processes on this machine. The facts come from the caller
// (the engine through its PlaygroundPort, the CLI and benches through playground/template-facts.ts): workloads/
// never imports the playground.
import { join } from 'node:path';

export type TemplateTarget = 'cluster' | 'playground';

export interface PlaygroundFacts {
  /** `host:port` of the playground's Kafka brokers. */
  readonly kafkaBrokers: readonly string[];
  /** Folder where the barrage SQLite files live (one per namespace). */
  readonly dataDir: string;
}

export class PlaygroundUnavailableError extends Error {
  override readonly name = 'PlaygroundUnavailableError';
}

/** The part of the playground's state file (`npm run -s playground -- up`) the templates read. */
export interface PlaygroundStateFacts {
  readonly dir?: unknown;
  readonly kafkaBrokers: readonly string[];
}

/** The running playground's facts from its state (undefined: no playground in `dir`). */
export function playgroundFactsOf(info: PlaygroundStateFacts | undefined, dir: string): PlaygroundFacts {
  if (!info) {
    throw new PlaygroundUnavailableError(
      `no playground in ${dir}: start it with "npm run -s playground -- up", or render for --target cluster`,
    );
  }
  if (info.kafkaBrokers.length === 0) {
    throw new PlaygroundUnavailableError(
      `the playground in ${dir} runs without Kafka (started with --no-kafka)`,
    );
  }
  const root = typeof info.dir === 'string' ? info.dir : dir;
  return { kafkaBrokers: info.kafkaBrokers, dataDir: join(root, 'barrage') };
}
