// One Knative Service: revisions and traffic, pods, autoscaler state, KafkaSources that feed it, the linked FC
// service/function/custom domains, and its YAML. It re-reads itself when the live pod counts change (from the
// live:pods stream) instead of polling.
import { useRef, type ReactNode } from 'react';
import { formatAge } from '../../../electron/common/format';
import { useSession } from '../app/session';
import { Badge, conditionTone, toneFor } from '../components/badge';
import { DataTable } from '../components/data-table';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState } from '../components/state-views';
import { useOperation, useStream } from '../engine/engine-context';
import { kafkaSourceColumns } from '../eventing/kafka-source-columns';
import { useNow } from '../lib/use-now';
import { ColdStartsPanel, EventsPanel, WhyPanel } from '../manage/insight-panels';
import { LogsPanel } from '../manage/logs-panel';
import { RevisionsPanel } from '../manage/revisions-panel';
import { ExportButtons, RolloutPanel } from '../manage/rollout-panel';
import { useAccess } from '../manage/use-access';
import { OperationStatus } from '../components/operation-status';

export const detailTabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'revisions', label: 'Revisions & traffic' },
  { id: 'logs', label: 'Logs' },
  { id: 'events', label: 'Events' },
  { id: 'why', label: 'Why not ready' },
  { id: 'rollout', label: 'Rollout' },
] as const;

