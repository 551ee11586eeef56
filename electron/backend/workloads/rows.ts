// Knative objects → the contract's kn-style rows and detail records (pure functions, unit-tested).
import type { TrafficTarget, WorkloadRow, KafkaSourceInfo } from '../../common/schemas/workloads';
import type { z } from 'zod';
import type { podInfo, podAutoscalerInfo, revisionInfo, routeInfo } from '../../common/schemas/workloads';
import { workloadKindOf } from '../../../knative/ask';
import { annotations, labels, spellingsOf } from '../../../knative/keys';
import {
  arrayOf,
  conditionOf,
  conditionStatus,
  intOrNull,
  isoOf,
  recordOf,
  stringOrNull,
} from './kube-object';
import type { KubeObject } from './kube-object';

export function trafficOf(value: unknown): TrafficTarget[] {
  return arrayOf(value).map((entry) => {
    const target = recordOf(entry);
    return {
      revisionName: stringOrNull(target.revisionName),
      latestRevision: target.latestRevision === true,
      percent: typeof target.percent === 'number' ? Math.min(100, Math.max(0, target.percent)) : 0,
      tag: stringOrNull(target.tag),
      url: stringOrNull(target.url),
    };
  });
}

export function serviceRow(service: KubeObject): WorkloadRow {
  const ready = conditionOf(service);
  const status = service.status ?? {};
  const readyStatus = conditionStatus(ready);
  return {
    uid: service.metadata?.uid ?? '',
    name: service.metadata?.name ?? '',
    namespace: service.metadata?.namespace ?? '',
    kind: workloadKindOf(service),
    url: stringOrNull(status.url),
    ready: readyStatus,
    reason: readyStatus === 'True' ? null : stringOrNull(ready?.reason),
    message: readyStatus === 'True' ? null : stringOrNull(ready?.message),
    latestCreatedRevision: stringOrNull(status.latestCreatedRevisionName),
    latestReadyRevision: stringOrNull(status.latestReadyRevisionName),
    // kn shows status.traffic (what is in effect); before the controller reports it, spec.traffic is what was asked.
    traffic: trafficOf(status.traffic ?? service.spec?.traffic),
    createdAt: isoOf(service.metadata?.creationTimestamp),
    generation: intOrNull(service.metadata?.generation),
    observedGeneration: intOrNull(status.observedGeneration),
  };
}

const MIN_SCALE = spellingsOf(annotations.minScale);
const MAX_SCALE = spellingsOf(annotations.maxScale);

function annotationInt(object: KubeObject, names: string[]): number | null {
  for (const name of names) {
    const value = intOrNull(object.metadata?.annotations?.[name]);
    if (value !== null) return value;
  }
  return null;
}

export function revisionRow(
  revision: KubeObject,
  traffic: TrafficTarget[],
  latestReady: string | null,
): z.infer<typeof revisionInfo> {
  const name = revision.metadata?.name ?? '';
  const ready = conditionOf(revision);
  const containers = arrayOf(revision.spec?.containers);
  const trafficPercent = traffic
    .filter((target) => target.revisionName === name || (target.latestRevision && latestReady === name))
    .reduce((sum, target) => sum + target.percent, 0);
  return {
    name,
    createdAt: isoOf(revision.metadata?.creationTimestamp),
    ready: conditionStatus(ready),
    reason: stringOrNull(ready?.reason),
    image: stringOrNull(recordOf(containers[0]).image),
    containerConcurrency: intOrNull(revision.spec?.containerConcurrency),
    minScale: annotationInt(revision, MIN_SCALE),
    maxScale: annotationInt(revision, MAX_SCALE),
    trafficPercent,
    actualReplicas: intOrNull(revision.status?.actualReplicas),
    desiredReplicas: intOrNull(revision.status?.desiredReplicas),
  };
}

export type PodState = 'ready' | 'pending' | 'terminating' | 'failed' | 'succeeded';

/** Terminating (deletionTimestamp set) wins; then Ready condition True = ready; Failed/Succeeded; else pending. */
export function podState(pod: KubeObject): PodState {
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  const phase = pod.status?.phase;
  if (phase === 'Failed') return 'failed';
  if (phase === 'Succeeded') return 'succeeded';
  if (phase === 'Running' && conditionOf(pod)?.status === 'True') return 'ready';
  return 'pending';
}

export function podRow(pod: KubeObject): z.infer<typeof podInfo> {
  const statuses = arrayOf(pod.status?.containerStatuses).map(recordOf);
  return {
    name: pod.metadata?.name ?? '',
    revision: pod.metadata?.labels?.[labels.revision] ?? null,
    state: podState(pod),
    phase: stringOrNull(pod.status?.phase),
    restarts: statuses.reduce((sum, status) => sum + (intOrNull(status.restartCount) ?? 0), 0),
    nodeName: stringOrNull(pod.spec?.nodeName),
    podIP: stringOrNull(pod.status?.podIP),
    createdAt: isoOf(pod.metadata?.creationTimestamp),
  };
}

export function routeRow(route: KubeObject): z.infer<typeof routeInfo> {
  return {
    name: route.metadata?.name ?? '',
    url: stringOrNull(route.status?.url),
    ready: conditionStatus(conditionOf(route)),
    traffic: trafficOf(route.status?.traffic ?? route.spec?.traffic),
  };
}

export function podAutoscalerRow(pa: KubeObject): z.infer<typeof podAutoscalerInfo> {
  const ready = conditionOf(pa);
  return {
    name: pa.metadata?.name ?? '',
    revision: pa.metadata?.labels?.[labels.revision] ?? pa.metadata?.name ?? null,
    desiredScale: intOrNull(pa.status?.desiredScale),
    actualScale: intOrNull(pa.status?.actualScale),
    ready: conditionStatus(ready),
    reason: stringOrNull(ready?.reason),
  };
}

export function kafkaSourceRow(source: KubeObject): KafkaSourceInfo {
  const spec = source.spec ?? {};
  const sink = recordOf(spec.sink);
  const ref = recordOf(sink.ref);
  const ready = conditionOf(source);
  const strings = (value: unknown) =>
    arrayOf(value).filter((item): item is string => typeof item === 'string');
  return {
    name: source.metadata?.name ?? '',
    namespace: source.metadata?.namespace ?? '',
    topics: strings(spec.topics),
    bootstrapServers: strings(spec.bootstrapServers),
    consumerGroup: stringOrNull(spec.consumerGroup),
    initialOffset: stringOrNull(spec.initialOffset),
    sink:
      typeof ref.name === 'string'
        ? `${typeof ref.kind === 'string' ? ref.kind : 'Service'}/${ref.name}`
        : stringOrNull(sink.uri),
    ready: conditionStatus(ready),
    reason: stringOrNull(ready?.reason),
    message: ready?.status === 'True' ? null : stringOrNull(ready?.message),
  };
}
