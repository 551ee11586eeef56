// The live:pods parameters of the Monitor, in one place: the barrage run follows the same series while it sends
// (the engine shares a series by its parameters), so the Monitor opened later draws the pods from the run's start.
import type { ParamsInput } from '../../../electron/common/contract';

/** Pod points the Monitor's series keeps and sends first: ten minutes at one a second. */
const monitorPodsCapacity = 600;

export function monitorPodsParams(context: string, namespace: string): ParamsInput<'live:pods'> {
  return { context, namespace, capacity: monitorPodsCapacity };
}
