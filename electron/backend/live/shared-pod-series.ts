// live:pods subscriptions with the same parameters share one PodSeries (one set of watches, one ring buffer). A
// subscriber that comes late first gets what the series kept (the contract's "sends first"), then the live points:
// the barrage sender follows the target's namespace while it runs, so the Monitor opened in the middle of a run, or
// after it, draws the pods from the run's first second, not from the moment it opened. A series nobody follows any
// more lingers `lingerMs` before its watches stop, so leaving the Monitor and coming back keeps its history too.
import type { LiveSeriesEvent } from '../../common/schemas/live';

/** What a shared series needs of PodSeries. */
export interface SharedSeries {
  start(): unknown;
  stop(): void;
  history(): LiveSeriesEvent;
}

type Emit = (event: LiveSeriesEvent) => void;

interface Entry {
  series: SharedSeries;
  sinks: Set<Emit>;
  linger: ReturnType<typeof setTimeout> | undefined;
}

export class SharedPodSeries {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly lingerMs: number) {}

  /**
   * Follows the series `key` names, made with `make` (given the fan-out emit) when none runs; returns the
   * unsubscribe.
   */
  subscribe(key: string, make: (emit: Emit) => SharedSeries, sink: Emit): () => void {
    let entry = this.entries.get(key);
    if (entry) {
      clearTimeout(entry.linger);
      entry.linger = undefined;
      const history = entry.series.history();
      if (history.series.some((series) => series.points.length > 0)) sink(history);
    } else {
      const sinks = new Set<Emit>();
      const series = make((event) => {
        for (const each of sinks) each(event);
      });
      entry = { series, sinks, linger: undefined };
      this.entries.set(key, entry);
      series.start();
    }
    const joined = entry;
    joined.sinks.add(sink);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.sinks.delete(sink);
      if (joined.sinks.size > 0) return;
      joined.linger = setTimeout(() => this.end(key, joined), this.lingerMs);
      joined.linger.unref?.();
    };
  }

  /** How many series run (followed or lingering). */
  get size(): number {
    return this.entries.size;
  }

  /** Stops every series now (engine shutdown). */
  dispose(): void {
    for (const [key, entry] of [...this.entries]) this.end(key, entry);
  }

  private end(key: string, entry: Entry): void {
    clearTimeout(entry.linger);
    entry.series.stop();
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
