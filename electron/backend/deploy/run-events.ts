// The way every object-by-object run (deploy apply/undeploy, manage apply/import) reports a failed object: the
// object's own `failed` event, then the run's `done` event whose message names the object, so the UI can say
// which object stopped the run and why without reading the event list.
import type { DeployEvent } from '../../common/schemas/deploy';
import type { ObjectRef } from '../../common/schemas/primitives';
import { toEnvelope } from '../errors';

/** Server bookkeeping in metadata that neither a diff nor an export should show. */
export const serverBookkeeping = [
  'managedFields',
  'resourceVersion',
  'generation',
  'uid',
  'creationTimestamp',
  'selfLink',
] as const;

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