export function WorkloadDetail({
  context,
  namespace,
  name,
  tab,
  onTab,
  onEdit,
  onBack,
}: {
  context: string;
  namespace: string;
  name: string;
  tab: string;
  onTab: (tab: string) => void;
  onEdit: () => void;
  onBack: () => void;
}) {
  const access = useAccess(context, namespace);
  const now = useNow(5000);
  const { session } = useSession();
  const details = useOperation(
    'workloads:get',
    { context, namespace, name },
    `${context}/${namespace}/${name}`,
  );
  const { reload } = details;
  const target = { context, namespace, name };
  // The tabs that are one panel each (the overview is laid out below).
  const tabPanels: Record<string, ReactNode> = {
    revisions: <RevisionsPanel {...target} access={access} onChanged={reload} version={details.data} />,
    logs: <LogsPanel {...target} disabledReason={access.whyNot('logs')} />,
    events: <EventsPanel {...target} disabledReason={access.whyNot('events')} />,
    why: <WhyPanel {...target} />,
    rollout: <RolloutPanel {...target} disabledReason={access.whyNot('traffic')} onChanged={reload} />,
  };
  const lastCounts = useRef('');

  useStream(
    'live:pods',
    { context, namespace, service: name, capacity: 10 },
    `${context}/${namespace}/${name}`,
    (event) => {
      const last = event.series.find((s) => s.service === name)?.points.at(-1);
      if (!last) return;
      const counts = `${last.ready}/${last.pending}/${last.terminating}/${last.desired ?? ''}`;
      if (counts !== lastCounts.current) {
        lastCounts.current = counts;
        reload();
      }
    },
  );

  const data = details.data;
  return (
    <section>
      <ScreenHeader title={name} subtitle={`Knative Service in ${namespace}`}>
        {/* One group, so the actions wrap together rather than one button alone on the next line. */}
        <div className="row" role="group" aria-label="Service actions" style={{ gap: 8 }}>
          <button type="button" className="btn" onClick={onBack}>
            ← All workloads
          </button>
          <button type="button" className="btn" onClick={details.reload}>
            Refresh
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="edit-service"
            disabled={!access.can('edit')}
            title={access.whyNot('edit') ?? undefined}
            onClick={onEdit}
          >
            Edit
          </button>
          <ExportButtons context={context} namespace={namespace} name={name} />
        </div>
      </ScreenHeader>
      <OperationStatus
        operation={details}
        loading="Reading the Service…"
        failed="Could not read the Service"
      />
      {data ? (
        <>
          <div className="panel" data-testid="workload-summary">
            <div className="row">
              <Badge tone={data.row.kind === 'FC' ? 'info' : 'neutral'}>{data.row.kind}</Badge>
              <Badge tone={conditionTone(data.row.ready)}>{`Ready ${data.row.ready}`}</Badge>
              {data.row.reason ? <span>{data.row.reason}</span> : null}
              <span className="mono">{data.row.url ?? 'no URL yet'}</span>
              <span className="muted">age {formatAge(data.row.createdAt, now)}</span>
            </div>
            {data.row.message ? <p className="muted">{data.row.message}</p> : null}
          </div>
          {data.row.ready !== 'True' && tab !== 'why' ? (
            <p className="banner warn" data-testid="not-ready-callout">
              Not ready{data.row.reason ? ` (${data.row.reason})` : ''}.{' '}
              <button type="button" className="btn" onClick={() => onTab('why')}>
                Why?
              </button>
            </p>
          ) : null}
          <div
            role="tablist"
            aria-label="Service views"
            className="tabs"
            onKeyDown={(event) => {
              const index = detailTabs.findIndex((t) => t.id === tab);
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              event.preventDefault();
              const next = detailTabs[(index + step + detailTabs.length) % detailTabs.length]!;
              onTab(next.id);
              requestAnimationFrame(() => document.getElementById(`tab-${next.id}`)?.focus());
            }}
          >
            {detailTabs.map((t) => (
              <button
                key={t.id}
                id={`tab-${t.id}`}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                tabIndex={tab === t.id ? 0 : -1}
                data-testid={`tab-${t.id}`}
                className={`btn ${tab === t.id ? 'primary' : ''}`}
                onClick={() => onTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          {tabPanels[tab] ? (
            <div className="panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
              {tabPanels[tab]}
            </div>
          ) : null}
          {tab === 'overview' ? (
            <>
              <div className="panel">
                <h2>Revisions and traffic</h2>
                <DataTable
                  empty={<EmptyState title="No revisions yet" />}
                  caption="Revisions"
                  rows={data.revisions}
                  rowKey={(r) => r.name}
                  columns={[
                    { key: 'name', header: 'Revision', render: (r) => <strong>{r.name}</strong> },
                    { key: 'traffic', header: 'Traffic', render: (r) => `${r.trafficPercent}%` },
                    {
                      key: 'ready',
                      header: 'Ready',
                      render: (r) => (
                        <>
                          <Badge tone={conditionTone(r.ready)}>{r.ready}</Badge> {r.reason ?? ''}
                        </>
                      ),
                    },
                    {
                      key: 'scale',
                      header: 'Pods actual / desired',
                      render: (r) => `${r.actualReplicas ?? '–'} / ${r.desiredReplicas ?? '–'}`,
                    },
                    {
                      key: 'bounds',
                      header: 'min..max scale',
                      render: (r) => `${r.minScale ?? 0}..${r.maxScale ?? '∞'}`,
                    },
                    {
                      key: 'cc',
                      header: 'Concurrency',
                      render: (r) => r.containerConcurrency ?? 'unlimited',
                    },
                    {
                      key: 'image',
                      header: 'Image',
                      render: (r) => <span className="mono">{r.image ?? '—'}</span>,
                    },
                    { key: 'age', header: 'Age', render: (r) => formatAge(r.createdAt, now) },
                  ]}
                />
                {data.routes.map((route) => (
                  <p key={route.name} className="muted">
                    Route {route.name} ({route.ready}):{' '}
                    {route.traffic.map((t) => `${t.percent}% → ${t.revisionName ?? '@latest'}`).join(', ') ||
                      'no traffic'}
                  </p>
                ))}
              </div>
              <div className="grid-2">
                <div className="panel" data-testid="workload-pods">
                  <h2>{data.row.kind === 'FC' ? 'Instances (FC)' : 'Pods'}</h2>
                  {data.row.kind === 'FC' ? (
                    <p data-testid="fc-instances">
                      {data.fc?.instances === null || data.fc?.instances === undefined ? (
                        <span className="muted">
                          FC-class Services run as functions, not pods; their instance count is not known (no
                          FC profile, or FC has no function yet).
                        </span>
                      ) : (
                        <>
                          <strong>{data.fc.instances}</strong> instance{data.fc.instances === 1 ? '' : 's'}{' '}
                          running, from the Function Compute API (FC-class Services run as functions, not
                          pods).
                        </>
                      )}
                    </p>
                  ) : null}
                  {data.pods.length === 0 && data.row.kind !== 'FC' ? (
                    <EmptyState title="No pods (scaled to zero)" />
                  ) : null}
                  {data.pods.length > 0 ? (
                    <DataTable
                      caption="Pods"
                      rows={data.pods}
                      rowKey={(p) => p.name}
                      columns={[
                        { key: 'name', header: 'Pod', render: (p) => <span className="mono">{p.name}</span> },
                        {
                          key: 'state',
                          header: 'State',
                          render: (p) => (
                            <Badge tone={toneFor(p.state, { ready: 'ok', pending: 'warn', failed: 'bad' })}>
                              {p.state}
                            </Badge>
                          ),
                        },
                        { key: 'restarts', header: 'Restarts', render: (p) => p.restarts },
                        { key: 'node', header: 'Node', render: (p) => p.nodeName ?? '—' },
                        { key: 'age', header: 'Age', render: (p) => formatAge(p.createdAt, now) },
                      ]}
                    />
                  ) : null}
                  <h3>Autoscaler</h3>
                  {data.podAutoscalers.length === 0 ? (
                    <p className="muted">No PodAutoscaler reports.</p>
                  ) : (
                    <ul>
                      {data.podAutoscalers.map((pa) => (
                        <li key={pa.name}>
                          {pa.name}: desired {pa.desiredScale ?? '–'}, actual {pa.actualScale ?? '–'} (
                          {pa.ready}
                          {pa.reason ? `, ${pa.reason}` : ''})
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
                <div className="panel">
                  <h2>Event sources</h2>
                  <DataTable
                    empty={<EmptyState title="No KafkaSource sends to this Service" />}
                    caption="KafkaSources"
                    testId="workload-kafkasources"
                    rows={data.kafkaSources}
                    rowKey={(s) => s.name}
                    columns={kafkaSourceColumns}
                  />
                  {data.fc ? (
                    <>
                      <h2 style={{ marginTop: 12 }}>Function Compute</h2>
                      <dl className="mono" data-testid="workload-fc">
                        <dt>Service / function</dt>
                        <dd>
                          {data.fc.serviceName} / {data.fc.functionName}{' '}
                          {data.fc.found === null ? (
                            <Badge tone="neutral">
                              {session.fcProfileId ? 'not checked' : 'no FC profile'}
                            </Badge>
                          ) : (
                            <Badge tone={data.fc.found ? 'ok' : 'bad'}>
                              {data.fc.found ? 'found in FC' : 'missing in FC'}
                            </Badge>
                          )}
                        </dd>
                        <dt>Custom domains</dt>
                        <dd>{data.fc.customDomains.join(', ') || '—'}</dd>
                      </dl>
                      {data.fc.error ? (
                        <ErrorState
                          title="FC lookup failed"
                          error={{ message: data.fc.error.message, code: data.fc.error.code }}
                        />
                      ) : null}
                    </>
                  ) : null}
                </div>
              </div>
              <div className="panel">
                <h2>Cold starts</h2>
                <ColdStartsPanel context={context} namespace={namespace} name={name} />
              </div>
              <details className="panel">
                <summary>YAML</summary>
                <pre className="yaml mono">{data.yaml}</pre>
              </details>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
