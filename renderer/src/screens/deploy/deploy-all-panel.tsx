// "Deploy all three parts": one button that runs every part in dependency order with the form values below, the
// run's per-object progress, and once it succeeded the wait for the Services to become Ready.
import type { TemplateInfo } from '../../../../electron/common/schemas/deploy';
import { ErrorState } from '../../components/state-views';
import { describeError } from '../../engine/engine-client';
import type { DeployRun } from './deploy-run';
import { ReadinessWait } from './readiness-wait';
import { RunProgress } from './run-progress';

/** The Knative Services a successful run created, for the readiness wait. */
export function knativeServicesOf(run: DeployRun): string[] {
  return run.objects
    .filter((o) => o.ref.kind === 'Service' && o.ref.apiVersion.startsWith('serving.knative.dev/'))
    .map((o) => o.ref.name);
}

export function DeployAllPanel({
  ordered,
  context,
  namespace,
  titles,
  run,
  invalidPart,
  canStart,
  onDeployAll,
}: {
  ordered: readonly TemplateInfo[];
  context: string | null;
  namespace: string;
  titles: Readonly<Record<string, string>>;
  run: DeployRun | null;
  /** The title of the first part whose fields need attention, when Deploy all was refused for it. */
  invalidPart: string | null;
  canStart: boolean;
  onDeployAll: () => void;
}) {
  const running = run?.state === 'running';
  return (
    <div className="panel" data-testid="deploy-all-panel">
      <div className="row">
        <h2 style={{ margin: 0 }}>Deploy all three parts</h2>
        <span className="muted">into namespace {namespace}, with the values below</span>
      </div>
      <p className="muted">
        {ordered.map((t) => t.title).join(' → ')}. Each part is dry-run on the server before it is applied; a
        failure stops the run there and names the object.
      </p>
      {invalidPart ? (
        <p role="alert" style={{ color: 'var(--bad)' }} data-testid="deploy-all-invalid">
          {invalidPart} has fields that need attention (shown below).
        </p>
      ) : null}
      {run?.error ? (
        <div data-testid="deploy-all-error">
          <ErrorState title="Deploy all failed" error={describeError(run.error)} />
        </div>
      ) : null}
      <div className="row">
        <button
          type="button"
          className="btn primary"
          data-testid="deploy-all"
          disabled={!canStart || running}
          onClick={onDeployAll}
        >
          {running ? 'Deploying…' : `Deploy all ${ordered.length} parts`}
        </button>
      </div>
      {run ? <RunProgress run={run} titles={titles} testId="deploy-all-progress" /> : null}
      {run?.state === 'ok' && context ? (
        <ReadinessWait context={context} namespace={namespace} services={knativeServicesOf(run)} />
      ) : null}
    </div>
  );
}
