// Revisions and traffic of one Service: the revisions table (traffic, tags, image, generation, age, Ready with
// reason, pods actual/desired), the traffic form (rows of revision or @latest, percent, tag; the sum is checked as
// you type, with the same rules the engine applies), rollback / roll forward, comparing two revisions side by side,
// and deleting unrouted revisions behind a typed confirmation. Every action is a button (keyboard reachable) and is
// disabled with the reason when the user may not do it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatAge } from '../../../electron/common/format';
import { LATEST } from '../../../electron/common/schemas/manage';
import type { RevisionsResponse, TrafficRow } from '../../../electron/common/schemas/manage';
import { trafficProblems } from '../../../electron/common/traffic-rules';
import { Badge, conditionTone } from '../components/badge';
import { DataTable } from '../components/data-table';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { YamlDiffView } from '../components/yaml-diff-view';
import { describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation, useStream } from '../engine/engine-context';
import { useNow } from '../lib/use-now';
import type { Access } from './use-access';
import { Options } from '../forms/options';

export function RevisionsPanel({
  context,
  namespace,
  name,
  access,
  onChanged,
  version,
}: {
  context: string;
  namespace: string;
  name: string;
  access: Access;
  onChanged: () => void;
  /** Changes when the detail re-read the Service (pods came or went): the table re-reads too. */
  version?: unknown;
}) {
  const engine = useEngine();
  const now = useNow(5000);
  const view = useOperation(
    'manage:revisions',
    { context, namespace, name },
    `${context}/${namespace}/${name}`,
  );
  const [compare, setCompare] = useState<string[]>([]);
  const [deleting, setDeleting] = useState<string[]>([]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = () => {
    view.reload();
    onChanged();
  };
  // Kept current without polling: the Services watch says when this Service's traffic or readiness changed (status
  // traffic follows a spec change by a moment), and the detail's pod stream when pods came or went.
  const { reload: reloadView } = view;
  const lastSeen = useRef<string | null>(null);
  useStream('workloads:watch', { context, namespace }, `${context}/${namespace}/${name}`, (event) => {
    const row =
      event.type === 'snapshot'
        ? event.rows.find((r) => r.name === name)
        : event.type === 'upsert' && event.row.name === name
          ? event.row
          : undefined;
    if (!row) return;
    const seen = JSON.stringify([
      row.traffic,
      row.ready,
      row.latestReadyRevision,
      row.latestCreatedRevision,
      row.observedGeneration,
    ]);
    if (lastSeen.current !== null && lastSeen.current !== seen) reloadView();
    lastSeen.current = seen;
  });
  const firstVersion = useRef(true);
  useEffect(() => {
    if (firstVersion.current) {
      firstVersion.current = false;
      return;
    }
    reloadView();
  }, [version, reloadView]);

  async function act(what: string, run: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await run();
      setMessage({ tone: 'ok', text: what });
      reload();
    } catch (caught) {
      setError(toEngineError(caught));
    } finally {
      setBusy(false);
    }
  }

  const data = view.data;
  if (view.loading && !data) return <LoadingState label="Reading revisions…" />;
  if (view.error && !data)
    return (
      <ErrorState title="Could not read revisions" error={describeError(view.error)} onRetry={view.reload} />
    );
  if (!data) return null;

  const trafficWhy = access.whyNot('traffic');
  const deleteWhy = access.whyNot('deleteRevisions');
  const unrouted = data.revisions
    .filter((r) => !r.routed && !r.latestCreated && !r.latestReady)
    .map((r) => r.name);
  const followsLatest =
    data.specTraffic.length === 0 || data.specTraffic.some((t) => t.latestRevision && t.percent > 0);

  return (
    <div data-testid="revisions-panel">
      <div className="row" style={{ marginBottom: 8 }}>
        <button
          type="button"
          className="btn"
          disabled={busy || !access.can('traffic') || followsLatest}
          title={trafficWhy ?? (followsLatest ? 'Traffic already follows the latest revision.' : undefined)}
          data-testid="roll-forward"
          onClick={() =>
            act('Rolled forward: 100 % follows the latest revision.', () =>
              engine.call('manage:rollForward', {
                context,
                namespace,
                name,
                generation: data.generation ?? undefined,
              }),
            )
          }
        >
          Roll forward to latest
        </button>
        <button
          type="button"
          className="btn"
          disabled={compare.length !== 2}
          data-testid="compare-revisions"
          title={compare.length !== 2 ? 'Tick two revisions to compare.' : undefined}
          onClick={() => setMessage(null)}
        >
          Compare {compare.length === 2 ? `${compare[0]} ↔ ${compare[1]}` : '(tick two)'}
        </button>
        <button
          type="button"
          className="btn danger"
          disabled={busy || unrouted.length === 0 || !access.can('deleteRevisions')}
          title={deleteWhy ?? (unrouted.length === 0 ? 'Every revision is routed or latest.' : undefined)}
          data-testid="delete-unrouted"
          onClick={() => setDeleting(unrouted)}
        >
          Delete unrouted revisions ({unrouted.length})
        </button>
        <button type="button" className="btn" onClick={reload}>
          Refresh
        </button>
        {trafficWhy ? <span className="muted">{trafficWhy}</span> : null}
      </div>
      {message ? (
        <p role="status" data-testid="revisions-message">
          <Badge tone={message.tone}>{message.tone === 'ok' ? 'done' : 'failed'}</Badge> {message.text}
        </p>
      ) : null}
      {error ? <ErrorState title="Not changed" error={describeError(error)} /> : null}
      <DataTable
        empty={<EmptyState title="No revisions yet" />}
        caption="Revisions"
        testId="revisions-table"
        rows={data.revisions}
        rowKey={(r) => r.name}
        columns={[
          {
            key: 'pick',
            header: 'Compare',
            render: (r) => (
              <input
                type="checkbox"
                aria-label={`Compare ${r.name}`}
                checked={compare.includes(r.name)}
                onChange={(event) =>
                  setCompare((previous) =>
                    event.target.checked
                      ? [...previous.filter((n) => n !== r.name), r.name].slice(-2)
                      : previous.filter((n) => n !== r.name),
                  )
                }
              />
            ),
          },
          {
            key: 'name',
            header: 'Revision',
            render: (r) => (
              <>
                <strong>{r.name}</strong>
                {r.latestCreated ? <span className="muted"> latest</span> : null}
              </>
            ),
          },
          { key: 'gen', header: 'Gen', render: (r) => r.generation ?? '—' },
          { key: 'traffic', header: 'Traffic', render: (r) => `${r.trafficPercent}%` },
          {
            key: 'tags',
            header: 'Tags',
            render: (r) =>
              r.tags.length
                ? r.tags.map((t) => (
                    <Badge key={t} tone="info">
                      {t}
                    </Badge>
                  ))
                : '—',
          },
          {
            key: 'ready',
            header: 'Ready',
            render: (r) => (
              <span title={r.message ?? undefined}>
                <Badge tone={conditionTone(r.ready)}>{r.ready}</Badge> {r.reason ?? ''}
              </span>
            ),
          },
          {
            key: 'pods',
            header: 'Pods actual / desired',
            render: (r) => `${r.actualReplicas ?? '–'} / ${r.desiredReplicas ?? '–'}`,
          },
          { key: 'image', header: 'Image', render: (r) => <span className="mono">{r.image ?? '—'}</span> },
          { key: 'age', header: 'Age', render: (r) => formatAge(r.createdAt, now) },
          {
            key: 'actions',
            header: 'Actions',
            render: (r) => (
              <button
                type="button"
                className="btn"
                data-testid={`rollback-${r.name}`}
                disabled={
                  busy ||
                  !access.can('traffic') ||
                  r.ready === 'False' ||
                  (r.trafficPercent === 100 && !followsLatest)
                }
                title={
                  trafficWhy ??
                  (r.ready === 'False'
                    ? 'Not Ready: rolling back to it would leave no working revision.'
                    : undefined)
                }
                onClick={() =>
                  act(`Rolled back: 100 % to ${r.name}.`, () =>
                    engine.call('manage:rollback', {
                      context,
                      namespace,
                      name,
                      revision: r.name,
                      generation: data.generation ?? undefined,
                    }),
                  )
                }
              >
                Roll back to this
              </button>
            ),
          },
        ]}
      />
      <TagUrls data={data} />
      {compare.length === 2 ? (
        <CompareView
          context={context}
          namespace={namespace}
          name={name}
          left={compare[0]!}
          right={compare[1]!}
        />
      ) : null}
      {deleting.length > 0 ? (
        <DeleteGuard
          names={deleting}
          busy={busy}
          onCancel={() => setDeleting([])}
          onConfirm={() =>
            act(`Deleted ${deleting.join(', ')}.`, async () => {
              const result = await engine.call('manage:deleteRevisions', {
                context,
                namespace,
                name,
                revisions: deleting,
                confirm: deleting,
              });
              setDeleting([]);
              if (result.refused.length > 0) {
                throw new Error(
                  `Nothing deleted: ${result.refused.map((r) => `${r.name} (${r.reason})`).join('; ')}`,
                );
              }
            })
          }
        />
      ) : null}
      <TrafficEditor
        key={JSON.stringify(data.specTraffic)}
        data={data}
        service={name}
        disabledReason={trafficWhy}
        onSave={(rows) =>
          act('Traffic set.', () =>
            engine.call('manage:setTraffic', {
              context,
              namespace,
              name,
              rows,
              generation: data.generation ?? undefined,
            }),
          )
        }
        busy={busy}
      />
    </div>
  );
}

