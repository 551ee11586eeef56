// The running playground's facts for the barrage templates (Kafka brokers, the SQLite folder), read from its state
// file. Lives in playground/ because workloads/ may not import the playground; the templates CLI and the benches
// use it, the engine gets the same facts through its PlaygroundPort.
import { playgroundFactsOf, type PlaygroundFacts } from '../workloads/templates/index';
import { defaultPlaygroundDir, readPlaygroundInfo } from './info';

export function readPlaygroundFacts(dir: string = defaultPlaygroundDir()): PlaygroundFacts {
  return playgroundFactsOf(readPlaygroundInfo(dir), dir);
}
