// Consumer lag, computed the way the broker's own numbers mean it (pure; unit-tested):
//   lag(partition) = high watermark − committed offset, and when the group has committed nothing on a partition
//   (offset -1), high − low: everything still retained is unread (counting from 0 would overstate lag after
//   retention deleted old segments — redpanda-console#788). Offsets are 64-bit, so all arithmetic is BigInt and
//   the results travel as decimal strings.
import type { LagSample, LagSnapshot } from '../../common/schemas/kafka';

export interface TopicPartitionOffsets {
  partition: number;
  high: string;
  low: string;
}
export interface CommittedOffset {
  partition: number;
  /** '-1' (or '') when nothing is committed. */
  offset: string;
}

function toBig(value: string): bigint {
  return /^-?\d+$/.test(value) ? BigInt(value) : -1n;
}

export function computeLag(
  groupId: string,
  topic: string,
  offsets: TopicPartitionOffsets[],
  committed: CommittedOffset[],
  at: number,
): LagSnapshot {
  const committedBy = new Map(committed.map((entry) => [entry.partition, toBig(entry.offset)]));
  let total = 0n;
  const partitions = [...offsets]
    .sort((a, b) => a.partition - b.partition)
    .map((entry) => {
      const high = toBig(entry.high);
      const low = toBig(entry.low);
      const commit = committedBy.get(entry.partition) ?? -1n;
      const hasCommit = commit >= 0n;
      // A committed offset below the low watermark means retention removed unread records: lag is still high − commit
      // by definition, but never negative (a commit past high can happen briefly across a truncation).
      let lag = hasCommit ? high - commit : high - low;
      if (lag < 0n) lag = 0n;
      total += lag;
      return {
        partition: entry.partition,
        committed: hasCommit ? commit.toString() : null,
        low: low.toString(),
        high: high.toString(),
        lag: lag.toString(),
      };
    });
  return { at, groupId, topic, partitions, totalLag: total.toString() };
}

/** Produce rate (high-watermark delta) and consume rate (committed delta) between two snapshots, per second. */
export function ratesBetween(previous: LagSnapshot | undefined, current: LagSnapshot): LagSample {
  const sample: LagSample = {
    at: current.at,
    totalLag: current.totalLag,
    produceRate: null,
    consumeRate: null,
  };
  if (!previous || current.at <= previous.at) return sample;
  const seconds = (current.at - previous.at) / 1000;
  const before = new Map(previous.partitions.map((p) => [p.partition, p]));
  let produced = 0n;
  let consumed = 0n;
  for (const partition of current.partitions) {
    const old = before.get(partition.partition);
    if (!old) continue;
    const highDelta = BigInt(partition.high) - BigInt(old.high);
    if (highDelta > 0n) produced += highDelta;
    // Consumption counted only where the group had committed both times; a first commit has no baseline.
    if (partition.committed !== null && old.committed !== null) {
      const delta = BigInt(partition.committed) - BigInt(old.committed);
      if (delta > 0n) consumed += delta;
    }
  }
  sample.produceRate = Number(produced) / seconds;
  sample.consumeRate = Number(consumed) / seconds;
  return sample;
}

/**
 * Direction of the total lag over the samples: least-squares slope in messages per second, called steady when its
 * size is under max(1 msg/s, 2 % of the mean lag per second). Fewer than 3 samples: unknown.
 */
export function lagTrend(samples: LagSample[]): 'growing' | 'shrinking' | 'steady' | 'unknown' {
  if (samples.length < 3) return 'unknown';
  const t0 = samples[0]!.at;
  const xs = samples.map((s) => (s.at - t0) / 1000);
  const ys = samples.map((s) => Number(s.totalLag));
  const n = samples.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    numerator += (xs[i]! - meanX) * (ys[i]! - meanY);
    denominator += (xs[i]! - meanX) ** 2;
  }
  if (denominator === 0) return 'unknown';
  const slope = numerator / denominator;
  const threshold = Math.max(1, 0.02 * meanY);
  if (Math.abs(slope) < threshold) return 'steady';
  return slope > 0 ? 'growing' : 'shrinking';
}

/** Seconds until lag reaches zero at the current net rate; 0 when there is none; null when not catching up. */
export function catchUpSeconds(sample: LagSample): number | null {
  const lag = Number(sample.totalLag);
  if (lag === 0) return 0;
  if (sample.consumeRate === null || sample.produceRate === null) return null;
  const net = sample.consumeRate - sample.produceRate;
  return net > 0 ? lag / net : null;
}
