// Knative-on-ASK specifics: which Services run on Function Compute, and the FC names Alibaba's controller gives them.
import type { KubeObject } from './kube-object';

export const WORKLOAD_CLASS_ANNOTATION = 'workload.serving.knative.aliyun.com/class';

/** FC when the Service (or its revision template) carries `workload.serving.knative.aliyun.com/class: fc`. */
export function workloadKindOf(service: KubeObject): 'ECI' | 'FC' {
  const own = service.metadata?.annotations?.[WORKLOAD_CLASS_ANNOTATION];
  const template = (service.spec?.template as KubeObject | undefined)?.metadata?.annotations?.[
    WORKLOAD_CLASS_ANNOTATION
  ];
  return (own ?? template)?.toLowerCase() === 'fc' ? 'FC' : 'ECI';
}

/** FC service and function are both `kn_<namespace>_<name>`. */
export function fcNameFor(namespace: string, name: string): string {
  return `kn_${namespace}_${name}`;
}

/** Inverse of fcNameFor; namespaces and names are RFC 1123 labels, so they contain no `_`. */
export function knativeNameFromFc(fcName: string): { namespace: string; name: string } | null {
  const match = /^kn_([a-z0-9-]+)_([a-z0-9-]+)$/.exec(fcName);
  return match ? { namespace: match[1]!, name: match[2]! } : null;
}
