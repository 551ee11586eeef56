// Per-object progress of a deploy or undeploy run, grouped by part when the run covers several.
import { Badge, type BadgeTone } from '../../components/badge';
import { refKey, runSummary, type DeployRun } from './deploy-run';

function phaseTone(phase: string): BadgeTone {
  if (phase === 'applied' || phase === 'deleted' || phase === 'absent') return 'ok';
  if (phase === 'failed') return 'bad';
  if (phase === 'pending' || phase === 'skipped') return 'neutral';
  return 'info';
}

export function RunProgress({
  run,
  titles,
  testId = 'deploy-progress',
}: {
  run: DeployRun;
  /** Part id → its title. */
  titles: Readonly<Record<string, string>>;
  testId?: string;
}) {
  const grouped = run.parts.length > 1;
  return (
    <div style={{ marginTop: 12 }} data-testid={testId} aria-live="polite">
      <h3>
        {run.kind === 'apply' ? 'Apply' : 'Undeploy'}:{' '}
        <Badge tone={run.state === 'ok' ? 'ok' : run.state === 'failed' ? 'bad' : 'info'}>
          {run.state === 'running' ? 'in progress' : run.state === 'ok' ? 'done' : 'failed'}
        </Badge>{' '}
        <span className="muted" data-testid={`${testId}-summary`}>
          {runSummary(run)}
        </span>
      </h3>
      {run.parts.map((part, index) => {
        const objects = run.objects.filter((object) => object.part === part);
        const outcome = run.outcomes[part];
        const waiting = index > run.partIndex || (index === run.partIndex && run.state !== 'running');
        if (!grouped && objects.length === 0) return null;
        return (
          <div key={part} data-part={part}>
            {grouped ? (
              <h4 style={{ margin: '8px 0 4px' }}>
                {index + 1}. {titles[part] ?? part}{' '}
                <Badge tone={outcome === 'failed' ? 'bad' : outcome ? 'ok' : waiting ? 'neutral' : 'info'}>
                  {outcome ?? (waiting ? 'waiting' : 'in progress')}
                </Badge>
              </h4>
            ) : null}
            <ol className="stack">
              {objects.map((object) => (
                <li key={refKey(object.ref)} data-object={`${object.ref.kind}/${object.ref.name}`}>
                  <span className="mono">
                    {object.ref.kind}/{object.ref.name}
                  </span>{' '}
                  <Badge tone={phaseTone(object.phase)}>{object.phase}</Badge>
                  {object.result === 'not-managed' ? (
                    <span className="muted">
                      {' '}
                      left in place: it was not made by knative-desk (no
                      app.kubernetes.io/managed-by=knative-desk label)
                    </span>
                  ) : object.result ? (
                    <span className="muted"> {object.result}</span>
                  ) : null}
                  {object.error ? (
                    <div style={{ color: 'var(--bad)' }}>
                      {object.error.message}
                      {object.error.fieldMessages.length > 0
                        ? ` (${object.error.fieldMessages.join('; ')})`
                        : ''}
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          </div>
        );
      })}
    </div>
  );
}
