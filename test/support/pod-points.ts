// A live:pods point for specs of the engine's series and of the Monitor: `ready` pods, as many desired and actual,
// none pending or terminating.
import type { PodCountPoint } from '../../electron/common/schemas/live';

export const podPoint = (at: number, ready: number): PodCountPoint => ({
  at,
  ready,
  pending: 0,
  terminating: 0,
  desired: ready,
  actual: ready,
});
