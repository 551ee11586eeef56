// Monitor: live pod scaling per Service, Kafka lag per partition and in total (with rates and a trend marker),
// and one shared timeline that lines up sender load, latency, pods and lag on the same time axis — the picture
// of autoscaling at work. Streams are pushed by the engine (live:pods, kafka:watchLag) and by the app-level
// barrage run; series are bounded ring buffers, drawn downsampled to the chart width without animation.
// Pause freezes the view (data keeps arriving underneath); the window selector zooms; export saves PNG or JSON.
import { useMemo, useRef, useState } from 'react';
import { loadRun, useLoadRun } from '../app/load-run';
import { useSession } from '../app/session';
import { exportJson, downloadBlob, renderChartsPng } from '../charts/chart-export';
import { Badge } from '../components/badge';
import { ChooseFirst } from '../components/choose-first';
import { ScreenHeader } from '../components/screen-header';
import { ErrorState } from '../components/state-views';
import { describeError } from '../engine/engine-client';
import { useOperation } from '../engine/engine-context';
import { LagPanel } from '../monitor/lag-panel';
import { PodsNowPanel } from '../monitor/pods-now-panel';
import {
  chosenServiceOf,
  lagSourceOptions,
  peakOf,
  podSeriesKey,
  senderHighlight,
  timelineCharts,
  timelineDomain,
  timelineWindows,
  type PodNow,
  type TimelineChart,
  type TimelineWindowId,
} from '../monitor/timeline';
import { TimelineCharts } from '../monitor/timeline-charts';
import { useMonitorStreams } from '../monitor/use-monitor-streams';
import { ToolbarSelect } from '../forms/toolbar-select';
import { useFollowedNamespace, type NamespaceChoice } from './deploy/target-namespace';

export function MonitorScreen() {
  const { context, namespace, kafkaProfileId } = useSession().session;
  if (!context) {
    return (
      <ChooseFirst
        title="Monitor"
        subtitle="Pods, lag and load on one timeline"
        choose="Choose a context and a namespace"
      >
        The Monitor follows the Services of one namespace; pick it on the Connect screen.
      </ChooseFirst>
    );
  }
  if (!namespace) return <MonitorAnyNamespace context={context} kafkaProfileId={kafkaProfileId} />;
  return <MonitorView context={context} namespace={namespace} kafkaProfileId={kafkaProfileId} />;
}

/**
 * Connect left at "all namespaces": the Monitor follows one namespace all the same — `default`, where the Deploy
 * screen puts the demo in that case — and its toolbar offers the others, so nobody has to go back to Connect.
 */
function MonitorAnyNamespace({
  context,
  kafkaProfileId,
}: {
  context: string;
  kafkaProfileId: string | null;
}) {
  const { namespace, namespaceChoice } = useFollowedNamespace(context);
  return (
    <MonitorView
      key={namespace}
      context={context}
      namespace={namespace}
      kafkaProfileId={kafkaProfileId}
      namespaceChoice={namespaceChoice}
    />
  );
}

export function MonitorView({
  context,
  namespace,
  kafkaProfileId,
  namespaceChoice,
}: {
  context: string;
  namespace: string;
  kafkaProfileId: string | null;
  /** Set when Connect says "all namespaces": the toolbar then chooses which namespace is followed. */
  namespaceChoice?: NamespaceChoice;
}) {
  const run = useLoadRun();
  const [paused, setPaused] = useState(false);
  const [windowId, setWindowId] = useState<TimelineWindowId>('300');
  const [service, setService] = useState<string | null>(null);
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

  // The lag follows the KafkaSource chosen (topic + consumer group) with the selected Kafka profile.
  const sourceOptions = useMemo(() => lagSourceOptions(sources.data?.sources), [sources.data]);
  const chosenSource = sourceOptions.find((o) => o.value === lagSource) ?? sourceOptions[0];
  const { store, version, podsNow, podsError, lag, lagError } = useMonitorStreams({
    context,
    namespace,
    kafkaProfileId,
    lagSource: chosenSource,
    senderSeconds: run.seconds,
  });

  const services = Object.keys(podsNow).sort();
  const chosenService = chosenServiceOf(services, service);

  // The view: recomputed on new data unless paused (then it keeps the frozen picture).
  const frozen = useRef<{ domain: [number, number]; charts: TimelineChart[] } | null>(null);
  const view = useMemo(() => {
    if (paused && frozen.current) return frozen.current;
    const next = {
      domain: timelineDomain(store, windowId, Date.now(), zoom),
      charts: timelineCharts(store, chosenService, chosenSource),
    };
    frozen.current = next;
    return next;
    // `version` is the signal that the store changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, paused, windowId, chosenService, zoom]);
  const highlight = senderHighlight(run, view.domain[1]);

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
      <ScreenHeader
        title="Monitor"
        subtitle={`Services in ${namespace} (${context})${namespaceChoice ? ' — Connect is at all namespaces: choose the one to follow below' : ''}`}
      >
        {paused ? <Badge tone="warn">paused</Badge> : <Badge tone="ok">live</Badge>}
        {run.state === 'running' ? <Badge tone="info">sender running</Badge> : null}
      </ScreenHeader>
      <div className="row panel" role="toolbar" aria-label="Timeline controls">
        {namespaceChoice ? (
          <ToolbarSelect
            id="monitor-namespace"
            label="Namespace"
            value={namespace}
            choices={namespaceChoice.choices}
            onChange={namespaceChoice.follow}
          />
        ) : null}
        <ToolbarSelect
          id="monitor-window"
          label="Window"
          value={windowId}
          choices={timelineWindows.map((w) => ({ value: w.id, label: w.label }))}
          onChange={(id) => setWindowId(id as TimelineWindowId)}
        />
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
        <ToolbarSelect
          id="monitor-service"
          label="Service"
          value={chosenService ?? ''}
          choices={services}
          onChange={setService}
          empty="(none yet)"
        />
        <ToolbarSelect
          id="monitor-lag-source"
          label="Lag of"
          value={chosenSource?.value ?? ''}
          choices={sourceOptions}
          onChange={setLagSource}
          empty="(no KafkaSource)"
        />
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
                series: store.toJSON(),
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
        <TimelineCharts
          ref={chartsRef}
          charts={view.charts}
          domain={view.domain}
          highlight={highlight}
          onZoom={(from, to) => setZoom([from, to])}
        />
        <div>
          <PodsNowPanel
            pods={services.map((s) => podsNow[s] as PodNow)}
            chosen={chosenService}
            peakOf={(s) => peakOf(store, podSeriesKey(s, 'ready'))}
            onChoose={setService}
          />
          <LagPanel
            lag={lag}
            peakLag={peakOf(store, 'lag:total')}
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
