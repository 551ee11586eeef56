import { describe, expect, it } from 'vitest';
import { liveSeriesEvent } from '../../../electron/common/schemas/live';
import { lagWatchEvent } from '../../../electron/common/schemas/kafka';
import { SeriesStore } from './series-store';
import {
  chosenServiceOf,
  lagSourceOptions,
  peakOf,
  podSeriesKey,
  recordLag,
  recordPods,
  recordSender,
  senderHighlight,
  timelineCharts,
  timelineDomain,
} from './timeline';

const point = (at: number, ready: number, desired: number | null = null) => ({
  at,
  ready,
  pending: 1,
  terminating: 0,
  desired,
  actual: null,
});

describe('timeline: stream events into the store', () => {
  it('records pod counts per Service and returns the newest counts of each', () => {
    const store = new SeriesStore(10);
    const event = liveSeriesEvent.parse({
      series: [
        { namespace: 'demo', service: 'processing', points: [point(1000, 1, 2), point(2000, 3, 3)] },
        { namespace: 'demo', service: 'homepage', workload: 'fc-instances', points: [point(1500, 2)] },
      ],
    });
    const latest = recordPods(store, event);
    expect(latest.processing).toMatchObject({ workload: 'pods', ready: 3, desired: 3 });
    expect(latest.homepage).toMatchObject({ workload: 'fc-instances', ready: 2 });
    expect(store.get(podSeriesKey('processing', 'ready'))).toEqual([
      { t: 1000, v: 1 },
      { t: 2000, v: 3 },
    ]);
    // A null desired (no autoscaler) is a gap, not a zero.
    expect(store.get(podSeriesKey('homepage', 'desired'))).toEqual([]);
    expect(peakOf(store, podSeriesKey('processing', 'ready'))).toBe(3);
    expect(peakOf(store, 'nothing')).toBe(0);
  });

  it('records lag samples (int64 strings as numbers) and returns what the panel shows', () => {
    const store = new SeriesStore(10);
    const snapshot = { at: 2000, groupId: 'g', topic: 't', partitions: [], totalLag: '7' };
    const event = lagWatchEvent.parse({
      samples: [
        { at: 1000, totalLag: '12', produceRate: 5, consumeRate: null },
        { at: 2000, totalLag: '7', produceRate: 4, consumeRate: 9 },
      ],
      latest: snapshot,
      trend: 'shrinking',
      catchUpSeconds: 2,
    });
    const state = recordLag(store, event);
    expect(state).toMatchObject({ trend: 'shrinking', catchUpSeconds: 2, last: { at: 2000, totalLag: '7' } });
    expect(store.get('lag:total').map((p) => p.v)).toEqual([12, 7]);
    expect(store.get('lag:consumeRate')).toEqual([{ t: 2000, v: 9 }]);
  });

  it('records the sender seconds once, even when the whole run is handed over again', () => {
    const store = new SeriesStore(10);
    const seconds = [1000, 2000].map((at) => ({
      type: 'second' as const,
      at,
      rps: at / 100,
      latency: { p50: 3, p99: 9 },
    }));
    recordSender(store, seconds as never);
    recordSender(store, seconds as never);
    expect(store.get('load:rps')).toEqual([
      { t: 1000, v: 10 },
      { t: 2000, v: 20 },
    ]);
  });
});

describe('timeline: what is shown', () => {
  const store = (latest?: number, earliest?: number) => ({
    latestTime: () => latest,
    earliestTime: () => earliest,
  });

  it('a window ends at the newest sample, or a second ago when the data is older (now when there is none)', () => {
    expect(timelineDomain(store(100_000), '60', 100_500, null)).toEqual([40_000, 100_000]);
    expect(timelineDomain(store(50_000), '60', 100_000, null)).toEqual([39_000, 99_000]);
    expect(timelineDomain(store(), '300', 400_000, null)).toEqual([100_000, 400_000]);
  });

  it('"All" starts at the oldest sample (a minute back when empty); a zoom wins over any window', () => {
    expect(timelineDomain(store(100_000, 10_000), 'all', 100_000, null)).toEqual([10_000, 100_000]);
    expect(timelineDomain(store(), 'all', 100_000, null)).toEqual([40_000, 100_000]);
    expect(timelineDomain(store(100_000), '60', 100_000, [5, 9])).toEqual([5, 9]);
  });

  it('builds five charts top to bottom; pods only with a Service, titles naming what is charted', () => {
    const s = new SeriesStore(10);
    s.append(podSeriesKey('processing', 'desired'), 1, 4);
    s.append('lag:total', 1, 8);
    const source = lagSourceOptions([
      {
        name: 'ks',
        namespace: 'demo',
        topics: ['barrage'],
        bootstrapServers: [],
        consumerGroup: 'grp',
        initialOffset: null,
        sink: null,
        ready: 'True',
        reason: null,
      },
    ])[0];
    const charts = timelineCharts(s, 'processing', source);
    expect(charts.map((c) => c.id)).toEqual(['load', 'latency', 'pods', 'lag', 'rates']);
    const pods = charts[2];
    expect(pods?.title).toBe('Pods — processing');
    expect(pods?.series.map((x) => [x.key, x.step, x.dashed ?? false])).toEqual([
      ['ready', true, false],
      ['pending', true, false],
      ['terminating', true, false],
      ['desired', true, true],
    ]);
    expect(pods?.series[3]?.points).toEqual([{ t: 1, v: 4 }]);
    expect(charts[3]).toMatchObject({
      title: 'Kafka lag — barrage / grp',
      series: [{ points: [{ t: 1, v: 8 }] }],
    });
    const empty = timelineCharts(s, null, undefined);
    expect(empty[2]).toMatchObject({ title: 'Pods — no Service', series: [] });
    expect(empty[3]?.title).toBe('Kafka lag — no KafkaSource');
  });

  it('offers one lag source per topic of each KafkaSource, a missing group spelled out', () => {
    const base = {
      namespace: 'demo',
      bootstrapServers: [],
      initialOffset: null,
      sink: null,
      ready: 'True' as const,
      reason: null,
    };
    const options = lagSourceOptions([
      { ...base, name: 'a', topics: ['t1', 't2'], consumerGroup: 'g' },
      { ...base, name: 'b', topics: ['t3'], consumerGroup: null },
    ]);
    expect(options.map((o) => o.label)).toEqual(['a: t1 / g', 'a: t2 / g', 'b: t3 / (no group)']);
    expect(new Set(options.map((o) => o.value)).size).toBe(3);
    expect(lagSourceOptions(undefined)).toEqual([]);
  });

  it('charts the picked Service while it exists, else the processing one, else the first', () => {
    expect(chosenServiceOf(['a', 'barrage-processing'], 'a')).toBe('a');
    expect(chosenServiceOf(['a', 'barrage-processing'], 'gone')).toBe('barrage-processing');
    expect(chosenServiceOf(['b', 'a'], null)).toBe('b');
    expect(chosenServiceOf([], null)).toBeNull();
  });

  it('shades the sender run up to the right edge while it runs, to its last second after', () => {
    const seconds = [{ at: 5000 }] as never;
    expect(senderHighlight({ startedAt: null, state: 'idle', seconds: [] }, 9)).toBeNull();
    expect(senderHighlight({ startedAt: 1000, state: 'running', seconds }, 9000)).toEqual({
      from: 1000,
      to: 9000,
      label: 'sender',
    });
    expect(senderHighlight({ startedAt: 1000, state: 'done', seconds }, 9000)?.to).toBe(5000);
    expect(senderHighlight({ startedAt: 1000, state: 'failed', seconds: [] }, 9000)?.to).toBe(1000);
  });
});
