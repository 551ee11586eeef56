// Events as a timeline, the why-not-ready explanation, and cold starts of one Service.
import { formatAge } from '../../../electron/common/format';
import { Badge, conditionTone } from '../components/badge';
import { operationGate } from '../components/operation-status';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { describeError } from '../engine/engine-client';
import { useOperation } from '../engine/engine-context';
import { useNow } from '../lib/use-now';

interface Target {
  context: string;
  namespace: string;
  name: string;
}

export function EventsPanel({
  context,
  namespace,
  name,
  disabledReason,
}: Target & { disabledReason: string | null }) {
  const now = useNow(5000);
  const events = useOperation(
    'manage:events',
    disabledReason ? null : { context, namespace, name },
    disabledReason ? null : `events:${context}/${namespace}/${name}`,
  );
  if (disabledReason) return <EmptyState title="Events are not available">{disabledReason}</EmptyState>;
  const gate = operationGate(events, 'Reading events…', 'Could not read events');
  if (gate) return gate;
  const list = [...(events.data?.events ?? [])].reverse();
  return (
    <div data-testid="events-panel">
      <div className="row" style={{ marginBottom: 8 }}>
        <span className="muted">Events of the Service, its revisions and pods, newest first.</span>
        <button type="button" className="btn" onClick={events.reload}>
          Refresh
        </button>
      </div>
      {list.length === 0 ? (
        <EmptyState title="No events">Kubernetes keeps events for one hour by default.</EmptyState>
      ) : (
        <ol className="timeline">
          {list.map((event, index) => (
            <li key={index} className={event.type === 'Warning' ? 'warning' : undefined}>
              <span className="muted mono" title={event.lastTime ?? undefined}>
                {event.lastTime ? `${formatAge(event.lastTime, now)} ago` : '—'}
              </span>{' '}
              <Badge tone={event.type === 'Warning' ? 'bad' : 'neutral'}>{event.type}</Badge>{' '}
              <strong>{event.reason}</strong>{' '}
              <span className="mono">
                {event.objectKind}/{event.objectName}
              </span>
              {event.count > 1 ? <span className="muted"> ×{event.count}</span> : null}
              <div>{event.message}</div>
              {event.source ? <div className="muted">from {event.source}</div> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function WhyPanel({ context, namespace, name, revision }: Target & { revision?: string }) {
  const why = useOperation(
    'manage:why',
    { context, namespace, name, ...(revision ? { revision } : {}) },
    `why:${context}/${namespace}/${name}/${revision ?? ''}`,
  );
  const gate = operationGate(why, 'Looking for the reason…', 'Could not explain');
  if (gate) return gate;
  const data = why.data;
  if (!data) return null;
  return (
    <div data-testid="why-panel">
      {/* The button beside the summary, not inside its text: a long reason would wrap around it. */}
      <div className="row" style={{ alignItems: 'flex-start', flexWrap: 'nowrap' }}>
        <p className="why-summary" style={{ flex: 1, margin: 0 }}>
          <Badge tone={conditionTone(data.ready)}>{`Ready ${data.ready}`}</Badge> {data.summary}
        </p>
        <button type="button" className="btn" onClick={why.reload}>
          Look again
        </button>
      </div>
      {data.findings.length > 0 ? (
        <ul className="findings">
          {data.findings.map((finding, index) => (
            <li key={index}>
              <div>
                <span className="mono">{finding.object}</span> · {finding.condition}{' '}
                <Badge tone={conditionTone(finding.status)}>{finding.status}</Badge>{' '}
                {finding.reason ? <strong>{finding.reason}</strong> : null}
              </div>
              <div>{finding.explanation}</div>
              <div>
                <strong>What to do:</strong> {finding.action}
              </div>
              {finding.message && !finding.explanation.includes(finding.message) ? (
                <div className="muted mono">{finding.message}</div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {data.events.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul>
            {data.events.map((event, index) => (
              <li key={index}>
                <strong>{event.reason}</strong> {event.objectKind}/{event.objectName}: {event.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.logTail ? (
        <>
          <h3>Last log lines{data.logTail.pod ? ` of ${data.logTail.pod}/${data.logTail.container}` : ''}</h3>
          {data.logTail.note ? <p className="muted">{data.logTail.note}</p> : null}
          {data.logTail.lines.length > 0 ? (
            <pre className="logs mono">{data.logTail.lines.join('\n')}</pre>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function ColdStartsPanel({ context, namespace, name }: Target) {
  const data = useOperation(
    'manage:coldStarts',
    { context, namespace, name },
    `cold:${context}/${namespace}/${name}`,
  );
  if (data.loading && !data.data) return <LoadingState label="Reading pods…" />;
  if (data.error) return <ErrorState title="Could not read cold starts" error={describeError(data.error)} />;
  const starts = data.data?.coldStarts ?? [];
  return (
    <div data-testid="cold-starts">
      <p className="muted">{data.data?.method}</p>
      {starts.length === 0 ? (
        <EmptyState title="No cold start seen">
          Pods that started from zero and still exist are counted.
        </EmptyState>
      ) : (
        <ul>
          {starts.map((start) => (
            <li key={start.pod}>
              <strong>{start.revision}</strong>:{' '}
              {start.ms === null ? 'not ready yet' : `${(start.ms / 1000).toFixed(1)} s`}{' '}
              <span className="muted mono">({start.pod})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
