// The way every object-by-object run (deploy apply/undeploy, manage apply/import) reports a failed object: the
// object's own `failed` event, then the run's `done` event whose message names the object, so the UI can say
// which object stopped the run and why without reading the event list.
import type { DeployEvent } from '../../common/schemas/deploy';
import type { KubernetesObject } from '../../../workloads/templates/index';
import type { ObjectRef } from '../../common/schemas/primitives';
import { toEnvelope } from '../errors';

type ObjectPhase = Extract<DeployEvent, { type: 'object' }>['phase'];

/** Server bookkeeping in metadata that neither a diff nor an export should show. */
export const serverBookkeeping = [
  'managedFields',
  'resourceVersion',
  'generation',
  'uid',
  'creationTimestamp',
  'selfLink',
] as const;

export function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

/** Reports `error` for `ref` and ends the run. `stage` prefixes the message, e.g. "Dry run of ". */
export function emitObjectFailure(
  emit: (event: DeployEvent) => void,
  ref: ObjectRef,
  error: unknown,
  operation: string,
  stage = '',
): void {
  const envelope = toEnvelope(error, operation);
  emit({ type: 'object', ref, phase: 'failed', result: null, error: envelope });
  emit({
    type: 'done',
    ok: false,
    error: { ...envelope, message: `${stage}${ref.kind} ${ref.name}: ${envelope.message}` },
  });
}

/**
 * One pass of an object-by-object run: for each object in order, unless the run was aborted, announces `phase`
 * and runs `step`; a step that throws is reported with `failed` (emitObjectFailure's arguments) and ends the pass.
 * True when every object passed.
 */
export async function eachObject(
  objects: readonly KubernetesObject[],
  phase: ObjectPhase,
  emit: (event: DeployEvent) => void,
  signal: AbortSignal,
  step: (object: KubernetesObject, ref: ObjectRef) => Promise<void>,
  failed: { operation: string; stage?: string },
): Promise<boolean> {
  for (const object of objects) {
    if (signal.aborted) return false;
    const ref = refOf(object);
    emit({ type: 'object', ref, phase, result: null, error: null });
    try {
      await step(object, ref);
    } catch (error) {
      emitObjectFailure(emit, ref, error, failed.operation, failed.stage);
      return false;
    }
  }
  return true;
}
