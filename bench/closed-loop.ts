// A closed-loop reference measurement: `workers` loops, each awaiting one operation at a time, until the duration
// (or the operation cap) is reached. Rate and latency percentiles from an HDR histogram at microsecond resolution.
import { build as buildHistogram } from 'hdr-histogram-js';

export interface ClosedLoopResult {
  rate: number;
  p50Ms: number;
  p99Ms: number;
}

export async function closedLoop(
  options: { workers: number; durationMs: number; maxOperations?: number },
  operation: (worker: number, index: number) => Promise<void>,
): Promise<ClosedLoopResult> {
  const histogram = buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  const maxOperations = options.maxOperations ?? Infinity;
  let done = 0;
  const deadline = Date.now() + options.durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let index = 0; Date.now() < deadline && done < maxOperations; index += 1) {
        const begin = performance.now();
        await operation(worker, index);
        histogram.recordValue(Math.max(1, Math.round((performance.now() - begin) * 1000)));
        done += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    rate: done / seconds,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
}
