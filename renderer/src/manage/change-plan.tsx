// The pieces every "preview → diff → apply" flow draws (the Service editor, the KafkaSource form, moving a sink):
// the server's refusal with its field messages, the planned objects with their diff against the cluster (or, on
// create, what the server's dry run adds), and the
// apply's per-object progress. One place, so every flow reads the same.
import type { DeployEvent } from '../../../electron/common/schemas/deploy';
import type { PlanResponse } from '../../../electron/common/schemas/manage';
import { Badge } from '../components/badge';
import { ErrorState } from '../components/state-views';
import { describeError, type EngineError } from '../engine/engine-client';
import { UnifiedDiff } from './unified-diff';

/** The dry run's refusal (nothing was written), with the causes mapped to fields listed. */
export function PlanRefusal({ plan }: { plan: PlanResponse | null }) {
  if (!plan?.error) return null;
  return (
    <ErrorState
      title="Refused; nothing was written"
      error={{
        message: plan.error.message,
        code: plan.error.code,
        details: Object.entries(plan.fieldErrors).map(([f, m]) => `${f}: ${m}`),
      }}
    />
  );
}

/** What applying would do, object by object: an update as a diff (live → after the dry run), a create as YAML. */
export function PlanPreview({ plan, mainKind }: { plan: PlanResponse | null; mainKind: string }) {
  if (!plan || plan.error) return null;
  return (
    <div className="panel" data-testid="editor-plan">
      <h2>Preview</h2>
      {plan.objects.map((object) => (
        <div key={`${object.ref.kind}/${object.ref.name}`} className="stack">
          <div>
            <Badge tone={object.action === 'unchanged' ? 'neutral' : 'info'}>{object.action}</Badge>{' '}
            {object.ref.kind} {object.ref.name}
          </div>
          {object.action === 'update' ? (
            <UnifiedDiff
              diff={object.diff}
              label={`${object.ref.kind} ${object.ref.name}, live → after the dry run`}
            />
          ) : (
            <>
              <details open={object.ref.kind === mainKind}>
                <summary>YAML</summary>
                <pre className="yaml mono">{object.yaml}</pre>
              </details>
              {object.serverDefaults ? (
                <div data-testid="editor-server-defaults">
                  <UnifiedDiff
                    diff={object.serverDefaults}
                    label={`${object.ref.kind} ${object.ref.name}, as sent → as the server's dry run stores it (defaults and admission webhooks)`}
                  />
                </div>
              ) : null}
            </>
          )}
        </div>
      ))}
    </div>
  );
}

export function ApplyProgress({ events }: { events: DeployEvent[] }) {
  if (events.length === 0) return null;
  const objects = new Map<string, Extract<DeployEvent, { type: 'object' }>>();
  for (const event of events)
    if (event.type === 'object') objects.set(`${event.ref.kind}/${event.ref.name}`, event);
  const done = events.find((event) => event.type === 'done');
  return (
    <div className="panel" data-testid="editor-progress" aria-live="polite">
      <h2>Apply</h2>
      <ul>
        {[...objects.entries()].map(([key, event]) => (
          <li key={key}>
            <Badge tone={event.phase === 'failed' ? 'bad' : event.phase === 'applied' ? 'ok' : 'warn'}>
              {event.phase}
            </Badge>{' '}
            {key}
            {event.result ? <span className="muted"> ({event.result})</span> : null}
          </li>
        ))}
      </ul>
      {done?.type === 'done' ? (
        done.ok ? (
          <p role="status" data-testid="editor-done">
            <Badge tone="ok">done</Badge> Applied.
          </p>
        ) : (
          <ErrorState
            title="Not applied; nothing was left half-done"
            error={{ message: done.error?.message ?? 'failed', code: done.error?.code }}
          />
        )
      ) : null}
    </div>
  );
}

/** Under a flow's buttons, in this order: why the last step failed, the server's refusal, the plan, the progress. */
export function ChangeOutcome({
  of: { error, plan, progress },
  failedTitle,
  mainKind,
}: {
  /** The flow's state (useSourceChange's, or the Service editor's own). */
  of: { error: EngineError | null | undefined; plan: PlanResponse | null; progress: DeployEvent[] };
  failedTitle: string;
  mainKind: string;
}) {
  return (
    <>
      {error ? <ErrorState title={failedTitle} error={describeError(error)} /> : null}
      <PlanRefusal plan={plan} />
      <PlanPreview plan={plan} mainKind={mainKind} />
      <ApplyProgress events={progress} />
    </>
  );
}
