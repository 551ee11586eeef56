// Connect: choose a kube context and namespace (playground first), see whether it is reachable and whether it
// may deploy; manage FC and Kafka profiles; start and stop the local playground.
import { useEffect, useMemo, useState } from 'react';
import type { ResponseOf } from '../../../electron/common/contract';
import { AccessBadge } from '../app/app';
import { useSession } from '../app/session';
import { Badge } from '../components/badge';
import { DataTable } from '../components/data-table';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState } from '../components/state-views';
import { describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { CredentialCommandConfirm } from './connect/credential-command-confirm';
import { GatewayPanel } from './connect/gateway-panel';
import { FieldRowForm } from '../forms/field-row-form';
import { fcProfileKind, kafkaProfileKind } from './connect/profile-kinds';
import { ProfilesPanel } from './connect/profiles-panel';
import { PlaygroundPanel } from './connect/playground-panel';
import { OperationStatus } from '../components/operation-status';
import { Options } from '../forms/options';

type KubeContext = ResponseOf<'clusters:list'>['contexts'][number];

export function ConnectScreen() {
  const clusters = useOperation('clusters:list', {}, 'clusters');
  return (
    <section aria-labelledby="connect-title">
      <ScreenHeader
        title="Connect"
        subtitle="Cluster context and namespace, Function Compute and Kafka profiles"
      />
      <PlaygroundPanel onChanged={clusters.reload} />
      <ClusterPanel clusters={clusters} />
      <div className="grid-2">
        <ProfilesPanel kind={fcProfileKind} />
        <ProfilesPanel kind={kafkaProfileKind} />
      </div>
    </section>
  );
}

function ClusterPanel({ clusters }: { clusters: ReturnType<typeof useOperation<'clusters:list'>> }) {
  const engine = useEngine();
  const { session, update } = useSession();
  const [path, setPath] = useState('');
  const [addError, setAddError] = useState<EngineError | null>(null);

  // Playground contexts first, then the suggested one, then by name: the demo's happy path is at the top.
  const contexts = useMemo(() => {
    const list = [...(clusters.data?.contexts ?? [])];
    const rank = (context: KubeContext) =>
      (context.sourceKind === 'playground' ? 0 : 2) + (context.name === clusters.data?.suggested ? 0 : 1);
    return list.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }, [clusters.data]);

  const selected = contexts.find((context) => context.name === session.context);

  // Open the suggested context when nothing is chosen yet (or the chosen one disappeared).
  useEffect(() => {
    if (!clusters.data) return;
    const known = clusters.data.contexts.some((context) => context.name === session.context);
    if (!known && clusters.data.suggested)
      update({ context: clusters.data.suggested, namespace: null, access: null });
  }, [clusters.data, session.context, update]);

  async function addKubeconfig(): Promise<void> {
    setAddError(null);
    try {
      await engine.call('clusters:addKubeconfig', { path: path.trim() });
      setPath('');
      clusters.reload();
    } catch (error) {
      setAddError(toEngineError(error));
    }
  }

  return (
    <div className="panel" data-testid="cluster-panel">
      <h2>Kubernetes</h2>
      <OperationStatus
        operation={clusters}
        loading="Reading kubeconfig…"
        failed="Could not read kubeconfig"
      />
      {clusters.data?.sources
        .filter((source) => source.error)
        .map((source) => (
          <ErrorState
            key={source.path}
            title={`Skipped ${source.path}`}
            error={{ message: source.error ?? '' }}
          />
        ))}
      {clusters.data ? (
        <DataTable
          empty={
            <EmptyState title="No kubeconfig contexts">
              Start the playground above, or add a kubeconfig file below.
            </EmptyState>
          }
          caption="Kubeconfig contexts"
          testId="contexts-table"
          columns={[
            {
              key: 'name',
              header: 'Context',
              render: (context) => (
                <span className="row" style={{ gap: 6 }}>
                  <input
                    type="radio"
                    name="context"
                    tabIndex={-1}
                    aria-label={`Use ${context.name}`}
                    checked={context.name === session.context}
                    readOnly
                  />
                  <strong>{context.name}</strong>
                  {context.sourceKind === 'playground' ? <Badge tone="info">playground</Badge> : null}
                </span>
              ),
            },
            { key: 'cluster', header: 'Cluster', render: (context) => context.cluster },
            { key: 'user', header: 'User', render: (context) => context.user },
            {
              key: 'server',
              header: 'Server',
              render: (context) => <span className="mono">{context.server}</span>,
            },
            {
              key: 'source',
              header: 'Kubeconfig',
              render: (context) => <span className="mono">{context.source}</span>,
            },
          ]}
          rows={contexts}
          rowKey={(context) => context.name}
          selectedKey={session.context}
          onOpen={(context) =>
            update({ context: context.name, namespace: context.namespace ?? null, access: null })
          }
        />
      ) : null}
      {selected && selected.credentialCommand !== null && !selected.credentialCommandConfirmed ? (
        <CredentialCommandConfirm context={selected} onConfirmed={clusters.reload} />
      ) : session.context ? (
        <>
          <ContextCheck context={session.context} />
          <GatewayPanel context={session.context} />
        </>
      ) : null}
      <FieldRowForm
        label="Add a kubeconfig file"
        style={{ marginTop: 12 }}
        onSubmit={() => void addKubeconfig()}
        field={{
          label: 'Add a kubeconfig file',
          name: 'kubeconfigPath',
          value: path,
          placeholder: '/home/me/.kube/other-config',
          onChange: setPath,
          error: addError ? addError.message : null,
        }}
      >
        <button type="submit" className="btn" disabled={path.trim() === ''}>
          Add
        </button>
      </FieldRowForm>
    </div>
  );
}

function ContextCheck({ context }: { context: string }) {
  const { session, update } = useSession();
  const namespaces = useOperation('clusters:namespaces', { context }, `ns:${context}`);
  const namespace = session.namespace ?? undefined;
  const check = useOperation(
    'clusters:check',
    namespace ? { context, namespace } : { context },
    `check:${context}:${namespace ?? ''}`,
  );

  // Only an answer for the namespace now chosen: the previous one's data lingers while a new check loads.
  const answer =
    check.data && check.data.context === context && check.data.namespace === (namespace ?? null)
      ? check.data.access
      : null;
  useEffect(() => {
    if (answer && answer !== session.access) update({ access: answer });
  }, [answer, session.access, update]);

  return (
    <div className="panel" style={{ marginTop: 12 }} data-testid="context-check">
      <div className="row">
        <strong>{context}</strong>
        {check.loading ? <span className="muted">checking…</span> : null}
        {check.data ? (
          <>
            <Badge tone={check.data.reachable ? 'ok' : 'bad'}>
              {check.data.reachable ? 'reachable' : 'unreachable'}
            </Badge>
            <AccessBadge access={check.data.access} />
            {check.data.serverVersion ? (
              <span className="muted">Kubernetes {check.data.serverVersion}</span>
            ) : null}
          </>
        ) : null}
        <button type="button" className="btn" onClick={check.reload}>
          Re-check
        </button>
      </div>
      {check.data ? (
        <p data-testid="access-summary" style={{ margin: '6px 0' }}>
          {check.data.summary}
        </p>
      ) : null}
      {check.data?.error ? (
        <ErrorState
          title="Check failed"
          error={{ message: check.data.error.message, code: check.data.error.code }}
        />
      ) : null}
      {check.error ? (
        <ErrorState title="Check failed" error={describeError(check.error)} onRetry={check.reload} />
      ) : null}
      <div className="row" style={{ marginTop: 6 }}>
        <label htmlFor="namespace-select">Namespace</label>
        {namespaces.error ? (
          <span className="muted">({namespaces.error.message}; type one below)</span>
        ) : null}
        <select
          id="namespace-select"
          data-testid="namespace-select"
          value={session.namespace ?? ''}
          onChange={(event) => update({ namespace: event.target.value || null, access: null })}
        >
          <option value="">All namespaces</option>
          {session.namespace && !namespaces.data?.namespaces.some((n) => n.name === session.namespace) ? (
            <option value={session.namespace}>{session.namespace}</option>
          ) : null}
          <Options choices={(namespaces.data?.namespaces ?? []).map((n) => n.name)} />
        </select>
        <input
          aria-label="Namespace name"
          placeholder="or type a namespace"
          data-testid="namespace-input"
          onKeyDown={(event) => {
            const value = event.currentTarget.value.trim();
            if (event.key === 'Enter' && value) update({ namespace: value, access: null });
          }}
        />
      </div>
      {check.data && check.data.checks.length > 0 ? (
        <details style={{ marginTop: 6 }}>
          <summary>Permission checks ({check.data.checks.length})</summary>
          <ul className="mono">
            {check.data.checks.map((c) => (
              <li key={`${c.verb}/${c.group}/${c.resource}/${c.namespace ?? ''}`}>
                {c.allowed ? '✔' : '✘'} {c.verb} {c.group ? `${c.resource}.${c.group}` : c.resource}
                {c.namespace ? ` in ${c.namespace}` : ''} {c.reason ? `— ${c.reason}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
