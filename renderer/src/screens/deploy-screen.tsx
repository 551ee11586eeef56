// Deploy: the barrage demo's three parts as a guided flow in dependency order (processing → event-driven →
// HomePage). Per part: the parameter form with inline validation and secret fields, the rendered YAML, a diff
// against the cluster, apply with per-object progress, and undeploy. Engine errors that name a parameter are
// shown next to that field; the others above the buttons.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ResponseOf } from '../../../electron/common/contract';
import type { ObjectRef } from '../../../electron/common/schemas/primitives';
import type { DeployEvent, TemplateInfo } from '../../../electron/common/schemas/deploy';
import { useSession } from '../app/session';
import { Badge, type BadgeTone } from '../components/badge';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { YamlDiffView } from '../components/yaml-diff-view';
import { causesByField, describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { ParameterForm } from '../forms/parameter-form';
import {
  initialFormValues,
  toParameterValues,
  validateAll,
  type FormValues,
} from '../forms/parameter-values';

/** Dependency order of the demo: processing must exist before the KafkaSource sinks to it, HomePage last. */
const partOrder = ['processing', 'event-driven', 'homepage'];

export function orderTemplates(templates: readonly TemplateInfo[]): TemplateInfo[] {
  const rank = (t: TemplateInfo) => {
    const index = partOrder.indexOf(t.id);
    return index === -1 ? partOrder.length : index;
  };
  return [...templates].sort((a, b) => rank(a) - rank(b));
}

type Phase = ResponseOf<'deploy:diff'>['objects'][number]['action'] | string;
interface ObjectProgress {
  ref: ObjectRef;
  phase: string;
  result: string | null;
  error: EngineError | null;
}
interface Run {
  kind: 'apply' | 'undeploy';
  objects: ObjectProgress[];
  state: 'running' | 'ok' | 'failed';
  error: EngineError | null;
}

const refKey = (ref: ObjectRef) => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

export function DeployScreen() {
  const { session } = useSession();
  const templates = useOperation('deploy:templates', {}, 'templates');
  const ordered = useMemo(() => orderTemplates(templates.data?.templates ?? []), [templates.data]);
  const [stepId, setStepId] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [outcome, setOutcome] = useState<Record<string, 'deployed' | 'undeployed' | 'failed'>>({});
  const current = ordered.find((t) => t.id === stepId) ?? ordered[0];

  // Shared parameters (namespace, Kafka, store…) are one flat object across parts: fill defaults once per part.
  useEffect(() => {
    if (current) setValues((previous) => initialFormValues(current.parameters, previous));
  }, [current]);

  return (
    <section>
      <ScreenHeader title="Deploy" subtitle="The barrage demo, part by part, in dependency order" />
      {!session.context ? (
        <EmptyState title="Not connected">Choose a context on the Connect screen first.</EmptyState>
      ) : null}
      {session.access === 'read-only' ? (
        <div className="state error" role="alert" data-testid="read-only-warning">
          <div>
            <div className="title">Read-only context</div>
            {session.context} may list and watch but not create objects: the API server will refuse a deploy.
          </div>
        </div>
      ) : null}
      {templates.loading && !templates.data ? <LoadingState label="Loading templates…" /> : null}
      {templates.error ? (
        <ErrorState
          title="Could not load templates"
          error={describeError(templates.error)}
          onRetry={templates.reload}
        />
      ) : null}
      {templates.data && ordered.length === 0 ? <EmptyState title="The engine offers no templates" /> : null}
      {current ? (
        <>
          <nav aria-label="Deploy steps">
            <ol className="steps">
              {ordered.map((template, index) => (
                <li key={template.id}>
                  <button
                    type="button"
                    data-testid={`step-${template.id}`}
                    aria-current={template.id === current.id ? 'step' : undefined}
                    onClick={() => setStepId(template.id)}
                  >
                    {index + 1}. {template.title}{' '}
                    {outcome[template.id] ? (
                      <Badge
                        tone={
                          outcome[template.id] === 'deployed'
                            ? 'ok'
                            : outcome[template.id] === 'failed'
                              ? 'bad'
                              : 'neutral'
                        }
                      >
                        {outcome[template.id] as string}
                      </Badge>
                    ) : null}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <DeployStep
            key={current.id}
            template={current}
            context={session.context}
            fallbackNamespace={session.namespace ?? 'default'}
            values={values}
            onValue={(name, value) => setValues((previous) => ({ ...previous, [name]: value }))}
            onOutcome={(result) => setOutcome((previous) => ({ ...previous, [current.id]: result }))}
            hasNext={ordered.indexOf(current) < ordered.length - 1}
            onNext={() => {
              const next = ordered[ordered.indexOf(current) + 1];
              if (next) setStepId(next.id);
            }}
          />
        </>
      ) : null}
    </section>
  );
}

function DeployStep({
  template,
  context,
  fallbackNamespace,
  values,
  onValue,
  onOutcome,
  hasNext,
  onNext,
}: {
  template: TemplateInfo;
  context: string | null;
  fallbackNamespace: string;
  values: FormValues;
  onValue: (name: string, value: string | boolean) => void;
  onOutcome: (outcome: 'deployed' | 'undeployed' | 'failed') => void;
  hasNext: boolean;
  onNext: () => void;
}) {
  const engine = useEngine();
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  /** What the user asked for when `error` happened (busy is already cleared when the error shows). */
  const [failedAction, setFailedAction] = useState<'render' | 'diff' | 'apply' | 'undeploy'>('apply');
  const [busy, setBusy] = useState<string | null>(null);
  const [preview, setPreview] = useState<ResponseOf<'deploy:render'> | null>(null);
  /** The YAML of the preview before the current one, so a re-render shows what the parameter change did. */
  const [previousYaml, setPreviousYaml] = useState<string | null>(null);
  const [diff, setDiff] = useState<ResponseOf<'deploy:diff'> | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const unsubscribeRef = useRef<(() => void) | null>(null);
  useEffect(() => () => unsubscribeRef.current?.(), []);

  const localErrors = validateAll(template.parameters, values);
  const fieldNames = template.parameters.map((p) => p.name);
  const { byField, general } = causesByField(error, fieldNames);
  const namespaceValue = values.namespace;
  const namespace =
    typeof namespaceValue === 'string' && namespaceValue.trim() ? namespaceValue.trim() : fallbackNamespace;

  /** Validates locally first; returns the request or null (and shows every field problem). */
  function request() {
    setSubmitted(true);
    setError(null);
    if (Object.keys(localErrors).length > 0) return null;
    return { templateId: template.id, namespace, parameters: toParameterValues(template.parameters, values) };
  }

  async function renderYaml(): Promise<void> {
    const req = request();
    if (!req) return;
    setBusy('render');
    try {
      const rendered = await engine.call('deploy:render', req);
      setPreviousYaml(preview?.yaml ?? previousYaml);
      setPreview(rendered);
    } catch (e) {
      setFailedAction('render');
      setError(toEngineError(e));
    } finally {
      setBusy(null);
    }
  }

  async function showDiff(): Promise<void> {
    const req = request();
    if (!req || !context) return;
    setBusy('diff');
    try {
      setDiff(await engine.call('deploy:diff', { ...req, context }));
    } catch (e) {
      setFailedAction('diff');
      setError(toEngineError(e));
    } finally {
      setBusy(null);
    }
  }

  function start(kind: 'apply' | 'undeploy'): void {
    const req = request();
    if (!req || !context) return;
    setFailedAction(kind);
    setRun({ kind, objects: [], state: 'running', error: null });
    const handlers = {
      onEvent: (event: DeployEvent) => {
        setRun((previous) => {
          if (!previous) return previous;
          if (event.type === 'plan') {
            return {
              ...previous,
              objects: event.objects.map((ref) => ({ ref, phase: 'pending', result: null, error: null })),
            };
          }
          if (event.type === 'object') {
            const progress: ObjectProgress = {
              ref: event.ref,
              phase: event.phase,
              result: event.result,
              error: event.error ? toEngineError(event.error) : null,
            };
            const exists = previous.objects.some((o) => refKey(o.ref) === refKey(event.ref));
            return {
              ...previous,
              objects: exists
                ? previous.objects.map((o) => (refKey(o.ref) === refKey(event.ref) ? progress : o))
                : [...previous.objects, progress],
            };
          }
          const failure = event.error ? toEngineError(event.error) : null;
          if (failure) setError(failure);
          onOutcome(event.ok ? (kind === 'apply' ? 'deployed' : 'undeployed') : 'failed');
          return { ...previous, state: event.ok ? 'ok' : 'failed', error: failure };
        });
      },
      onError: (e: EngineError) => {
        setError(e);
        onOutcome('failed');
        setRun((previous) => (previous ? { ...previous, state: 'failed', error: e } : previous));
      },
      onEnd: () => {
        unsubscribeRef.current = null;
      },
    };
    unsubscribeRef.current =
      kind === 'apply'
        ? engine.subscribe('deploy:apply', { ...req, context }, handlers)
        : engine.subscribe('deploy:undeploy', { ...req, context }, handlers);
  }

  const running = run?.state === 'running';
  return (
    <div className="panel" data-testid={`deploy-step-${template.id}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{template.title}</h2>
        <Badge tone={template.kind === 'FC' ? 'info' : 'neutral'}>{template.kind}</Badge>
        <span className="muted">into namespace {namespace}</span>
      </div>
      <p className="muted">{template.description}</p>
      <form
        aria-label={`${template.title} parameters`}
        onSubmit={(event) => {
          // Enter in a field previews: a keystroke should never change the cluster, only the Deploy button does.
          event.preventDefault();
          void renderYaml();
        }}
      >
        <ParameterForm
          parameters={template.parameters}
          values={values}
          onChange={(name, value) => {
            onValue(name, value);
            if (preview) setPreviousYaml(preview.yaml);
            setPreview(null);
            setDiff(null);
          }}
          serverErrors={byField}
          showAllErrors={submitted}
        />
        {submitted && Object.keys(localErrors).length > 0 ? (
          <p role="alert" className="error" style={{ color: 'var(--bad)' }} data-testid="form-invalid">
            {Object.keys(localErrors).length} field(s) need attention before continuing.
          </p>
        ) : null}
        {error ? (
          <div data-testid="deploy-error">
            <ErrorState
              title={
                failedAction === 'undeploy'
                  ? 'Undeploy failed'
                  : failedAction === 'render'
                    ? 'Preview failed'
                    : failedAction === 'diff'
                      ? 'Diff failed'
                      : 'Deploy failed'
              }
              error={{ ...describeError(error), details: general }}
            />
          </div>
        ) : null}
        <div className="row" style={{ marginTop: 10 }}>
          {/* The form's submit button, so Enter in a field previews (implicit submission needs one). */}
          <button type="submit" className="btn" disabled={busy !== null || running}>
            {busy === 'render' ? 'Rendering…' : 'Preview YAML'}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!context || busy !== null || running}
            onClick={() => void showDiff()}
          >
            {busy === 'diff' ? 'Comparing…' : 'Diff with cluster'}
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="deploy-apply"
            disabled={!context || running}
            onClick={() => start('apply')}
          >
            {running && run?.kind === 'apply' ? 'Deploying…' : 'Deploy'}
          </button>
          <button
            type="button"
            className="btn danger"
            disabled={!context || running}
            onClick={() => start('undeploy')}
          >
            Undeploy
          </button>
          {run?.state === 'ok' && run.kind === 'apply' && hasNext ? (
            <button type="button" className="btn" onClick={onNext}>
              Next part →
            </button>
          ) : null}
        </div>
      </form>
      {run ? <RunProgress run={run} /> : null}
      {diff ? (
        <div style={{ marginTop: 12 }} data-testid="deploy-diff">
          <h3>Diff against the cluster</h3>
          {diff.objects.map((object) => (
            <div key={refKey(object.ref)} style={{ marginBottom: 8 }}>
              <div className="row">
                <strong>
                  {object.ref.kind}/{object.ref.name}
                </strong>
                <Badge tone={actionTone(object.action)}>{object.action}</Badge>
              </div>
              {object.diff ? <UnifiedDiff text={object.diff} /> : null}
            </div>
          ))}
        </div>
      ) : null}
      {preview ? (
        <div style={{ marginTop: 12 }} data-testid="deploy-preview">
          <h3>YAML ({preview.objects.length} objects, secret values masked)</h3>
          {previousYaml !== null && previousYaml !== preview.yaml ? (
            <YamlDiffView
              before={previousYaml}
              after={preview.yaml}
              label="Changes since the previous preview"
            />
          ) : (
            <pre className="yaml mono">{preview.yaml}</pre>
          )}
        </div>
      ) : null}
    </div>
  );
}

function actionTone(action: Phase): BadgeTone {
  if (action === 'create') return 'info';
  if (action === 'update') return 'warn';
  return 'neutral';
}

function phaseTone(phase: string): BadgeTone {
  if (phase === 'applied' || phase === 'deleted' || phase === 'absent') return 'ok';
  if (phase === 'failed') return 'bad';
  if (phase === 'pending') return 'neutral';
  return 'info';
}

function RunProgress({ run }: { run: Run }) {
  return (
    <div style={{ marginTop: 12 }} data-testid="deploy-progress" aria-live="polite">
      <h3>
        {run.kind === 'apply' ? 'Apply' : 'Undeploy'}:{' '}
        <Badge tone={run.state === 'ok' ? 'ok' : run.state === 'failed' ? 'bad' : 'info'}>
          {run.state === 'running' ? 'in progress' : run.state === 'ok' ? 'done' : 'failed'}
        </Badge>
      </h3>
      <ol className="stack">
        {run.objects.map((object) => (
          <li key={refKey(object.ref)} data-object={`${object.ref.kind}/${object.ref.name}`}>
            <span className="mono">
              {object.ref.kind}/{object.ref.name}
            </span>{' '}
            <Badge tone={phaseTone(object.phase)}>{object.phase}</Badge>
            {object.result ? <span className="muted"> {object.result}</span> : null}
            {object.error ? (
              <div style={{ color: 'var(--bad)' }}>
                {object.error.message}
                {object.error.fieldMessages.length > 0 ? ` (${object.error.fieldMessages.join('; ')})` : ''}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The engine's unified diff, coloured by line. */
function UnifiedDiff({ text }: { text: string }) {
  return (
    <pre className="diff mono">
      {text.split('\n').map((line, index) => (
        <span
          key={index}
          className={`line ${line.startsWith('+') && !line.startsWith('+++') ? 'added' : line.startsWith('-') && !line.startsWith('---') ? 'removed' : ''}`}
        >
          {line}
        </span>
      ))}
    </pre>
  );
}
