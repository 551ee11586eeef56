// HomePage's barrage ids: microseconds of CPU per new id (a ULID whose random part is fresh, as it is for each
// barrage at up to about 1,000 msg/s, where ids rarely share a millisecond), with HomePage's random source
// (workloads/homepage/pooled-random.ts), against ulid's own (one OS call per character) in the same run.
// In-process, bounded: a fixed number of ids per round, the best of a few rounds.
import { monotonicFactory } from 'ulid';
import { pooledRandom } from '../workloads/homepage/pooled-random';
import { reportFigure } from './report-figure';

const IDS = 50_000;
const ROUNDS = 5;

function microsPerId(nextId: (time: number) => string): number {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const base = Date.now() + round * IDS * 2;
    const start = process.cpuUsage();
    // A new millisecond for every id: each one draws a fresh random part.
    for (let index = 0; index < IDS; index++) sink += nextId(base + index).length;
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / IDS);
  }
  if (sink !== ROUNDS * IDS * 26) throw new Error('an id was not 26 characters long');
  return best;
}

const reference = microsPerId(monotonicFactory());
const pooled = microsPerId(monotonicFactory(pooledRandom()));
reportFigure('barrage id, CPU per new id', pooled, 'µs', "ulid's own random source", reference);
