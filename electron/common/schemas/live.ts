// Live series: pods ready/pending/terminating and desired/actual scale per Knative Service, sampled from watches
// into ring buffers and pushed in batches.
import { z } from 'zod';
import { contextName, epochMs, k8sName } from './primitives';

export const liveSeriesParams = z.strictObject({
  context: contextName,
  namespace: k8sName,
  /** Only this Service when given; every Service of the namespace otherwise. */
  service: k8sName.optional(),
  sampleMs: z.number().int().min(250).max(60_000).default(1000),
  /** How many points of history the ring buffer keeps (and sends first). */
  capacity: z.number().int().min(10).max(36_000).default(600),
});

export const podCountPoint = z.object({
  at: epochMs,
  ready: z.number().int(),
  pending: z.number().int(),
  terminating: z.number().int(),
  /** PodAutoscaler desiredScale summed over the Service's revisions; null when no autoscaler reports one. */
  desired: z.number().int().nullable(),
  actual: z.number().int().nullable(),
});
export type PodCountPoint = z.infer<typeof podCountPoint>;

export const liveSeriesEvent = z.object({
  /** New points per Service (namespace/name) since the last event; the first event carries the history. */
  series: z.array(
    z.object({
      namespace: z.string(),
      service: z.string(),
      /**
       * What `ready` counts: pods (ECI), or the function's instances from the FC API for an FC-class Service, which
       * has no pods (pending/terminating are then 0; desired still comes from its PodAutoscaler).
       */
      workload: z.enum(['pods', 'fc-instances']).default('pods'),
      points: z.array(podCountPoint),
    }),
  ),
});
export type LiveSeriesEvent = z.infer<typeof liveSeriesEvent>;
