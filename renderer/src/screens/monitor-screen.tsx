// Monitor: live pod scaling per Service, Kafka lag per partition and in total (with rates and a trend marker),
// and one shared timeline that lines up sender load, latency, pods and lag on the same time axis — the picture
// of autoscaling at work. Streams are pushed by the engine (live:pods, kafka:watchLag) and by the app-level
// barrage run; series are bounded ring buffers, drawn downsampled to the chart width without animation.
// Pause freezes the view (data keeps arriving underneath); the window selector zooms; export saves PNG or JSON.
import { useEffect, useMemo, useRef, useState } from 'react';
import { loadRun, useLoadRun } from '../app/load-run';
import { useSession } from '../app/session';
import { chartColors } from '../charts/chart-colors';
import { exportJson, downloadBlob, renderChartsPng } from '../charts/chart-export';
import { TimeSeriesChart, type ChartSeries } from '../charts/time-series-chart';
import { Badge } from '../components/badge';
import { DataTable } from '../components/data-table';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState } from '../components/state-views';
import { describeError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { LagPanel, type LagState } from '../monitor/lag-panel';
import { SeriesStore } from '../monitor/series-store';

/** One hour at one sample per second. */
const storeCapacity = 3600;
const windows = [
  { id: '60', label: '1 min', ms: 60_000 },
  { id: '300', label: '5 min', ms: 300_000 },
  { id: '900', label: '15 min', ms: 900_000 },
  { id: 'all', label: 'All', ms: Infinity },
] as const;

export function MonitorScreen() {
  const { session } = useSession();
  if (!session.context || !session.namespace) {
    return (
      <section>
        <ScreenHeader title="Monitor" subtitle="Pods, lag and load on one timeline" />
        <EmptyState title="Choose a context and a namespace">
          The Monitor follows the Services of one namespace; pick it on the Connect screen.
        </EmptyState>
      </section>
    );
  }
  return (
    <MonitorView
      context={session.context}
      namespace={session.namespace}
      kafkaProfileId={session.kafkaProfileId}
    />
  );
}

interface PodNow {
  service: string;
  /** FC-class Services count the function's instances (FC API), not pods. */
  workload: 'pods' | 'fc-instances';
  ready: number;
  pending: number;
  terminating: number;
  desired: number | null;
  actual: number | null;
}

export function MonitorView({
  context,
  namespace,
  kafkaProfileId,
}: {
  context: string;
  namespace: string;
  kafkaProfileId: string | null;
}) {
  const engine = useEngine();
  const run = useLoadRun();
  const storeRef = useRef(new SeriesStore(storeCapacity));
  const [version, setVersion] = useState(0);
  const [paused, setPaused] = useState(false);
  const [windowId, setWindowId] = useState<(typeof windows)[number]['id']>('300');
  const [service, setService] = useState<string | null>(null);
  const [podsNow, setPodsNow] = useState<Record<string, PodNow>>({});
  const [podsError, setPodsError] = useState<EngineError | null>(null);
  const [lag, setLag] = useState<LagState | null>(null);
  const [lagError, setLagError] = useState<EngineError | null>(null);
  const [lagSource, setLagSource] = useState<string>('');
  const [exportError, setExportError] = useState<string | null>(null);
  /** A time range picked by dragging on a chart; while set, the timeline shows exactly that range. */
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const chartsRef = useRef<HTMLDivElement>(null);
  const sources = useOperation(
    'workloads:kafkaSources',
    { context, namespace },
    `ks:${context}/${namespace}`,
  );

  // Coalesce bursts of stream batches into at most one re-render per animation frame. The "now" numbers (pods
  // table, lag panel) are applied in the same frame as the charts, so a number beside a chart never shows a sample
  // the chart does not have yet.
  const pendingRender = useRef(false);
  const pendingPods = useRef<Record<string, PodNow>>({});
  const pendingLag = useRef<LagState | null>(null);
  const requestRender = () => {
    if (pendingRender.current) return;
    pendingRender.current = true;
    requestAnimationFrame(() => {
      pendingRender.current = false;
      const pods = pendingPods.current;
      pendingPods.current = {};
      if (Object.keys(pods).length > 0) setPodsNow((previous) => ({ ...previous, ...pods }));
      const nextLag = pendingLag.current;
      pendingLag.current = null;
      if (nextLag) setLag(nextLag);
      setVersion((n) => n + 1);
    });
  };

  useEffect(() => {
    setPodsError(null);
    return engine.subscribe(
      'live:pods',
      { context, namespace, capacity: 600 },
      {
        onEvent: (event) => {
          const store = storeRef.current;
          const latest: Record<string, PodNow> = {};
          for (const series of event.series) {
            for (const point of series.points) {
              const key = `pods:${series.service}`;
              store.append(`${key}:ready`, point.at, point.ready);
              store.append(`${key}:pending`, point.at, point.pending);
              store.append(`${key}:terminating`, point.at, point.terminating);
              store.append(`${key}:desired`, point.at, point.desired);
            }
            const last = series.points.at(-1);
            if (last)
              latest[series.service] = { service: series.service, workload: series.workload, ...last };
          }
          pendingPods.current = { ...pendingPods.current, ...latest };
          requestRender();
        },
        onError: setPodsError,
      },
    );
  }, [engine, context, namespace]);

  // The lag follows the KafkaSource chosen (topic + consumer group) with the selected Kafka profile.
  const sourceOptions = useMemo(
    () =>
      (sources.data?.sources ?? []).flatMap((source) =>
        source.topics.map((topic) => ({
          value: `${topic}\u0000${source.consumerGroup ?? ''}`,
          label: `${source.name}: ${topic} / ${source.consumerGroup ?? '(no group)'}`,
          topic,
          group: source.consumerGroup,
        })),
      ),
    [sources.data],
  );
  const chosenSource = sourceOptions.find((o) => o.value === lagSource) ?? sourceOptions[0];

  useEffect(() => {
    setLag(null);
    pendingLag.current = null;
    setLagError(null);
    if (!kafkaProfileId || !chosenSource?.group) return;
    return engine.subscribe(
      'kafka:watchLag',
      { profileId: kafkaProfileId, topic: chosenSource.topic, groupId: chosenSource.group, intervalMs: 1000 },
      {
        onEvent: (event) => {
          const store = storeRef.current;
          for (const sample of event.samples) {
            store.append('lag:total', sample.at, Number(sample.totalLag));
            store.append('lag:produceRate', sample.at, sample.produceRate);
            store.append('lag:consumeRate', sample.at, sample.consumeRate);
          }
          pendingLag.current = {
            latest: event.latest,
            trend: event.trend,
            catchUpSeconds: event.catchUpSeconds,
            last: event.samples.at(-1) ?? null,
          };
          requestRender();
        },
        onError: setLagError,
      },
    );
  }, [engine, kafkaProfileId, chosenSource?.topic, chosenSource?.group]);

  // Sender samples come from the app-level barrage run.
  useEffect(() => {
    const store = storeRef.current;
    for (const second of run.seconds) {
      store.append('load:rps', second.at, second.rps);
      store.append('load:p50', second.at, second.latency.p50);
      store.append('load:p99', second.at, second.latency.p99);
    }
    requestRender();
  }, [run.seconds]);

  const services = Object.keys(podsNow).sort();
  const chosenService =
    service && services.includes(service)
      ? service
      : (services.find((s) => s.includes('process')) ?? services[0] ?? null);

  // The view: recomputed on new data unless paused (then it keeps the frozen picture).
  const frozen = useRef<{ domain: [number, number]; charts: ChartSeries[][] } | null>(null);
  const view = useMemo(() => {
    if (paused && frozen.current) return frozen.current;
    const store = storeRef.current;
    const end = Math.max(store.latestTime() ?? Date.now(), Date.now() - 1000);
    const span = windows.find((w) => w.id === windowId)?.ms ?? 300_000;
    const start = Number.isFinite(span) ? end - span : (store.earliestTime() ?? end - 60_000);
    const pods = chosenService ? `pods:${chosenService}` : null;
    const charts: ChartSeries[][] = [
      [{ key: 'rps', label: 'req/s', color: chartColors.load, points: store.get('load:rps') }],
      [
        { key: 'p50', label: 'p50', color: chartColors.latency, points: store.get('load:p50') },
        {
          key: 'p99',
          label: 'p99',
          color: chartColors.latencyTail,
          points: store.get('load:p99'),
          dashed: true,
        },
      ],
      pods
        ? [
            {
              key: 'ready',
              label: 'ready',
              color: chartColors.ready,
              points: store.get(`${pods}:ready`),
              step: true,
            },
            {
              key: 'pending',
              label: 'pending',
              color: chartColors.pending,
              points: store.get(`${pods}:pending`),
              step: true,
            },
            {
              key: 'terminating',
              label: 'terminating',
              color: chartColors.terminating,
              points: store.get(`${pods}:terminating`),
              step: true,
            },
            {
              key: 'desired',
              label: 'desired',
              color: chartColors.desired,
              points: store.get(`${pods}:desired`),
              step: true,
              dashed: true,
            },
          ]
        : [],
      [{ key: 'lag', label: 'total lag', color: chartColors.lag, points: store.get('lag:total') }],
      [
        {
          key: 'produce',
          label: 'produced/s',
          color: chartColors.produce,
          points: store.get('lag:produceRate'),
        },
        {
          key: 'consume',
          label: 'consumed/s',
          color: chartColors.consume,
          points: store.get('lag:consumeRate'),
          dashed: true,
        },
      ],
    ];
    const next = { domain: zoom ?? ([start, end] as [number, number]), charts };
    frozen.current = next;
    return next;
    // `version` is the signal that the store changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, paused, windowId, chosenService, zoom]);

  const highlight =
    run.startedAt !== null
      ? {
          from: run.startedAt,
          to: run.state === 'running' ? view.domain[1] : (run.seconds.at(-1)?.at ?? run.startedAt),
          label: 'sender',
        }
      : null;
  const [loadSeries, latencySeries, podSeries, lagSeries, rateSeries] = view.charts as [
    ChartSeries[],
    ChartSeries[],
    ChartSeries[],
    ChartSeries[],
    ChartSeries[],
  ];

  async function exportPng(): Promise<void> {
    setExportError(null);
    try {
      if (!chartsRef.current) return;
      downloadBlob(
        await renderChartsPng(chartsRef.current),
        `knative-desk-monitor-${namespace}-${Date.now()}.png`,
      );
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <section>
      <ScreenHeader title="Monitor" subtitle={`Services in ${namespace} (${context})`}>
        {paused ? <Badge tone="warn">paused</Badge> : <Badge tone="ok">live</Badge>}
        {run.state === 'running' ? <Badge tone="info">sender running</Badge> : null}
      </ScreenHeader>
      <div className="row panel" role="toolbar" aria-label="Timeline controls">
        <span className="control-pair">
          <label htmlFor="monitor-window">Window</label>
          <select
            id="monitor-window"
            value={windowId}
            onChange={(e) => setWindowId(e.target.value as typeof windowId)}
          >
            {windows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </span>
        <button
          type="button"
          className="btn"
          data-testid="monitor-pause"
          aria-pressed={paused}
          onClick={() => setPaused((p) => !p)}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        {zoom ? (
          <button type="button" className="btn" data-testid="zoom-reset" onClick={() => setZoom(null)}>
            Reset zoom ({Math.round((zoom[1] - zoom[0]) / 1000)} s shown)
          </button>
        ) : (
          <span className="muted" style={{ fontSize: 12 }}>
            drag on a chart to zoom
          </span>
        )}
        <span className="control-pair">
          <label htmlFor="monitor-service">Service</label>
          <select
            id="monitor-service"
            value={chosenService ?? ''}
            onChange={(e) => setService(e.target.value)}
            disabled={services.length === 0}
          >
            {services.length === 0 ? <option value="">(none yet)</option> : null}
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </span>
        <span className="control-pair">
          <label htmlFor="monitor-lag-source">Lag of</label>
          <select
            id="monitor-lag-source"
            value={chosenSource?.value ?? ''}
            onChange={(e) => setLagSource(e.target.value)}
            disabled={sourceOptions.length === 0}
          >
            {sourceOptions.length === 0 ? <option value="">(no KafkaSource)</option> : null}
            {sourceOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </span>
        <span style={{ flex: 1 }} />
        <button type="button" className="btn" data-testid="export-png" onClick={() => void exportPng()}>
          Export PNG
        </button>
        <button
          type="button"
          className="btn"
          data-testid="export-json"
          onClick={() =>
            exportJson(
              {
                context,
                namespace,
                exportedAt: Date.now(),
                series: storeRef.current.toJSON(),
                sender: loadRun.getSnapshot().seconds,
              },
              `knative-desk-monitor-${namespace}-${Date.now()}.json`,
            )
          }
        >
          Export JSON
        </button>
      </div>
      {exportError ? <ErrorState title="Export failed" error={{ message: exportError }} /> : null}
      {podsError ? <ErrorState title="Pod counts unavailable" error={describeError(podsError)} /> : null}
      <div className="grid-2" style={{ gridTemplateColumns: 'minmax(0, 3fr) minmax(380px, 1.3fr)' }}>
        <div ref={chartsRef} data-testid="timeline">
          <TimeSeriesChart
            title="Sender load"
            unit=""
            series={loadSeries}
            domain={view.domain}
            syncId="timeline"
            onSelectRange={(from, to) => setZoom([from, to])}
            highlight={highlight}
            testId="chart-load"
          />
          <TimeSeriesChart
            title="Latency (ms)"
            unit=""
            series={latencySeries}
            domain={view.domain}
            syncId="timeline"
            onSelectRange={(from, to) => setZoom([from, to])}
            highlight={highlight}
            testId="chart-latency"
          />
          <TimeSeriesChart
            title={`Pods — ${chosenService ?? 'no Service'}`}
            unit=""
            series={podSeries}
            domain={view.domain}
            syncId="timeline"
            onSelectRange={(from, to) => setZoom([from, to])}
            highlight={highlight}
            testId="chart-pods"
          />
          <TimeSeriesChart
            title={`Kafka lag — ${chosenSource ? `${chosenSource.topic} / ${chosenSource.group ?? ''}` : 'no KafkaSource'}`}
            unit=""
            series={lagSeries}
            domain={view.domain}
            syncId="timeline"
            onSelectRange={(from, to) => setZoom([from, to])}
            highlight={highlight}
            testId="chart-lag"
          />
          <TimeSeriesChart
            title="Produce / consume rate (msg/s)"
            unit=""
            series={rateSeries}
            domain={view.domain}
            syncId="timeline"
            onSelectRange={(from, to) => setZoom([from, to])}
            highlight={highlight}
            testId="chart-rates"
          />
        </div>
        <div>
          <div className="panel" data-testid="pods-now">
            <h2>Pods (ECI) and instances (FC) per Service</h2>
            {services.length === 0 ? (
              <EmptyState title="No Knative Service in this namespace yet" />
            ) : (
              <DataTable
                caption="Pods per Service"
                compact
                rows={services.map((s) => podsNow[s] as PodNow)}
                rowKey={(row) => row.service}
                selectedKey={chosenService}
                onOpen={(row) => setService(row.service)}
                columns={[
                  { key: 'service', header: 'Service', render: (row) => <strong>{row.service}</strong> },
                  {
                    key: 'ready',
                    header: 'Ready',
                    render: (row) => (
                      <>
                        <span data-testid={`ready-${row.service}`}>{row.ready}</span>
                        {row.workload === 'fc-instances' ? (
                          <span className="muted" title="Instances from the Function Compute API">
                            {' '}
                            FC instances
                          </span>
                        ) : null}
                      </>
                    ),
                  },
                  { key: 'pending', header: 'Pend.', render: (row) => row.pending },
                  { key: 'terminating', header: 'Term.', render: (row) => row.terminating },
                  { key: 'desired', header: 'Want', render: (row) => row.desired ?? '–' },
                  {
                    key: 'peak',
                    header: 'Peak',
                    // Highest ready count still in the buffer: did it scale out while I was not looking?
                    render: (row) => (
                      <span data-testid={`peak-${row.service}`}>
                        {Math.max(0, ...storeRef.current.get(`pods:${row.service}:ready`).map((p) => p.v))}
                      </span>
                    ),
                  },
                ]}
              />
            )}
          </div>
          <LagPanel
            lag={lag}
            peakLag={Math.max(0, ...storeRef.current.get('lag:total').map((p) => p.v))}
            error={lagError}
            hint={
              !kafkaProfileId
                ? 'Choose a Kafka profile on the Connect screen to follow consumer lag.'
                : sourceOptions.length === 0
                  ? 'No KafkaSource in this namespace: deploy the event-driven part first.'
                  : null
            }
          />
        </div>
      </div>
    </section>
  );
}
