// A deploy or undeploy run as the Deploy screen shows it: a pure reducer over the engine's DeployEvents, for one
// part or for several parts in order ("Deploy all"). The screen subscribes to the part at `partIndex`; a part's
// successful `done` moves the run to the next part, a failure stops it there (nothing after a failed object is
// applied, as in the engine). Kept free of React so every transition has a unit spec.
import type { DeployEvent } from '../../../../electron/common/schemas/deploy';
import type { ObjectRef } from '../../../../electron/common/schemas/primitives';
import { toEngineError, type EngineError } from '../../engine/engine-client';

export interface ObjectProgress {
  /** The template part the object belongs to. */
  part: string;
  ref: ObjectRef;
  phase: string;
  result: string | null;
  error: EngineError | null;
}

export type RunKind = 'apply' | 'undeploy';
export type PartOutcome = 'deployed' | 'undeployed' | 'failed';

export interface DeployRun {
  kind: RunKind;
  /** Template ids in the order they run. */
  parts: readonly string[];
  /** The part being run now (== parts.length once every part is done). */
  partIndex: number;
  objects: readonly ObjectProgress[];
  state: 'running' | 'ok' | 'failed';
  error: EngineError | null;
  /** What became of each part that finished. */
  outcomes: Readonly<Record<string, PartOutcome>>;
}

export type DeployRunAction =
  | { type: 'start'; kind: RunKind; parts: readonly string[] }
  | { type: 'event'; event: DeployEvent }
  | { type: 'error'; error: EngineError };

export const refKey = (ref: ObjectRef): string => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

export function startRun(kind: RunKind, parts: readonly string[]): DeployRun {
  return { kind, parts, partIndex: 0, objects: [], state: 'running', error: null, outcomes: {} };
}

/** The part the screen should be subscribed to, or null when the run is over. */
export function currentPart(run: DeployRun | null): string | null {
  if (!run || run.state !== 'running') return null;
  return run.parts[run.partIndex] ?? null;
}

export function deployRunReducer(run: DeployRun | null, action: DeployRunAction): DeployRun | null {
  if (action.type === 'start') return startRun(action.kind, action.parts);
  if (!run || run.state !== 'running') return run;
  const part = run.parts[run.partIndex] ?? '';
  if (action.type === 'error') {
    return { ...run, state: 'failed', error: action.error, outcomes: { ...run.outcomes, [part]: 'failed' } };
  }
  const event = action.event;
  if (event.type === 'plan') {
    // A part's plan replaces whatever that part had listed, after the earlier parts' objects.
    const others = run.objects.filter((object) => object.part !== part);
    const planned = event.objects.map((ref) => ({ part, ref, phase: 'pending', result: null, error: null }));
    return { ...run, objects: [...others, ...planned] };
  }
  if (event.type === 'object') {
    const progress: ObjectProgress = {
      part,
      ref: event.ref,
      phase: event.phase,
      result: event.result,
      error: event.error ? toEngineError(event.error) : null,
    };
    const key = refKey(event.ref);
    const exists = run.objects.some((object) => object.part === part && refKey(object.ref) === key);
    return {
      ...run,
      objects: exists
        ? run.objects.map((object) =>
            object.part === part && refKey(object.ref) === key ? progress : object,
          )
        : [...run.objects, progress],
    };
  }
  if (!event.ok) {
    const error = event.error ? toEngineError(event.error) : null;
    return { ...run, state: 'failed', error, outcomes: { ...run.outcomes, [part]: 'failed' } };
  }
  const outcomes = { ...run.outcomes, [part]: run.kind === 'apply' ? 'deployed' : 'undeployed' } as const;
  const partIndex = run.partIndex + 1;
  return { ...run, partIndex, outcomes, state: partIndex >= run.parts.length ? 'ok' : 'running' };
}

/** One line for the run's heading: "2 of 3 parts, 5 of 8 objects applied" (and how many were left in place). */
export function runSummary(run: DeployRun): string {
  const finished = run.objects.filter((object) =>
    ['applied', 'deleted', 'absent'].includes(object.phase),
  ).length;
  const skipped = run.objects.filter((object) => object.phase === 'skipped').length;
  const verb = run.kind === 'apply' ? 'applied' : 'removed';
  const partsDone = Object.values(run.outcomes).filter((outcome) => outcome !== 'failed').length;
  const parts = run.parts.length > 1 ? `${partsDone} of ${run.parts.length} parts, ` : '';
  // An undeploy skips objects it did not make; an apply skips only a step it could not do (a topic the console
  // could not reach the brokers to create), its reason shown on the object.
  const left =
    skipped === 0
      ? ''
      : run.kind === 'undeploy'
        ? `, ${skipped} not managed by knative-desk left in place`
        : `, ${skipped} skipped`;
  return `${parts}${finished} of ${run.objects.length} objects ${verb}${left}`;
}
