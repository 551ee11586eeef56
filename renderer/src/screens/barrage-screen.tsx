// Barrage: the sender (message, concurrency, duration, optional rate) with live per-second stats and stop, and
// the viewer: HomePage's barrage stream drawn as danmaku on a canvas. The sender's run lives at app level
// (app/load-run.ts), so it keeps going while the user watches the Monitor.
import { useEffect, useMemo, useRef, useState } from 'react';
import { barrageWatch, useBarrageWatch } from '../app/barrage-watch';
import { loadRun, useLoadRun } from '../app/load-run';
import { useSession } from '../app/session';
import { toComment } from '../barrage/comment-style';
import type { DanmakuMode } from '../barrage/danmaku-layout';
import type { DanmakuStage } from '../barrage/danmaku-stage';
import { DanmakuViewer } from '../barrage/danmaku-viewer';
import { Badge, toneFor } from '../components/badge';
import { ScreenHeader } from '../components/screen-header';
import { ErrorState } from '../components/state-views';
import { causesByField, describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { SelectField, TextField } from '../forms/fields';
import { formRows } from '../forms/form-rows';
import { homePageChoices, routedHasUrl } from './barrage/homepage-choices';
import { barrageSendParams } from '../../../electron/common/schemas/barrage';
import { numberLimits, rangeText, withinLimits } from '../../../electron/common/schemas/limits';

/** The sender's limits, read from the contract (the engine checks the same schema). */
const sendLimits = {
  concurrency: numberLimits(barrageSendParams.shape.concurrency),
  durationSeconds: numberLimits(barrageSendParams.shape.durationSeconds),
  rate: numberLimits(barrageSendParams.shape.rate),
};

/** `params`: `[namespace, name]` of the HomePage to preselect (`#/barrage/<namespace>/<name>`), or none. */
export function BarrageScreen({ params = [] }: { params?: readonly string[] }) {
  const { session } = useSession();
  const workloads = useOperation(
    'workloads:list',
    session.context
      ? session.namespace
        ? { context: session.context, namespace: session.namespace }
        : { context: session.context }
      : null,
    session.context ? `${session.context}/${session.namespace ?? ''}` : null,
  );
  // HomePage candidates, best first (barrage/homepage-choices.ts): the routed Service, then `default` at "all
  // namespaces", FC before ECI.
  // A route into a namespace Connect does not list is ignored (its Service could never appear).
  const [routedNamespace, routedName] = params;
  const routed = useMemo(
    () =>
      routedNamespace && routedName && (!session.namespace || session.namespace === routedNamespace)
        ? { namespace: routedNamespace, name: routedName }
        : undefined,
    [routedNamespace, routedName, session.namespace],
  );
  const urls = useMemo(
    () =>
      homePageChoices(workloads.data?.rows ?? [], {
        sessionNamespace: session.namespace ?? undefined,
        routed,
      }),
    [workloads.data, session.namespace, routed],
  );
  const [url, setUrl] = useState('');
  // Right after a deploy the Services have no URL yet: look again every few seconds until one has.
  // Also while the Service Deploy all named (the route) has none yet: sending to another HomePage meanwhile would be
  // sending to the wrong place.
  const waitingForUrl =
    Boolean(session.context) && !workloads.error && (urls.length === 0 || !routedHasUrl(urls, routed));
  const effectiveUrl = url || (waitingForUrl ? '' : urls[0]?.value) || '';
  // The namespace whose pods the load drives: the chosen HomePage's (a typed URL: the session's namespace).
  const targetNamespace =
    urls.find((choice) => choice.value === effectiveUrl)?.namespace ?? session.namespace;
  const follow =
    session.context && targetNamespace ? { context: session.context, namespace: targetNamespace } : undefined;
  const reloadWorkloads = workloads.reload;
  useEffect(() => {
    if (!waitingForUrl || workloads.loading) return;
    const timer = setTimeout(reloadWorkloads, 3000);
    return () => clearTimeout(timer);
  }, [waitingForUrl, workloads.loading, workloads.data, reloadWorkloads]);

  return (
    <section>
      <ScreenHeader title="Barrage" subtitle="Send load to HomePage and watch the processed comments fly" />
      <div className="panel">
        <div className="row" style={{ alignItems: 'flex-end' }}>
          {urls.length > 0 ? (
            <div style={{ minWidth: 320 }}>
              <SelectField
                label="HomePage"
                name="homepage"
                value={urls.some((u) => u.value === url) ? url : ''}
                options={[
                  {
                    value: '',
                    label:
                      waitingForUrl && routed
                        ? `${routed.name} in ${routed.namespace} (default, waiting for its URL)`
                        : urls[0]
                          ? `${urls[0].label} (default)`
                          : '',
                  },
                  ...urls,
                ]}
                onChange={setUrl}
              />
            </div>
          ) : null}
          <div style={{ flex: 1 }}>
            <TextField
              label="HomePage URL"
              name="url"
              value={url}
              placeholder={effectiveUrl || 'http://barrage.demo.knative.top'}
              onChange={setUrl}
              hint={
                workloads.error
                  ? `Could not list Services: ${workloads.error.message}`
                  : !session.context
                    ? 'Not connected: type a URL, or choose a context on the Connect screen to pick a Service.'
                    : workloads.loading && !workloads.data
                      ? 'Listing Services…'
                      : waitingForUrl && !url
                        ? routed
                          ? `${routed.name} in ${routed.namespace} has no URL yet: looking again every 3 s.`
                          : `No Service in ${session.namespace ?? 'the namespace'} has a URL yet (deploy HomePage, ` +
                            'or wait for it to become Ready): looking again every 3 s.'
                        : null
              }
            />
          </div>
        </div>
      </div>
      <div className="grid-2" style={{ gridTemplateColumns: 'minmax(320px, 1fr) minmax(0, 2fr)' }}>
        <Sender url={effectiveUrl} context={session.context} follow={follow} />
        <Viewer
          url={effectiveUrl}
          context={session.context}
          listing={Boolean(session.context) && !workloads.data && !workloads.error}
        />
      </div>
    </section>
  );
}

/**
 * `context`: the connected context, whose ingress gateway a cluster-local HomePage URL is sent through. `follow`: the
 * namespace whose pods the Monitor should draw from the run's first second.
 */
function Sender({
  url,
  context,
  follow,
}: {
  url: string;
  context: string | null;
  follow: { context: string; namespace: string } | undefined;
}) {
  const engine = useEngine();
  const run = useLoadRun();
  const [form, setForm] = useState({
    message: 'Hello Knative! 你好',
    concurrency: '20',
    durationSeconds: '20',
    rate: '',
  });
  const [error, setError] = useState<EngineError | null>(null);

  const problems: Record<string, string> = {};
  if (!url) problems.url = 'Choose or type the HomePage URL above.';
  if (!form.message.trim()) problems.message = 'Required.';
  const concurrency = Number(form.concurrency);
  if (!withinLimits(concurrency, sendLimits.concurrency))
    problems.concurrency = `A whole number from ${rangeText(sendLimits.concurrency)}.`;
  const duration = Number(form.durationSeconds);
  if (!withinLimits(duration, sendLimits.durationSeconds))
    problems.durationSeconds = `Whole seconds from ${rangeText(sendLimits.durationSeconds)}.`;
  const rate = form.rate.trim() === '' ? undefined : Number(form.rate);
  if (rate !== undefined && !withinLimits(rate, sendLimits.rate))
    problems.rate = `Empty (unlimited) or ${rangeText(sendLimits.rate)} per second.`;

  const { byField, general } = causesByField(error, [
    'url',
    'message',
    'concurrency',
    'durationSeconds',
    'rate',
  ]);
  const active = run.state === 'running' || run.state === 'stopping';
  const last = run.seconds.at(-1);
  const totals = useMemo(() => {
    const statusCodes: Record<string, number> = {};
    let errors = 0;
    let refused = 0;
    let accepted = 0;
    for (const second of run.seconds) {
      errors += second.errors + second.timeouts;
      refused += second.refused;
      accepted += second.rps - second.refused;
      for (const [code, count] of Object.entries(second.statusCodes))
        statusCodes[code] = (statusCodes[code] ?? 0) + count;
    }
    return { statusCodes, errors, refused, accepted };
  }, [run.seconds]);

  function send(): void {
    setError(null);
    if (Object.keys(problems).length > 0) return;
    try {
      loadRun.start(
        engine,
        {
          url,
          ...(context ? { context } : {}),
          message: form.message,
          concurrency,
          durationSeconds: duration,
          ...(rate !== undefined ? { rate } : {}),
        },
        Date.now(),
        follow,
      );
    } catch (e) {
      setError(toEngineError(e));
    }
  }

  useEffect(() => {
    if (run.error) setError(run.error);
  }, [run.error]);

  // Inline problems show after the first Send attempt; engine-reported ones as soon as they arrive.
  const [touchedAll, setTouchedAll] = useState(false);
  const show = (name: string) => byField[name] ?? (touchedAll ? problems[name] : null) ?? null;
  const rows = formRows(form, (key, value) => setForm((f) => ({ ...f, [key]: value })), show);

  return (
    <div className="panel" data-testid="sender">
      <h2>Sender</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouchedAll(true);
          send();
        }}
      >
        {touchedAll && problems.url ? (
          <p style={{ color: 'var(--bad)' }} role="alert">
            {problems.url}
          </p>
        ) : null}
        {rows.text('message', 'Message')}
        <div className="row" style={{ alignItems: 'flex-start' }}>
          {rows.text('concurrency', 'Concurrency', { type: 'number' })}
          {rows.text('durationSeconds', 'Duration (s)', { type: 'number' })}
          {rows.text('rate', 'Rate (req/s, optional)', { type: 'number', placeholder: 'unlimited' })}
        </div>
        <div className="row">
          <button type="submit" className="btn primary" data-testid="send" disabled={active}>
            Send
          </button>
          <button
            type="button"
            className="btn danger"
            data-testid="stop"
            disabled={run.state !== 'running'}
            onClick={() => loadRun.stop()}
          >
            Stop
          </button>
          <span data-testid="sender-state">
            <Badge tone={toneFor(run.state, { running: 'info', failed: 'bad', done: 'ok' })}>
              {run.state}
            </Badge>
          </span>
        </div>
      </form>
      {error ? (
        <ErrorState title="Sending failed" error={{ ...describeError(error), details: general }} />
      ) : null}
      <div className="stat-grid" style={{ marginTop: 10 }} data-testid="sender-stats">
        <SenderStat label="second" value={last ? String(last.second) : '–'} />
        <SenderStat label="req/s" value={last ? last.rps.toFixed(0) : '–'} testId="sender-rps" />
        <SenderStat label="p50 ms" value={last ? last.latency.p50.toFixed(0) : '–'} />
        <SenderStat label="p99 ms" value={last ? last.latency.p99.toFixed(0) : '–'} />
        <SenderStat label="requests" value={last ? String(last.totalRequests) : '0'} testId="sender-total" />
        <SenderStat label="accepted (2xx)" value={String(totals.accepted)} testId="sender-accepted" />
        <SenderStat
          label="refused (non-2xx)"
          value={String(totals.refused)}
          testId="sender-refused"
          tone={totals.refused > 0 ? 'bad' : undefined}
        />
        <SenderStat
          label="network errors / timeouts"
          value={String(totals.errors)}
          tone={totals.errors > 0 ? 'bad' : undefined}
        />
      </div>
      {Object.keys(totals.statusCodes).length > 0 ? (
        <p className="muted mono">
          status:{' '}
          {Object.entries(totals.statusCodes)
            .map(([code, count]) => `${code}×${count}`)
            .join('  ')}
        </p>
      ) : null}
      {run.summary ? (
        <p data-testid="sender-summary">
          {run.summary.reason}: {run.summary.totalRequests} requests in{' '}
          {run.summary.durationSeconds.toFixed(1)} s, {run.summary.accepted} accepted, {run.summary.refused}{' '}
          refused, {run.summary.errors + run.summary.timeouts} failed to connect or timed out, mean{' '}
          {run.summary.meanRps.toFixed(1)} req/s, p99 {run.summary.latency.p99.toFixed(0)} ms
          {run.summary.unanswered > 0
            ? `; ${run.summary.unanswered} more were in flight when the run ended (not counted: HomePage may have taken them)`
            : ''}
          {run.summary.error ? ` — ${run.summary.error}` : ''}
        </p>
      ) : null}
      {run.summary && run.summary.refusals.length > 0 ? (
        <div className="state error" role="alert" data-testid="sender-refusals">
          <div>
            <div className="title">
              HomePage refused {run.summary.refused} of {run.summary.totalRequests} barrage
            </div>
            <ul>
              {run.summary.refusals.map((refusal) => (
                <li key={`${refusal.status} ${refusal.message}`}>
                  <span className="mono">
                    {refusal.status} × {refusal.count}
                  </span>
                  : {refusal.message || '(no reason given)'}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SenderStat({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: string;
  testId?: string;
  tone?: 'bad';
}) {
  return (
    <div className="stat">
      <div
        className="value"
        data-testid={testId}
        style={tone === 'bad' ? { color: 'var(--bad)' } : undefined}
      >
        {value}
      </div>
      <div className="label">{label}</div>
    </div>
  );
}

/** `listing`: the Services are being listed for the first time, so no URL is known yet (not: there is none). */
function Viewer({ url, context, listing }: { url: string; context: string | null; listing: boolean }) {
  const engine = useEngine();
  const watch = useBarrageWatch();
  const stageRef = useRef<DanmakuStage | null>(null);
  const [mode, setMode] = useState<DanmakuMode>('scroll');
  const [colorful, setColorful] = useState(true);
  const defaults = useRef({ mode, colorful });
  defaults.current = { mode, colorful };

  // The stream is app-level (app/barrage-watch.ts): the same URL again keeps it and its count; this screen only
  // draws what arrives while it is open. Reopened, the screen has no URL until its Services are listed again: that
  // is not a reason to stop.
  useEffect(() => {
    if (url || !listing) barrageWatch.watch(engine, url, context);
  }, [engine, url, context, listing]);
  useEffect(
    () =>
      barrageWatch.attach((messages) => {
        for (const message of messages) stageRef.current?.emit(toComment(message, defaults.current));
      }),
    [],
  );
  const status = { state: watch.state, error: watch.streamError };
  const error = watch.failure;
  const watching = watch.watching;
  const setWatching = (on: boolean) => barrageWatch.setWatching(engine, on, url, context);

  return (
    <div className="panel" data-testid="viewer">
      <div className="row">
        <h2 style={{ margin: 0 }}>Viewer</h2>
        <span data-testid="viewer-state">
          <Badge tone={status.state === 'open' ? 'ok' : status.state === 'idle' ? 'neutral' : 'warn'}>
            {status.state}
          </Badge>
        </span>
        {status.error ? <span className="muted">{status.error}</span> : null}
        <span style={{ flex: 1 }} />
        <label htmlFor="danmaku-mode">Mode</label>
        <select id="danmaku-mode" value={mode} onChange={(e) => setMode(e.target.value as DanmakuMode)}>
          <option value="scroll">scroll</option>
          <option value="top">top</option>
          <option value="bottom">bottom</option>
        </select>
        <label className="row" style={{ gap: 4 }}>
          <input type="checkbox" checked={colorful} onChange={(e) => setColorful(e.target.checked)} /> colours
        </label>
        <button type="button" className="btn" aria-pressed={!watching} onClick={() => setWatching(!watching)}>
          {watching ? 'Disconnect' : 'Connect'}
        </button>
      </div>
      {error ? <ErrorState title="Barrage stream failed" error={describeError(error)} /> : null}
      {!url ? (
        <p className="muted" style={{ margin: '6px 0 0' }}>
          Choose or type the HomePage URL above to watch its comments.
        </p>
      ) : null}
      <div style={{ marginTop: 8 }}>
        <DanmakuViewer
          onStage={(stage) => (stageRef.current = stage)}
          extraDropped={watch.engineDropped}
          received={watch.received}
          offScreen={watch.offScreen}
        />
      </div>
    </div>
  );
}
