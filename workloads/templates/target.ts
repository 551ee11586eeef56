// Facts a deployment target contributes to the parameters. `cluster` adds nothing; `playground` points Kafka at
// the running local playground and puts the shared SQLite file in the playground's data folder, because there
// HomePage and every processing copy run as local processes on this machine.
import { join } from 'node:path';
import { defaultPlaygroundDir, readPlaygroundInfo } from '../../playground/info';

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

/** Reads the running playground's facts (from `npm run -s playground -- up`'s state file). */
export function readPlaygroundFacts(dir: string = defaultPlaygroundDir()): PlaygroundFacts {
  const info = readPlaygroundInfo(dir);
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
  return { kafkaBrokers: info.kafkaBrokers, dataDir: join(info.dir ?? dir, 'barrage') };
}
