// One part of the demo on the Deploy screen: its parameter form (inline validation, secret fields, engine errors
// next to the field they name), a YAML preview that shows what a parameter change did, a diff against the cluster,
// and Deploy/Undeploy of this part alone with per-object progress.
import { useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../../../electron/common/contract';
import type { TemplateInfo } from '../../../../electron/common/schemas/deploy';
import { Badge } from '../../components/badge';
import { ErrorState } from '../../components/state-views';
import { YamlDiffView } from '../../components/yaml-diff-view';
import { causesByField, describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine } from '../../engine/engine-context';
import { ParameterForm } from '../../forms/parameter-form';
import { toParameterValues, validateAll, type FormValues } from '../../forms/parameter-values';
import type { PartOutcome } from './deploy-run';
import { ObjectDiffList } from './object-diff-list';
import { RunProgress } from './run-progress';
import { useDeployRun } from './use-deploy-run';

type StepAction = 'render' | 'diff' | 'apply' | 'undeploy';

const failureTitle: Record<StepAction, string> = {
  render: 'Preview failed',
  diff: 'Diff failed',
  apply: 'Deploy failed',
  undeploy: 'Undeploy failed',
};

export function DeployStep({
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
  const [failedAction, setFailedAction] = useState<StepAction>('apply');
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
              title={failureTitle[failedAction]}
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
      {diff ? <ObjectDiffList diff={diff} /> : null}
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
