// Workloads: kn-style rows for Knative Services, their details, and the watch stream that keeps a list current.
import { z } from 'zod';
import { errorEnvelope } from '../errors';
import { conditionStatus, contextName, isoTime, k8sName, workloadKind } from './primitives';

export const trafficTarget = z.object({
  revisionName: z.string().nullable(),
  latestRevision: z.boolean(),
  percent: z.number().min(0).max(100),
  tag: z.string().nullable(),
  url: z.string().nullable(),
});
export type TrafficTarget = z.infer<typeof trafficTarget>;

/** One row of `kn service list`, plus the ECI/FC class. */
export const workloadRow = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  kind: workloadKind,
  url: z.string().nullable(),
  ready: conditionStatus,
  /** Ready condition reason and message when not True (e.g. RevisionMissing, "Configuration … does not have…"). */
  reason: z.string().nullable(),
  message: z.string().nullable(),
  latestCreatedRevision: z.string().nullable(),
  latestReadyRevision: z.string().nullable(),
  traffic: z.array(trafficTarget),
  /** Creation time; the UI shows the age with `formatAge` from electron/common/format so it keeps ticking. */
  createdAt: isoTime,
  generation: z.number().int().nullable(),
  observedGeneration: z.number().int().nullable(),
});
export type WorkloadRow = z.infer<typeof workloadRow>;

export const workloadsListRequest = z.strictObject({
  context: contextName,
  /** All namespaces the context may list when absent. */
  namespace: k8sName.optional(),
});
export const workloadsListResponse = z.object({ rows: z.array(workloadRow) });

export const workloadsWatchEvent = z.discriminatedUnion('type', [
  /** The full list: sent first and again after every re-list (after 410 Gone or a reconnect). */
  z.object({ type: z.literal('snapshot'), rows: z.array(workloadRow) }),
  z.object({ type: z.literal('upsert'), row: workloadRow }),
  z.object({ type: z.literal('delete'), namespace: z.string(), name: z.string() }),
  /** Connection state of the watch, so the UI can show "reconnecting (attempt 3)…". */
  z.object({
    type: z.literal('status'),
    state: z.enum(['live', 'reconnecting']),
    attempt: z.number().int(),
    error: errorEnvelope.nullable(),
  }),
]);
export type WorkloadsWatchEvent = z.infer<typeof workloadsWatchEvent>;

export const workloadGetRequest = z.strictObject({ context: contextName, namespace: k8sName, name: k8sName });

export const revisionInfo = z.object({
  name: z.string(),
  createdAt: isoTime,
  ready: conditionStatus,
  reason: z.string().nullable(),
  image: z.string().nullable(),
  containerConcurrency: z.number().int().nullable(),
  minScale: z.number().int().nullable(),
  maxScale: z.number().int().nullable(),
  /** Percent of traffic the Service sends here (sum over targets naming it). */
  trafficPercent: z.number(),
  actualReplicas: z.number().int().nullable(),
  desiredReplicas: z.number().int().nullable(),
});

export const podPhase = z.enum(['ready', 'pending', 'terminating', 'failed', 'succeeded']);
export const podInfo = z.object({
  name: z.string(),
  revision: z.string().nullable(),
  /** Console view of the pod: terminating (deletionTimestamp set) wins over phase. */
  state: podPhase,
  phase: z.string().nullable(),
  restarts: z.number().int(),
  nodeName: z.string().nullable(),
  podIP: z.string().nullable(),
  createdAt: isoTime,
});

export const routeInfo = z.object({
  name: z.string(),
  url: z.string().nullable(),
  ready: conditionStatus,
  traffic: z.array(trafficTarget),
});

export const podAutoscalerInfo = z.object({
  name: z.string(),
  revision: z.string().nullable(),
  desiredScale: z.number().int().nullable(),
  actualScale: z.number().int().nullable(),
  ready: conditionStatus,
  reason: z.string().nullable(),
});

export const kafkaSourceInfo = z.object({
  name: z.string(),
  namespace: z.string(),
  topics: z.array(z.string()),
  bootstrapServers: z.array(z.string()),
  consumerGroup: z.string().nullable(),
  initialOffset: z.string().nullable(),
  /** `Service/<name>` for a ref sink, or the URI. */
  sink: z.string().nullable(),
  ready: conditionStatus,
  reason: z.string().nullable(),
  /** The Ready condition's message when not True (e.g. a refused SASL login, a topic that does not exist). */
  message: z.string().nullable().optional(),
});
export type KafkaSourceInfo = z.infer<typeof kafkaSourceInfo>;

/** The FC side of an FC-class Service: `kn_<namespace>_<name>` and what the profile found there. */
export const fcLink = z.object({
  serviceName: z.string(),
  functionName: z.string(),
  /** FC profile used for the lookup; null when no profile exists (then `found` is null). */
  profileId: z.string().nullable(),
  found: z.boolean().nullable(),
  customDomains: z.array(z.string()),
  /** Instances FC runs for the function (ListInstances), where an ECI Service has pods; null when unknown. */
  instances: z.number().int().nullable().default(null),
  error: errorEnvelope.nullable(),
});

export const workloadDetails = z.object({
  row: workloadRow,
  revisions: z.array(revisionInfo),
  pods: z.array(podInfo),
  routes: z.array(routeInfo),
  podAutoscalers: z.array(podAutoscalerInfo),
  /** KafkaSources in the namespace whose sink is this Service. */
  kafkaSources: z.array(kafkaSourceInfo),
  fc: fcLink.nullable(),
  /** The Service as YAML (managedFields removed). */
  yaml: z.string(),
});
export type WorkloadDetails = z.infer<typeof workloadDetails>;

export const kafkaSourcesListRequest = z.strictObject({
  context: contextName,
  namespace: k8sName.optional(),
});
export const kafkaSourcesListResponse = z.object({ sources: z.array(kafkaSourceInfo) });
