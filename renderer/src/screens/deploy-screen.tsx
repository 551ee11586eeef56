// Deploy: the barrage demo's three parts in dependency order (processing → event-driven → HomePage). "Deploy all"
// runs the three in order with per-object progress; the per-part steps remain, each with the parameter form
// (inline validation, secret fields), the rendered YAML, a diff against the cluster, apply and undeploy. The
// defaults come from where the console is connected (the engine fills them: the playground's brokers and store, a
// topic and consumer group per namespace); only fields the user edited keep their own value when that changes.
// Engine errors that name a parameter are shown next to that field; the others above the buttons.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ResponseOf } from '../../../electron/common/contract';
import type { TemplateInfo } from '../../../electron/common/schemas/deploy';
import { useSession } from '../app/session';
import { Badge, type BadgeTone } from '../components/badge';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState } from '../components/state-views';
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
import { refKey, type PartOutcome } from './deploy/deploy-run';
import { NamespaceOffer } from './deploy/namespace-offer';
import { ProfilePicker, profilesRequest, useDeployProfiles } from './deploy/profile-picker';
import { ReadinessWait } from './deploy/readiness-wait';
import { RunProgress } from './deploy/run-progress';
import { useDeployRun, type PartRequest } from './deploy/use-deploy-run';
import { OperationStatus } from '../components/operation-status';

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

