// The Monitor's timeline as pure functions: how stream events become samples in the series store, which time
// range a window shows, and which charts (titles, series, colours) the store gives for the chosen Service and
// KafkaSource. The screen only holds state and draws; everything here is unit-tested (timeline.spec.ts).
import type { EventOf, ResponseOf } from '../../../electron/common/contract';
import type { LoadRunSnapshot } from '../app/load-run';
import { chartColors } from '../charts/chart-colors';
import type { ChartSeries } from '../charts/time-series-chart';
import type { LagState } from './lag-panel';
import type { SeriesStore } from './series-store';

export const timelineWindows = [
  { id: '60', label: '1 min', ms: 60_000 },
  { id: '300', label: '5 min', ms: 300_000 },
  { id: '900', label: '15 min', ms: 900_000 },
  { id: 'all', label: 'All', ms: Infinity },
] as const;
export type TimelineWindowId = (typeof timelineWindows)[number]['id'];

/** The latest pod (or FC instance) counts of one Service. */
export interface PodNow {
  service: string;
  /** FC-class Services count the function's instances (FC API), not pods. */
  workload: 'pods' | 'fc-instances';
  ready: number;
  pending: number;
  terminating: number;
  desired: number | null;
  actual: number | null;
}

const podCounts = ['ready', 'pending', 'terminating', 'desired'] as const;

export function podSeriesKey(service: string, count: (typeof podCounts)[number]): string {
  return `pods:${service}:${count}`;
}

/** Appends a live:pods batch to the store; returns the latest counts of each Service it mentions. */
export function recordPods(store: SeriesStore, event: EventOf<'live:pods'>): Record<string, PodNow> {
  const latest: Record<string, PodNow> = {};
  for (const series of event.series) {
    for (const point of series.points) {
      for (const count of podCounts)
        store.append(podSeriesKey(series.service, count), point.at, point[count]);
    }
    const last = series.points.at(-1);
    if (last) latest[series.service] = { service: series.service, workload: series.workload, ...last };
  }
  return latest;
}

/** Appends a kafka:watchLag batch to the store; returns what the lag panel shows now. */
export function recordLag(store: SeriesStore, event: EventOf<'kafka:watchLag'>): LagState {
  for (const sample of event.samples) {
    store.append('lag:total', sample.at, Number(sample.totalLag));
    store.append('lag:produceRate', sample.at, sample.produceRate);
    store.append('lag:consumeRate', sample.at, sample.consumeRate);
  }
  return {
    latest: event.latest,
    trend: event.trend,
    catchUpSeconds: event.catchUpSeconds,
    last: event.samples.at(-1) ?? null,
  };
}

/** Appends the sender's per-second stats (the store ignores seconds it already has). */
export function recordSender(store: SeriesStore, seconds: LoadRunSnapshot['seconds']): void {
  for (const second of seconds) {
    store.append('load:rps', second.at, second.rps);
    store.append('load:p50', second.at, second.latency.p50);
    store.append('load:p99', second.at, second.latency.p99);
  }
}

/**
 * The time range shown: a zoom picked on a chart wins; otherwise the window ending at the newest sample (or a
 * second ago, so an idle timeline still moves); "All" starts at the oldest sample (or a minute back when empty).
 */
export function timelineDomain(
  store: Pick<SeriesStore, 'latestTime' | 'earliestTime'>,
  windowId: TimelineWindowId,
  now: number,
  zoom: readonly [number, number] | null,
): [number, number] {
  if (zoom) return [zoom[0], zoom[1]];
  const end = Math.max(store.latestTime() ?? now, now - 1000);
  const span = timelineWindows.find((w) => w.id === windowId)?.ms ?? 300_000;
  const start = Number.isFinite(span) ? end - span : (store.earliestTime() ?? end - 60_000);
  return [start, end];
}

/** A KafkaSource topic with its consumer group, as the "Lag of" selector offers it. */
export interface LagSourceOption {
  value: string;
  label: string;
  topic: string;
  group: string | null;
}

export function lagSourceOptions(
  sources: ResponseOf<'workloads:kafkaSources'>['sources'] | undefined,
): LagSourceOption[] {
  return (sources ?? []).flatMap((source) =>
    source.topics.map((topic) => ({
      value: `${topic}\u0000${source.consumerGroup ?? ''}`,
      label: `${source.name}: ${topic} / ${source.consumerGroup ?? '(no group)'}`,
      topic,
      group: source.consumerGroup,
    })),
  );
}

/** The Service whose pods are charted: the one picked if it still exists, else the processing one, else the first. */
export function chosenServiceOf(services: readonly string[], picked: string | null): string | null {
  if (picked && services.includes(picked)) return picked;
  return services.find((s) => s.includes('process')) ?? services[0] ?? null;
}

export interface TimelineChart {
  id: 'load' | 'latency' | 'pods' | 'lag' | 'rates';
  title: string;
  series: ChartSeries[];
}

/** The five charts of the timeline, top to bottom, from what the store holds. */
export function timelineCharts(
  store: Pick<SeriesStore, 'get'>,
  service: string | null,
  lagSource: LagSourceOption | undefined,
): TimelineChart[] {
  const line = (
    key: string,
    label: string,
    color: string,
    storeKey: string,
    dashed = false,
  ): ChartSeries => ({
    key,
    label,
    color,
    points: store.get(storeKey),
    ...(dashed ? { dashed } : {}),
  });
  const podColors = {
    ready: chartColors.ready,
    pending: chartColors.pending,
    terminating: chartColors.terminating,
    desired: chartColors.desired,
  };
  const pods = service
    ? podCounts.map((count) => ({
        ...line(count, count, podColors[count], podSeriesKey(service, count), count === 'desired'),
        step: true,
      }))
    : [];
  return [
    { id: 'load', title: 'Sender load', series: [line('rps', 'req/s', chartColors.load, 'load:rps')] },
    {
      id: 'latency',
      title: 'Latency (ms)',
      series: [
        line('p50', 'p50', chartColors.latency, 'load:p50'),
        line('p99', 'p99', chartColors.latencyTail, 'load:p99', true),
      ],
    },
    { id: 'pods', title: `Pods — ${service ?? 'no Service'}`, series: pods },
    {
      id: 'lag',
      title: `Kafka lag — ${lagSource ? `${lagSource.topic} / ${lagSource.group ?? ''}` : 'no KafkaSource'}`,
      series: [line('lag', 'total lag', chartColors.lag, 'lag:total')],
    },
    {
      id: 'rates',
      title: 'Produce / consume rate (msg/s)',
      series: [
        line('produce', 'produced/s', chartColors.produce, 'lag:produceRate'),
        line('consume', 'consumed/s', chartColors.consume, 'lag:consumeRate', true),
      ],
    },
  ];
}

/** The span the sender ran (or runs: up to the right edge), shaded on every chart. */
export function senderHighlight(
  run: Pick<LoadRunSnapshot, 'startedAt' | 'state' | 'seconds'>,
  domainEnd: number,
): { from: number; to: number; label: string } | null {
  if (run.startedAt === null) return null;
  return {
    from: run.startedAt,
    to: run.state === 'running' ? domainEnd : (run.seconds.at(-1)?.at ?? run.startedAt),
    label: 'sender',
  };
}

/** The highest value still in a series (0 when empty): did it scale out while I was not looking? */
export function peakOf(store: Pick<SeriesStore, 'get'>, key: string): number {
  return Math.max(0, ...store.get(key).map((p) => p.v));
}
