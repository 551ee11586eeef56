// Bounded time series keyed by name ("pods:demo/barrage-processing:ready", "lag:total", …). Each key is a ring
// buffer, so a Monitor left open for hours holds the same memory as one open for ten minutes. Appends that are
// not newer than the last point are ignored: a re-subscribed stream resends its history first.
import type { SeriesPoint } from '../charts/downsample';
import { RingBuffer } from '../../../electron/common/ring-buffer';

export class SeriesStore {
  private readonly rings = new Map<string, RingBuffer<SeriesPoint>>();

  constructor(readonly capacity: number) {}

  append(key: string, t: number, v: number | null): void {
    if (v === null || !Number.isFinite(v)) return;
    let ring = this.rings.get(key);
    if (!ring) {
      ring = new RingBuffer<SeriesPoint>(this.capacity);
      this.rings.set(key, ring);
    }
    const last = ring.last();
    if (last && t <= last.t) return;
    ring.push({ t, v });
  }

  get(key: string): SeriesPoint[] {
    return this.rings.get(key)?.toArray() ?? [];
  }

  last(key: string): SeriesPoint | undefined {
    return this.rings.get(key)?.last();
  }

  keys(): string[] {
    return [...this.rings.keys()];
  }

  /** Latest time of any series, or undefined when empty. */
  latestTime(): number | undefined {
    let latest: number | undefined;
    for (const ring of this.rings.values()) {
      const t = ring.last()?.t;
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
    }
    return latest;
  }

  earliestTime(): number | undefined {
    let earliest: number | undefined;
    for (const ring of this.rings.values()) {
      const t = ring.at(0)?.t;
      if (t !== undefined && (earliest === undefined || t < earliest)) earliest = t;
    }
    return earliest;
  }

  /** Everything, raw (not downsampled), for JSON export. */
  toJSON(): Record<string, SeriesPoint[]> {
    return Object.fromEntries([...this.rings.entries()].map(([key, ring]) => [key, ring.toArray()]));
  }

  clear(): void {
    this.rings.clear();
  }
}
