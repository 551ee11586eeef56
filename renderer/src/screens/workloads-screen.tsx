// Workloads: Knative Services as `kn service list` rows (ECI and FC side by side, filterable), kept current by the
// workloads:watch stream; a row opens its detail.
import { useEffect, useMemo, useState } from 'react';
import type { EventOf } from '../../../electron/common/contract';
import { formatAge } from '../../../electron/common/format';
import type { WorkloadRow } from '../../../electron/common/schemas/workloads';
import type { Route } from '../app/routes';
import { useSession } from '../app/session';
import { Badge, conditionTone } from '../components/badge';
import { DataTable } from '../components/data-table';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { describeError, type EngineError } from '../engine/engine-client';
import { useStream } from '../engine/engine-context';
import { useNow } from '../lib/use-now';
import { KnativeBanner } from '../manage/knative-banner';
import { ServiceEditor } from '../manage/service-editor';
import { WorkloadDetail } from './workload-detail';
import { Options } from '../forms/options';
import { useRestart } from '../engine/use-restart';

type Filter = 'all' | 'ECI' | 'FC';
type ReadyFilter = 'any' | 'True' | 'False' | 'Unknown';

export function WorkloadsScreen({
  params,
  navigate,
}: {
  params: string[];
  navigate: (route: Route) => void;
}) {
  const { session } = useSession();
  const [namespace, name, view] = params;
  if (!session.context) {
    return (
      <section>
        <ScreenHeader title="Workloads" subtitle="Knative Services on ECI and Function Compute" />
        <EmptyState title="Not connected">Choose a context on the Connect screen first.</EmptyState>
      </section>
    );
  }
  const open = (ns: string, service: string, tab?: string) =>
    navigate({ screen: 'workloads', params: [ns, service, ...(tab ? [tab] : [])] });
  if (namespace === '_new') {
    return (
      <ServiceEditor
        context={session.context}
        namespace={session.namespace ?? 'default'}
        onDone={(ns, service) => open(ns, service)}
        onCancel={() => navigate({ screen: 'workloads', params: [] })}
      />
    );
  }
  if (namespace && name && view === 'edit') {
    return (
      <ServiceEditor
        context={session.context}
        namespace={namespace}
        name={name}
        onDone={(ns, service) => open(ns, service, 'revisions')}
        onCancel={() => open(namespace, name)}
      />
    );
  }
  if (namespace && name) {
    return (
      <WorkloadDetail
        context={session.context}
        namespace={namespace}
        name={name}
        tab={view ?? 'overview'}
        onTab={(tab) => open(namespace, name, tab === 'overview' ? undefined : tab)}
        onEdit={() => open(namespace, name, 'edit')}
        onBack={() => navigate({ screen: 'workloads', params: [] })}
      />
    );
  }
  return <WorkloadList context={session.context} namespace={session.namespace} navigate={navigate} />;
}

/** Applies one watch event to the rows (keyed by namespace/name). */
export function applyWatchEvent(
  rows: ReadonlyMap<string, WorkloadRow>,
  event: EventOf<'workloads:watch'>,
): ReadonlyMap<string, WorkloadRow> {
  if (event.type === 'snapshot')
    return new Map(event.rows.map((row) => [`${row.namespace}/${row.name}`, row]));
  if (event.type === 'upsert')
    return new Map(rows).set(`${event.row.namespace}/${event.row.name}`, event.row);
  if (event.type === 'delete') {
    const next = new Map(rows);
    next.delete(`${event.namespace}/${event.name}`);
    return next;
  }
  return rows;
}

