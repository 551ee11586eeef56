// Per-second buckets averaged over a sliding window, as Knative's autoscaler keeps its metrics
// (knative/serving pkg/autoscaler/aggregation/bucketing.go, TimedFloat64Buckets.WindowAverage):
// - a value recorded for a second adds to that second's bucket;
// - the average divides by the number of seconds that actually hold data (since the first write), so a young
//   revision is not diluted by seconds before it existed;
// - after a whole window without any write the average is 0 and the history restarts.

const SECOND_MS = 1000;

export class ConcurrencyWindow {
  private readonly buckets = new Map<number, number>();
  private firstWriteSecond: number | undefined;
  private lastWriteSecond: number | undefined;

  constructor(private readonly windowMs: number) {
    if (!(windowMs >= SECOND_MS)) throw new RangeError(`window must be at least 1 s, got ${windowMs} ms`);
  }

  private get windowSeconds(): number {
    return Math.max(1, Math.round(this.windowMs / SECOND_MS));
  }

  /** Adds `value` to the bucket of the second `nowMs` falls in. */
  record(nowMs: number, value: number): void {
    const second = Math.floor(nowMs / SECOND_MS);
    if (this.lastWriteSecond === undefined || second - this.lastWriteSecond >= this.windowSeconds) {
      // A whole window without data: the old history says nothing about now.
      this.buckets.clear();
      this.firstWriteSecond = second;
    }
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + value);
    if (this.lastWriteSecond === undefined || second > this.lastWriteSecond) this.lastWriteSecond = second;
    this.prune(second);
  }

  /** Raises the bucket of the current second to at least `value` (a poke must not double count a sample). */
  recordAtLeast(nowMs: number, value: number): void {
    const second = Math.floor(nowMs / SECOND_MS);
    const current = this.buckets.get(second) ?? 0;
    if (value > current) this.record(nowMs, value - current);
    else if (this.lastWriteSecond === undefined) this.record(nowMs, 0);
  }

  /** Average per second over the window ending at `nowMs`. */
  average(nowMs: number): number {
    if (this.lastWriteSecond === undefined || this.firstWriteSecond === undefined) return 0;
    const now = Math.floor(nowMs / SECOND_MS);
    const window = this.windowSeconds;
    if (now - this.lastWriteSecond >= window) return 0;
    let total = 0;
    for (const [second, value] of this.buckets) {
      if (second > now - window && second <= now) total += value;
    }
    // Seconds that hold data: from the first write (or the window start) up to the last write.
    const oldest = Math.max(this.firstWriteSecond, now - window + 1);
    const seconds = Math.max(1, Math.min(this.lastWriteSecond, now) - oldest + 1);
    // Rounded like upstream (roundToNDigits(6)) so 1.4 + … + 1.4 over 6 s stays 1.4, not 1.4000000000000001.
    return Math.round((total / seconds) * 1e6) / 1e6;
  }

  private prune(nowSecond: number): void {
    const limit = nowSecond - this.windowSeconds;
    for (const second of this.buckets.keys()) if (second <= limit) this.buckets.delete(second);
  }
}
