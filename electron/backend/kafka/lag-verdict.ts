// A health verdict per partition and per consumer group, in the spirit of Burrow's threshold-free rules, judged
// over a sliding window of lag samples (pure; unit-tested):
// - REWIND: the committed offset went backwards inside the window (a reset, or a consumer replaying);
// - OK: the lag was zero at some point in the window (it keeps up), or commits move and the lag shrinks;
// - STALL: the committed offset stayed where it was for the whole window with lag, while the group has a member
//   (the consumer is alive but makes no progress: a sink that hangs or keeps failing);
// - STOP: the same, with no member in the group (nobody is consuming);
// - WARN: commits move but the lag at the end of the window is not below the lag at its start (falling behind).
// Burrow sees every commit with its timestamp in __consumer_offsets; the console only polls the committed offsets,
// so "commits repeat at the same offset" (STALL) and "commits stopped" (STOP) are told apart by whether the group
// still has a consumer. Fewer than three samples give UNKNOWN.

export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND' | 'UNKNOWN';

export interface PartitionObservation {
  at: number;
  /** Committed offset, or null when the group never committed on the partition. */
  committed: string | null;
  lag: string;
}

export interface Verdict {
  status: LagStatus;
  reason: string;
}

export const MIN_SAMPLES = 3;

const severity: Record<LagStatus, number> = { STOP: 5, STALL: 4, REWIND: 3, WARN: 2, UNKNOWN: 1, OK: 0 };

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

/** Whether the committed offset stayed the same over the whole window while there was lag. */
export function isStuck(window: readonly PartitionObservation[]): boolean {
  if (window.length < MIN_SAMPLES) return false;
  const first = window[0]!.committed;
  return window.every((sample) => sample.committed === first && BigInt(sample.lag) > 0n);
}

/**
 * `groupActive`: whether the group has a member now (null when not asked: nothing was stuck). `windowMs`: how long
 * the samples must span before the partition is judged.
 */
export function partitionVerdict(
  window: readonly PartitionObservation[],
  groupActive: boolean | null,
  windowMs = 0,
): Verdict {
  if (window.length < MIN_SAMPLES) {
    return { status: 'UNKNOWN', reason: `collecting samples (${window.length} of ${MIN_SAMPLES})` };
  }
  const covered = window[window.length - 1]!.at - window[0]!.at;
  // Judged once the samples span most of the window (as Burrow waits for a full window of commits).
  if (covered < windowMs * 0.75) {
    return { status: 'UNKNOWN', reason: `collecting samples (${seconds(covered)} of ${seconds(windowMs)})` };
  }
  for (let index = 1; index < window.length; index++) {
    const before = window[index - 1]!.committed;
    const after = window[index]!.committed;
    if (before !== null && after !== null && BigInt(after) < BigInt(before)) {
      return { status: 'REWIND', reason: `the committed offset went back from ${before} to ${after}` };
    }
  }
  const first = window[0]!;
  const last = window[window.length - 1]!;
  const span = seconds(last.at - first.at);
  if (window.some((sample) => BigInt(sample.lag) === 0n)) {
    return {
      status: 'OK',
      reason: BigInt(last.lag) === 0n ? 'caught up' : `caught up within the last ${span}`,
    };
  }
  if (isStuck(window)) {
    const at = first.committed === null ? 'nothing committed' : `committed offset ${first.committed}`;
    return groupActive === false
      ? {
          status: 'STOP',
          reason: `no consumer is running (${at}); ${last.lag} records waiting`,
        }
      : {
          status: 'STALL',
          reason: `the consumer is connected but made no progress for ${span} (${at}); ${last.lag} records waiting`,
        };
  }
  if (BigInt(last.lag) >= BigInt(first.lag)) {
    return {
      status: 'WARN',
      reason: `commits move but lag grew from ${first.lag} to ${last.lag} in ${span}`,
    };
  }
  return { status: 'OK', reason: `commits move and lag shrank from ${first.lag} to ${last.lag} in ${span}` };
}

/** The group's verdict: its worst partition's, with the reason naming the partition. */
export function groupVerdict(partitions: ReadonlyMap<number, Verdict>): Verdict {
  let worst: [number, Verdict] | undefined;
  for (const entry of partitions) {
    if (!worst || severity[entry[1].status] > severity[worst[1].status]) worst = entry;
  }
  if (!worst) return { status: 'UNKNOWN', reason: 'no partitions' };
  const same = [...partitions.values()].filter((verdict) => verdict.status === worst[1].status).length;
  if (worst[1].status === 'OK' && same === partitions.size) {
    const reasons = new Set([...partitions.values()].map((verdict) => verdict.reason));
    if (reasons.size === 1 && reasons.has('caught up'))
      return { status: 'OK', reason: 'every partition is caught up' };
  }
  const others = same > 1 ? ` (and ${same - 1} more partition${same > 2 ? 's' : ''})` : '';
  return { status: worst[1].status, reason: `partition ${worst[0]}: ${worst[1].reason}${others}` };
}
