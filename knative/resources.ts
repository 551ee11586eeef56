// The Kubernetes resources knative-desk reads and writes — group, version, plural and kind — written once for the
// engine (electron/backend), the playground and the templates (workloads/). Spellings are upstream's
// (knative.dev/serving pkg/apis/serving/v1, pkg/apis/autoscaling/v1alpha1; knative.dev/eventing-kafka-broker
// control-plane/pkg/apis/sources/v1). Part of the vocabulary module: imports nothing.

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
}

export const servingGroup = 'serving.knative.dev';
export const sourcesGroup = 'sources.knative.dev';

export const resources = {
  service: { group: servingGroup, version: 'v1', plural: 'services', kind: 'Service' },
  configuration: { group: servingGroup, version: 'v1', plural: 'configurations', kind: 'Configuration' },
  revision: { group: servingGroup, version: 'v1', plural: 'revisions', kind: 'Revision' },
  route: { group: servingGroup, version: 'v1', plural: 'routes', kind: 'Route' },
  podAutoscaler: {
    group: 'autoscaling.internal.knative.dev',
    version: 'v1alpha1',
    plural: 'podautoscalers',
    kind: 'PodAutoscaler',
  },
  kafkaSource: { group: sourcesGroup, version: 'v1', plural: 'kafkasources', kind: 'KafkaSource' },
  pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod' },
} as const satisfies Record<string, ResourceType>;

/** `serving.knative.dev/v1`; the core group is just `v1`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export const servingApiVersion = apiVersionOf(resources.service);
export const sourcesApiVersion = apiVersionOf(resources.kafkaSource);

/** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>` (core: `/api/v1/…`). */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
    : `${base}/${type.plural}`;
}