function TagUrls({ data }: { data: RevisionsResponse }) {
  const tagged = data.statusTraffic.filter((t) => t.tag && t.url);
  if (tagged.length === 0) return null;
  return (
    <div className="stack" data-testid="tag-urls" style={{ marginTop: 8 }}>
      <strong>Tagged URLs</strong>
      {tagged.map((t) => (
        <div key={t.tag} className="mono">
          <Badge tone="info">{t.tag!}</Badge> {t.url} → {t.revisionName ?? LATEST}
        </div>
      ))}
      <span className="muted">The Barrage screen's sender can target any of these URLs.</span>
    </div>
  );
}

function DeleteGuard({
  names,
  busy,
  onCancel,
  onConfirm,
}: {
  names: string[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const [typed, setTyped] = useState('');
  const expected = names.length === 1 ? names[0]! : String(names.length);
  return (
    <div className="panel" role="dialog" aria-label="Delete revisions" data-testid="delete-guard">
      <p>
        Delete {names.length === 1 ? 'revision' : `${names.length} revisions`}{' '}
        <strong>{names.join(', ')}</strong>? No traffic goes to {names.length === 1 ? 'it' : 'them'}; this
        cannot be undone. Type <span className="mono">{expected}</span> to confirm.
      </p>
      <div className="row">
        <input
          aria-label="Confirmation"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoFocus
        />
        <button
          type="button"
          className="btn danger"
          disabled={busy || typed !== expected}
          onClick={onConfirm}
        >
          Delete
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function CompareView({
  context,
  namespace,
  name,
  left,
  right,
}: {
  context: string;
  namespace: string;
  name: string;
  left: string;
  right: string;
}) {
  const [a, b] = [left, right].sort();
  const result = useOperation(
    'manage:compare',
    { context, namespace, name, left: a!, right: b! },
    `${a}:${b}`,
  );
  if (result.loading) return <LoadingState label="Comparing…" />;
  if (result.error) return <ErrorState title="Could not compare" error={describeError(result.error)} />;
  if (!result.data) return null;
  return (
    <div className="panel" data-testid="compare-view">
      <h3>
        {result.data.left.name} ↔ {result.data.right.name}
      </h3>
      <div className="grid-2">
        <pre className="yaml mono" aria-label={result.data.left.name}>
          {result.data.left.yaml}
        </pre>
        <pre className="yaml mono" aria-label={result.data.right.name}>
          {result.data.right.yaml}
        </pre>
      </div>
      <YamlDiffView before={result.data.left.yaml} after={result.data.right.yaml} label="Spec changes" />
    </div>
  );
}

/** The traffic form: rows of (revision or @latest, percent, tag), checked as typed with the engine's own rules. */
export function TrafficEditor({
  data,
  service,
  disabledReason,
  onSave,
  busy,
}: {
  data: RevisionsResponse;
  service: string;
  disabledReason: string | null;
  onSave: (rows: TrafficRow[]) => void;
  busy: boolean;
}) {
  const initial = useMemo<TrafficRow[]>(
    () =>
      (data.specTraffic.length > 0
        ? data.specTraffic
        : [{ latestRevision: true, percent: 100, revisionName: null, tag: null, url: null }]
      ).map((t) => ({
        revision: t.latestRevision || !t.revisionName ? LATEST : t.revisionName,
        percent: t.percent,
        tag: t.tag ?? '',
      })),
    [data.specTraffic],
  );
  const [rows, setRows] = useState<TrafficRow[]>(initial);
  const names = data.revisions.map((r) => r.name);
  const problems = trafficProblems(rows, service, names);
  const sum = rows.reduce((total, row) => total + row.percent, 0);
  const problemFor = (field: string) => problems.find((p) => p.field === field)?.message ?? null;
  const update = (index: number, change: Partial<TrafficRow>) =>
    setRows((previous) => previous.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <form
      className="panel"
      aria-label="Set traffic"
      data-testid="traffic-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (problems.length === 0) onSave(rows);
      }}
    >
      <h3>Set traffic</h3>
      <table className="data compact">
        <thead>
          <tr>
            <th scope="col">Revision</th>
            <th scope="col">Percent</th>
            <th scope="col">Tag</th>
            <th scope="col">
              <span className="skip-link">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index} data-testid={`traffic-row-${index}`}>
              <td>
                <select
                  aria-label={`Revision of row ${index + 1}`}
                  value={row.revision}
                  aria-invalid={Boolean(problemFor(`rows.${index}.revision`))}
                  onChange={(event) => update(index, { revision: event.target.value })}
                >
                  <option value={LATEST}>@latest (follows new revisions)</option>
                  <Options choices={names} />
                </select>
              </td>
              <td>
                <input
                  aria-label={`Percent of row ${index + 1}`}
                  inputMode="numeric"
                  size={4}
                  value={String(row.percent)}
                  aria-invalid={Boolean(problemFor(`rows.${index}.percent`))}
                  onChange={(event) => {
                    const value = Number(event.target.value.replace(/[^0-9]/g, '') || '0');
                    update(index, { percent: Math.min(100, value) });
                  }}
                />
              </td>
              <td>
                <input
                  aria-label={`Tag of row ${index + 1}`}
                  placeholder="optional"
                  value={row.tag}
                  aria-invalid={Boolean(problemFor(`rows.${index}.tag`))}
                  onChange={(event) => update(index, { tag: event.target.value.toLowerCase() })}
                />
                {problemFor(`rows.${index}.tag`) ? (
                  <div className="error" role="alert">
                    {problemFor(`rows.${index}.tag`)}
                  </div>
                ) : null}
                {row.tag && !problemFor(`rows.${index}.tag`) ? (
                  <div className="muted mono">{tagUrlPreview(row.tag, data.url)}</div>
                ) : null}
              </td>
              <td>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Remove row ${index + 1}`}
                  disabled={rows.length === 1}
                  onClick={() => setRows((previous) => previous.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row" style={{ marginTop: 8 }}>
        <button
          type="button"
          className="btn"
          data-testid="traffic-add-row"
          onClick={() =>
            setRows((previous) => [...previous, { revision: names[0] ?? LATEST, percent: 0, tag: '' }])
          }
        >
          Add row
        </button>
        <span data-testid="traffic-sum" aria-live="polite">
          <Badge tone={sum === 100 ? 'ok' : 'bad'}>{`Sum ${sum} %`}</Badge>
        </span>
        <button
          type="submit"
          className="btn primary"
          data-testid="traffic-save"
          disabled={busy || problems.length > 0 || Boolean(disabledReason)}
          title={disabledReason ?? undefined}
        >
          Save traffic
        </button>
        <button type="button" className="btn" onClick={() => setRows(initial)}>
          Reset
        </button>
      </div>
      {problems
        .filter((p) => !/\.tag$/.test(p.field))
        .map((p) => (
          <p key={p.field + p.message} className="error" role="alert" data-testid="traffic-problem">
            {p.message}
          </p>
        ))}
    </form>
  );
}

/** `<tag>-<name>.<rest of the host>` as Knative names a tagged URL. */
function tagUrlPreview(tag: string, url: string | null): string {
  if (!url) return `${tag}-<service URL>`;
  try {
    const parsed = new URL(url);
    parsed.hostname = `${tag}-${parsed.hostname}`;
    return parsed.toString();
  } catch {
    return `${tag}-${url}`;
  }
}
