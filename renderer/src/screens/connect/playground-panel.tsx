// The local playground: its state, and start/stop with the log streamed as it happens (bounded to the last lines).
import { useState } from 'react';
import { Badge, type BadgeTone } from '../../components/badge';
import { ErrorState } from '../../components/state-views';
import { describeError, type EngineError } from '../../engine/engine-client';
import { useOperation, useStream } from '../../engine/engine-context';
import { OperationStatus } from '../../components/operation-status';

const maxLogLines = 200;

export function PlaygroundPanel({ onChanged }: { onChanged: () => void }) {
  const status = useOperation('playground:status', {}, 'playground');
  const [log, setLog] = useState<string[]>([]);
  const [running, setRunning] = useState<'start' | 'stop' | null>(null);
  /** The failed action is kept with its error: `running` is already cleared when the failure shows. */
  const [failure, setFailure] = useState<{ action: 'start' | 'stop'; error: EngineError | string } | null>(
    null,
  );
  /** The start or stop in progress or last run; its own key, so leaving the screen lets the stream go. */
  const [run, setRun] = useState<{ id: number; action: 'start' | 'stop' } | null>(null);
  const finish = () => {
    setRunning(null);
    status.reload();
    onChanged();
  };
  const onEvent = (
    event: { type: 'log'; line: string } | { type: 'done'; ok: boolean; message: string | null },
  ) => {
    if (!run) return;
    if (event.type === 'log') setLog((lines) => [...lines, event.line].slice(-maxLogLines));
    else if (!event.ok)
      setFailure({ action: run.action, error: event.message ?? `Playground ${run.action} failed.` });
  };
  const onError = (error: EngineError) => {
    if (run) setFailure({ action: run.action, error });
    finish();
  };
  const keyOf = (action: 'start' | 'stop') => (run?.action === action ? `playground-${run.id}` : null);
  useStream('playground:start', { kafka: true }, keyOf('start'), onEvent, onError, finish);
  useStream('playground:stop', {}, keyOf('stop'), onEvent, onError, finish);

  function runPlayground(action: 'start' | 'stop'): void {
    setLog([]);
    setFailure(null);
    setRunning(action);
    setRun((previous) => ({ id: (previous?.id ?? 0) + 1, action }));
  }

  const state = status.data?.state;
  const tone: BadgeTone =
    state === 'up' ? 'ok' : state === 'partial' ? 'warn' : state === 'down' ? 'neutral' : 'info';
  return (
    <div className="panel" data-testid="playground-panel">
      <div className="row">
        <h2 style={{ margin: 0 }}>Local playground</h2>
        {state ? (
          <Badge tone={tone}>{running ? `${running === 'start' ? 'starting' : 'stopping'}…` : state}</Badge>
        ) : null}
        {status.loading && !status.data ? <span className="muted">checking…</span> : null}
        {status.data?.message ? <span className="muted">{status.data.message}</span> : null}
        <span style={{ flex: 1 }} />
        <button
          type="button"
          className="btn primary"
          disabled={running !== null || (status.loading && !status.data) || state === 'up'}
          onClick={() => runPlayground('start')}
        >
          Start playground
        </button>
        <button
          type="button"
          className="btn"
          disabled={running !== null || (status.loading && !status.data) || state === 'down'}
          onClick={() => runPlayground('stop')}
        >
          Stop
        </button>
      </div>
      <OperationStatus operation={status} failed="Playground status unknown" />
      {status.data?.info ? (
        <div className="row muted" style={{ marginTop: 6, fontSize: 12.5 }}>
          <span>
            API server <code>{status.data.info.apiServer || '—'}</code>
          </span>
          <span>
            Kafka <code>{status.data.info.kafkaBrokers.join(', ') || '—'}</code>
          </span>
          {status.data.info.fcEndpoint ? (
            <span>
              FC <code>{status.data.info.fcEndpoint}</code>
            </span>
          ) : null}
          {status.data.info.parts.map((part) => (
            <Badge key={part.name} tone={part.running ? 'ok' : 'bad'}>
              {`${part.name} ${part.running ? 'up' : 'down'}`}
            </Badge>
          ))}
        </div>
      ) : null}
      {failure ? (
        <ErrorState
          title={`Playground ${failure.action} failed`}
          error={
            typeof failure.error === 'string' ? { message: failure.error } : describeError(failure.error)
          }
        />
      ) : null}
      {log.length > 0 ? (
        <pre
          className="yaml mono"
          aria-live="polite"
          aria-label="Playground log"
          style={{ maxHeight: 180, marginTop: 8 }}
        >
          {log.join('\n')}
        </pre>
      ) : null}
    </div>
  );
}
