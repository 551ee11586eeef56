// Guarded rollout and export of one Service. The rollout shifts traffic to the latest revision in steps while the
// engine probes the Service and watches the new revision; it shows each step's health and, on regression, why it put
// the previous split back. Export downloads the Service as YAML, optionally with its revisions (kn service export).
import { useState } from 'react';
import type { ParamsInput } from '../../../electron/common/contract';
import type { RolloutEvent } from '../../../electron/common/schemas/manage';
import { Badge } from '../components/badge';
import { ErrorState } from '../components/state-views';
import { describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useStream } from '../engine/engine-context';

export function RolloutPanel({
  context,
  namespace,
  name,
  disabledReason,
  onChanged,
}: {
  context: string;
  namespace: string;
  name: string;
  disabledReason: string | null;
  onChanged: () => void;
}) {
  const [steps, setSteps] = useState('10, 25, 50, 100');
  const [interval, setIntervalSeconds] = useState('30');
  const [maxErrorRate, setMaxErrorRate] = useState('5');
  const [maxP99, setMaxP99] = useState('2000');
  const [probePath, setProbePath] = useState('/');
  const [probeRequests, setProbeRequests] = useState('20');
  const [events, setEvents] = useState<RolloutEvent[]>([]);
  const [running, setRunning] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  /** The run in progress or last run: its own key, so leaving the panel stops it (useStream unsubscribes). */
  const [run, setRun] = useState<{ id: number; params: ParamsInput<'manage:rollout'> } | null>(null);
  useStream(
    'manage:rollout',
    run?.params ?? null,
    run ? `rollout-${run.id}` : null,
    (event) => setEvents((previous) => [...previous, event]),
    (caught) => {
      setError(toEngineError(caught));
      setRunning(false);
    },
    () => {
      setRunning(false);
      onChanged();
    },
  );

  /** Unsubscribing cancels the run in the engine, which puts the previous split back. */
  function stop() {
    setRun(null);
    setRunning(false);
    setStopped(true);
  }

  function start() {
    setStopped(false);
    setEvents([]);
    setError(null);
    setRunning(true);
    setRun((previous) => ({
      id: (previous?.id ?? 0) + 1,
      params: {
        context,
        namespace,
        name,
        steps: steps
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(Number),
        intervalSeconds: Number(interval),
        maxErrorRate: Number(maxErrorRate) / 100,
        maxP99Ms: Number(maxP99),
        probePath,
        probeRequests: Number(probeRequests),
      },
    }));
  }

  const done = events.find((e) => e.type === 'done');
  const health = events.filter((e) => e.type === 'health').at(-1);
  const plan = events.find((e) => e.type === 'plan');
  return (
    <div data-testid="rollout-panel">
      <p className="muted">
        Shift traffic to the latest revision in steps. At each step the engine sends a few requests to the
        Service (at the probe path) and watches the new revision; if the error rate or p99 goes above the
        limit, or the revision stops being Ready, it puts the previous split back. Pin traffic to the current
        revision first (Roll back to it), then edit, then roll out.
      </p>
      <div className="form-grid">
        <label className="field">
          Steps (percent)
          <input value={steps} onChange={(event) => setSteps(event.target.value)} />
        </label>
        <label className="field">
          Interval per step (s)
          <input value={interval} onChange={(event) => setIntervalSeconds(event.target.value)} />
        </label>
        <label className="field">
          Max error rate (%)
          <input value={maxErrorRate} onChange={(event) => setMaxErrorRate(event.target.value)} />
        </label>
        <label className="field">
          Max p99 (ms)
          <input value={maxP99} onChange={(event) => setMaxP99(event.target.value)} />
        </label>
        <label className="field">
          Probe path
          <input value={probePath} onChange={(event) => setProbePath(event.target.value)} />
        </label>
        <label className="field">
          Probe requests per step
          <input value={probeRequests} onChange={(event) => setProbeRequests(event.target.value)} />
        </label>
      </div>
      <div className="row">
        <button
          type="button"
          className="btn primary"
          disabled={running || Boolean(disabledReason)}
          title={disabledReason ?? undefined}
          onClick={start}
          data-testid="rollout-start"
        >
          Start rollout
        </button>
        <button type="button" className="btn" disabled={!running} data-testid="rollout-stop" onClick={stop}>
          Stop (puts the previous split back)
        </button>
        {disabledReason ? <span className="muted">{disabledReason}</span> : null}
      </div>
      {plan?.type === 'plan' ? (
        <p>
          Rolling out <strong>{plan.candidate}</strong> in steps {plan.steps.join(' → ')} %.
        </p>
      ) : null}
      {health?.type === 'health' ? (
        <p data-testid="rollout-health">
          At {health.percent} %: {health.requests} requests, {health.errors} errors (
          {(health.errorRate * 100).toFixed(1)} %), p99{' '}
          {health.p99Ms === null ? '—' : `${Math.round(health.p99Ms)} ms`}, new revision Ready{' '}
          {health.candidateReady}
        </p>
      ) : null}
      {done?.type === 'done' ? (
        <p role="status" data-testid="rollout-outcome">
          <Badge tone={done.outcome === 'completed' ? 'ok' : done.outcome === 'reverted' ? 'warn' : 'bad'}>
            {done.outcome}
          </Badge>{' '}
          {done.message}
        </p>
      ) : null}
      {stopped && done?.type !== 'done' ? (
        <p role="status" data-testid="rollout-outcome">
          <Badge tone="warn">stopped</Badge> Stopped by you: the engine puts the previous split back.
        </p>
      ) : null}
      {error ? <ErrorState title="Rollout failed" error={describeError(error)} /> : null}
    </div>
  );
}

export function ExportButtons({
  context,
  namespace,
  name,
}: {
  context: string;
  namespace: string;
  name: string;
}) {
  const engine = useEngine();
  const [error, setError] = useState<EngineError | null>(null);
  async function download(withRevisions: boolean) {
    setError(null);
    try {
      const result = await engine.call('manage:export', { context, namespace, name, withRevisions });
      const url = URL.createObjectURL(new Blob([result.yaml], { type: 'application/yaml' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}${withRevisions ? '-with-revisions' : ''}.yaml`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (caught) {
      setError(toEngineError(caught));
    }
  }
  return (
    <>
      <button type="button" className="btn" data-testid="export-yaml" onClick={() => void download(false)}>
        Export YAML
      </button>
      <button
        type="button"
        className="btn"
        data-testid="export-with-revisions"
        onClick={() => void download(true)}
      >
        Export with revisions
      </button>
      {error ? <span className="error">{error.message}</span> : null}
    </>
  );
}