function WorkloadList({
  context,
  namespace,
  navigate,
}: {
  context: string;
  namespace: string | null;
  navigate: (route: Route) => void;
}) {
  const now = useNow(5000);
  const [rows, setRows] = useState<ReadonlyMap<string, WorkloadRow> | null>(null);
  const [connection, setConnection] = useState<{
    state: 'live' | 'reconnecting';
    attempt: number;
    error: string | null;
  }>();
  const [error, setError] = useState<EngineError | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [text, setText] = useState('');
  const [readyFilter, setReadyFilter] = useState<ReadyFilter>('any');
  const [namespaceFilter, setNamespaceFilter] = useState('');
  const [generation, restart] = useRestart();

  // A new context, namespace or retry starts from nothing (this runs before useStream's subscription below).
  const watchKey = `${context}\u0000${namespace ?? ''}\u0000${generation}`;
  useEffect(() => {
    setRows(null);
    setError(null);
  }, [watchKey]);
  useStream(
    'workloads:watch',
    namespace ? { context, namespace } : { context },
    watchKey,
    (event) => {
      if (event.type === 'status') {
        setConnection({ state: event.state, attempt: event.attempt, error: event.error?.message ?? null });
      } else {
        setRows((previous) => applyWatchEvent(previous ?? new Map(), event));
      }
    },
    setError,
  );

  const visible = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return [...(rows?.values() ?? [])]
      .filter((row) => filter === 'all' || row.kind === filter)
      .filter((row) => readyFilter === 'any' || row.ready === readyFilter)
      .filter((row) => !namespaceFilter || row.namespace === namespaceFilter)
      .filter(
        (row) =>
          !needle ||
          `${row.namespace}/${row.name} ${row.traffic.map((t) => t.tag ?? '').join(' ')}`
            .toLowerCase()
            .includes(needle),
      )
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }, [rows, filter, text, readyFilter, namespaceFilter]);
  const namespaces = useMemo(
    () => [...new Set([...(rows?.values() ?? [])].map((row) => row.namespace))].sort(),
    [rows],
  );
  const counts = useMemo(() => {
    const all = [...(rows?.values() ?? [])];
    return {
      all: all.length,
      ECI: all.filter((r) => r.kind === 'ECI').length,
      FC: all.filter((r) => r.kind === 'FC').length,
    };
  }, [rows]);

  return (
    <section>
      <ScreenHeader
        title="Workloads"
        subtitle={`Knative Services in ${namespace ?? 'all namespaces'} (${context})`}
      >
        {connection ? (
          <span data-testid="watch-state">
            <Badge tone={connection.state === 'live' ? 'ok' : 'warn'}>
              {connection.state === 'live' ? 'live' : `reconnecting (attempt ${connection.attempt})`}
            </Badge>
          </span>
        ) : null}
        <button
          type="button"
          className="btn primary"
          data-testid="new-service"
          onClick={() => navigate({ screen: 'workloads', params: ['_new'] })}
        >
          New Service
        </button>
      </ScreenHeader>
      <KnativeBanner context={context} />
      <div className="row" style={{ marginBottom: 10 }} role="group" aria-label="Filter workloads">
        {(['all', 'ECI', 'FC'] as const).map((option) => (
          <button
            key={option}
            type="button"
            className={`btn ${filter === option ? 'primary' : ''}`}
            aria-pressed={filter === option}
            data-testid={`filter-${option}`}
            onClick={() => setFilter(option)}
          >
            {option === 'all' ? 'All' : option} ({counts[option]})
          </button>
        ))}
        <select
          aria-label="Filter by readiness"
          data-testid="filter-ready"
          value={readyFilter}
          onChange={(event) => setReadyFilter(event.target.value as ReadyFilter)}
        >
          <option value="any">Any readiness</option>
          <option value="True">Ready</option>
          <option value="False">Not ready</option>
          <option value="Unknown">Unknown</option>
        </select>
        {namespace ? null : (
          <select
            aria-label="Filter by namespace"
            data-testid="filter-namespace"
            value={namespaceFilter}
            onChange={(event) => setNamespaceFilter(event.target.value)}
          >
            <option value="">All namespaces</option>
            <Options choices={namespaces} />
          </select>
        )}
        <input
          type="search"
          aria-label="Filter by name or tag"
          placeholder="Filter by name or tag"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      {connection?.error ? <p className="muted">Watch: {connection.error}</p> : null}
      {error ? (
        <ErrorState title="Could not watch Knative Services" error={describeError(error)} onRetry={restart} />
      ) : null}
      {!error && rows === null ? <LoadingState label="Listing Knative Services…" /> : null}
      {rows !== null && rows.size === 0 ? (
        <EmptyState title="No Knative Services here yet">
          Deploy the barrage demo from the Deploy screen.
        </EmptyState>
      ) : null}
      {rows !== null && rows.size > 0 && visible.length === 0 ? (
        <EmptyState title="Nothing matches the filter" />
      ) : null}
      {visible.length > 0 ? (
        <div className="panel">
          <DataTable
            caption="Knative Services"
            testId="workloads-table"
            rows={visible}
            rowKey={(row) => `${row.namespace}/${row.name}`}
            onOpen={(row) => navigate({ screen: 'workloads', params: [row.namespace, row.name] })}
            columns={[
              { key: 'name', header: 'Name', render: (row) => <strong>{row.name}</strong> },
              ...(namespace
                ? []
                : [{ key: 'ns', header: 'Namespace', render: (row: WorkloadRow) => row.namespace }]),
              {
                key: 'kind',
                header: 'Runs on',
                render: (row) => <Badge tone={row.kind === 'FC' ? 'info' : 'neutral'}>{row.kind}</Badge>,
              },
              { key: 'url', header: 'URL', render: (row) => <span className="mono">{row.url ?? '—'}</span> },
              {
                key: 'ready',
                header: 'Ready',
                render: (row) => (
                  <span title={row.message ?? undefined}>
                    <Badge tone={conditionTone(row.ready)}>{row.ready}</Badge>
                    {row.reason ? <span className="muted"> {row.reason}</span> : null}
                  </span>
                ),
              },
              {
                key: 'tags',
                header: 'Tags',
                render: (row) => {
                  const tags = row.traffic.filter((t) => t.tag).map((t) => t.tag!);
                  return tags.length === 0
                    ? '—'
                    : tags.map((tag) => (
                        <Badge key={tag} tone="info">
                          {tag}
                        </Badge>
                      ));
                },
              },
              {
                key: 'latest',
                header: 'Latest revision',
                render: (row) => row.latestReadyRevision ?? row.latestCreatedRevision ?? '—',
              },
              {
                key: 'traffic',
                header: 'Traffic',
                render: (row) =>
                  row.traffic.length === 0
                    ? '—'
                    : row.traffic
                        .map(
                          (t) =>
                            `${t.percent}% → ${t.revisionName ?? '@latest'}${t.tag ? ` (${t.tag})` : ''}`,
                        )
                        .join(', '),
              },
              { key: 'age', header: 'Age', render: (row) => formatAge(row.createdAt, now) },
            ]}
          />
        </div>
      ) : null}
    </section>
  );
}
