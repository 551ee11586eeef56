// One PodSeries per live:pods parameters, its history first for a late subscriber, and a linger before it stops.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveSeriesEvent } from '../../common/schemas/live';
import { SharedPodSeries, type SharedSeries } from './shared-pod-series';
import { podPoint as point } from '../../../test/support/pod-points';

const batch = (at: number, ready: number): LiveSeriesEvent => ({
  series: [{ namespace: 'demo', service: 'processing', workload: 'pods', points: [point(at, ready)] }],
});

/** A series whose points the test pushes; history() is everything pushed so far. */
function fakeSeries(emit: (event: LiveSeriesEvent) => void) {
  const kept: ReturnType<typeof point>[] = [];
  const series = {
    started: 0,
    stopped: 0,
    start() {
      series.started += 1;
    },
    stop() {
      series.stopped += 1;
    },
    history: (): LiveSeriesEvent => ({
      series: kept.length
        ? [{ namespace: 'demo', service: 'processing', workload: 'pods', points: [...kept] }]
        : [],
    }),
    push(at: number, ready: number) {
      kept.push(point(at, ready));
      emit(batch(at, ready));
    },
  };
  return series;
}

/** A `make` for SharedPodSeries that keeps every series it made, in order. */
function seriesMaker() {
  const made: ReturnType<typeof fakeSeries>[] = [];
  const make = (emit: (event: LiveSeriesEvent) => void): SharedSeries => {
    const series = fakeSeries(emit);
    made.push(series);
    return series;
  };
  return { made, make };
}

describe('SharedPodSeries', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shares one series per key and sends a late subscriber the history first, then the live points', () => {
    const shared = new SharedPodSeries(60_000);
    const { made, make } = seriesMaker();
    const early: LiveSeriesEvent[] = [];
    const late: LiveSeriesEvent[] = [];
    shared.subscribe('ctx/demo', make, (event) => early.push(event));
    made[0]!.push(1000, 1);
    made[0]!.push(2000, 3);
    shared.subscribe('ctx/demo', make, (event) => late.push(event));
    made[0]!.push(3000, 5);

    expect(made).toHaveLength(1);
    expect(made[0]!.started).toBe(1);
    expect(early.flatMap((event) => event.series[0]!.points.map((p) => p.ready))).toEqual([1, 3, 5]);
    expect(late.map((event) => event.series[0]!.points.map((p) => p.ready))).toEqual([[1, 3], [5]]);
  });

  it('sends no empty history, and keeps other keys apart', () => {
    const shared = new SharedPodSeries(60_000);
    const { made, make } = seriesMaker();
    const got: LiveSeriesEvent[] = [];
    shared.subscribe('ctx/a', make, () => {});
    shared.subscribe('ctx/a', make, (event) => got.push(event));
    shared.subscribe('ctx/b', make, () => {});
    expect(got).toEqual([]);
    expect(made).toHaveLength(2);
    expect(shared.size).toBe(2);
  });

  it('stops a series only after it went unfollowed for the linger, and a return within it keeps the history', () => {
    const shared = new SharedPodSeries(60_000);
    const { made, make } = seriesMaker();
    const leave = shared.subscribe('ctx/demo', make, () => {});
    made[0]!.push(1000, 2);
    leave();
    leave(); // twice is once
    vi.advanceTimersByTime(59_000);
    expect(made[0]!.stopped).toBe(0);
    const back: LiveSeriesEvent[] = [];
    const leaveAgain = shared.subscribe('ctx/demo', make, (event) => back.push(event));
    expect(back[0]?.series[0]?.points.map((p) => p.ready)).toEqual([2]);
    vi.advanceTimersByTime(120_000);
    expect(made[0]!.stopped).toBe(0); // followed again: the first linger was cancelled
    leaveAgain();
    vi.advanceTimersByTime(60_000);
    expect(made[0]!.stopped).toBe(1);
    expect(shared.size).toBe(0);
    shared.subscribe('ctx/demo', make, () => {});
    expect(made).toHaveLength(2); // a new series after the old one stopped
    shared.dispose();
    expect(made[1]!.stopped).toBe(1);
  });
});