export function DeployScreen() {
  const { session } = useSession();
  const context = session.context;
  const namespace = session.namespace ?? 'default';
  const [chosenProfiles, setChosenProfiles] = useDeployProfiles(context);
  const profiles = profilesRequest(chosenProfiles);
  // The defaults depend on where the parts go and on the profiles in use, so the templates are asked for again
  // when either changes.
  const templates = useOperation(
    'deploy:templates',
    { ...(context ? { context } : {}), namespace, ...(profiles ? { profiles } : {}) },
    `templates:${context ?? ''}:${namespace}:${profiles?.kafka ?? ''}:${profiles?.fc ?? ''}`,
  );
  const ordered = useMemo(() => orderTemplates(templates.data?.templates ?? []), [templates.data]);
  const [stepId, setStepId] = useState<string | null>(null);
  /** Only what the user typed; every other field shows the current default. */
  const [edited, setEdited] = useState<FormValues>({});
  const [outcome, setOutcome] = useState<Record<string, PartOutcome | undefined>>({});
  const current = ordered.find((t) => t.id === stepId) ?? ordered[0];
  const values = useMemo(
    () =>
      initialFormValues(
        ordered.flatMap((t) => t.parameters),
        edited,
      ),
    [ordered, edited],
  );
  const titles = useMemo(() => Object.fromEntries(ordered.map((t) => [t.id, t.title])), [ordered]);

  function requestFor(part: string): PartRequest | null {
    const template = ordered.find((t) => t.id === part);
    if (!template || !context) return null;
    if (Object.keys(validateAll(template.parameters, values)).length > 0) return null;
    return {
      context,
      templateId: template.id,
      namespace,
      parameters: toParameterValues(template.parameters, values),
      ...(profiles ? { profiles } : {}),
    };
  }
  const all = useDeployRun(requestFor);
  const [allInvalid, setAllInvalid] = useState<string | null>(null);
  const outcomes = { ...outcome, ...(all.run?.outcomes ?? {}) };

  function deployAll(): void {
    const invalid = ordered.find((t) => Object.keys(validateAll(t.parameters, values)).length > 0);
    if (invalid) {
      setAllInvalid(invalid.title);
      setStepId(invalid.id);
      return;
    }
    setAllInvalid(null);
    all.start(
      'apply',
      ordered.map((t) => t.id),
    );
  }
  const allRunning = all.run?.state === 'running';

  return (
    <section>
      <ScreenHeader
        title="Deploy"
        subtitle="The barrage demo: all at once, or part by part in dependency order"
      />
      {!context ? (
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
      {context ? <NamespaceOffer context={context} namespace={namespace} /> : null}
      {context ? (
        // Outside the template panels: a remembered profile that was deleted since makes the templates fail to
        // load, and the picker must stay there to choose another.
        <ProfilePicker value={chosenProfiles} onChange={setChosenProfiles} disabled={allRunning} />
      ) : null}
      <OperationStatus operation={templates} loading="Loading templates…" failed="Could not load templates" />
      {templates.data && ordered.length === 0 ? <EmptyState title="The engine offers no templates" /> : null}
      {current ? (
        <>
          <div className="panel" data-testid="deploy-all-panel">
            <div className="row">
              <h2 style={{ margin: 0 }}>Deploy all three parts</h2>
              <span className="muted">into namespace {namespace}, with the values below</span>
            </div>
            <p className="muted">
              {ordered.map((t) => t.title).join(' → ')}. Each part is dry-run on the server before it is
              applied; a failure stops the run there and names the object.
            </p>
            {allInvalid ? (
              <p role="alert" style={{ color: 'var(--bad)' }} data-testid="deploy-all-invalid">
                {allInvalid} has fields that need attention (shown below).
              </p>
            ) : null}
            {all.run?.error ? (
              <div data-testid="deploy-all-error">
                <ErrorState title="Deploy all failed" error={describeError(all.run.error)} />
              </div>
            ) : null}
            <div className="row">
              <button
                type="button"
                className="btn primary"
                data-testid="deploy-all"
                disabled={!context || allRunning || !templates.data}
                onClick={deployAll}
              >
                {allRunning ? 'Deploying…' : `Deploy all ${ordered.length} parts`}
              </button>
            </div>
            {all.run ? <RunProgress run={all.run} titles={titles} testId="deploy-all-progress" /> : null}
            {all.run?.state === 'ok' && context ? (
              <ReadinessWait
                context={context}
                namespace={namespace}
                services={all.run.objects
                  .filter(
                    (o) => o.ref.kind === 'Service' && o.ref.apiVersion.startsWith('serving.knative.dev/'),
                  )
                  .map((o) => o.ref.name)}
              />
            ) : null}
          </div>
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
                    {outcomes[template.id] ? (
                      <Badge
                        tone={
                          outcomes[template.id] === 'deployed'
                            ? 'ok'
                            : outcomes[template.id] === 'failed'
                              ? 'bad'
                              : 'neutral'
                        }
                      >
                        {outcomes[template.id] as string}
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
            context={context}
            namespace={namespace}
            profiles={profiles}
            values={values}
            titles={titles}
            onValue={(name, value) => setEdited((previous) => ({ ...previous, [name]: value }))}
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
  namespace,
  profiles,
  values,
  titles,
  onValue,
  onOutcome,
  hasNext,
  onNext,
}: {
  template: TemplateInfo;
  context: string | null;
  namespace: string;
  profiles: { kafka?: string; fc?: string } | undefined;
  values: FormValues;
  titles: Readonly<Record<string, string>>;
  onValue: (name: string, value: string | boolean) => void;
  onOutcome: (outcome: PartOutcome) => void;
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

  const localErrors = validateAll(template.parameters, values);
  const fieldNames = template.parameters.map((p) => p.name);
  const runner = useDeployRun(() =>
    context
      ? {
          context,
          templateId: template.id,
          namespace,
          parameters: toParameterValues(template.parameters, values),
          ...(profiles ? { profiles } : {}),
        }
      : null,
  );
  const run = runner.run;
  const runError = run?.error ?? null;
  const shownError = error ?? runError;
  const { byField, general } = causesByField(shownError, fieldNames);
  const reported = run ? run.outcomes[template.id] : undefined;
  const onOutcomeRef = useRef(onOutcome);
  onOutcomeRef.current = onOutcome;
  // The steps' badges follow this part's outcome.
  useEffect(() => {
    if (reported) onOutcomeRef.current(reported);
  }, [reported, run]);

  /** Validates locally first; returns the request or null (and shows every field problem). */
  function request() {
    setSubmitted(true);
    setError(null);
    if (Object.keys(localErrors).length > 0) return null;
    return {
      templateId: template.id,
      namespace,
      parameters: toParameterValues(template.parameters, values),
      ...(profiles ? { profiles } : {}),
    };
  }

  async function renderYaml(): Promise<void> {
    const req = request();
    if (!req) return;
    setBusy('render');
    try {
      const rendered = await engine.call('deploy:render', { ...req, ...(context ? { context } : {}) });
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
    runner.start(kind, [template.id]);
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
        {shownError ? (
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
              error={{ ...describeError(shownError), details: general }}
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
      {run ? <RunProgress run={run} titles={titles} /> : null}
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
              {object.serverDefaults ? (
                <details data-testid="deploy-server-defaults">
                  <summary>Added by the server&apos;s dry run (defaults and admission webhooks)</summary>
                  <UnifiedDiff text={object.serverDefaults} />
                </details>
              ) : null}
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
