// The Kubernetes resources the console reads, with what list/watch need (API path pieces and kind).
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export const resources = {
  service: { group: 'serving.knative.dev', version: 'v1', plural: 'services', kind: 'Service' },
  revision: { group: 'serving.knative.dev', version: 'v1', plural: 'revisions', kind: 'Revision' },
  route: { group: 'serving.knative.dev', version: 'v1', plural: 'routes', kind: 'Route' },
  podAutoscaler: {
    group: 'autoscaling.internal.knative.dev',
    version: 'v1alpha1',
    plural: 'podautoscalers',
    kind: 'PodAutoscaler',
  },
  kafkaSource: { group: 'sources.knative.dev', version: 'v1', plural: 'kafkasources', kind: 'KafkaSource' },
  pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod' },
} as const satisfies Record<string, ResourceType>;

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>` (core: `/api/v1/…`). */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`
    : `${base}/${type.plural}`;
}
