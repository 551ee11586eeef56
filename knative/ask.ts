// Knative on ASK (Alibaba Cloud serverless Kubernetes): which Services run on Function Compute, and the FC names
// Alibaba's controller gives them — the service and the function are both `kn_<namespace>_<name>`. Part of the
// vocabulary module: imports nothing but its siblings.
import { annotations } from './keys';

export type WorkloadKind = 'ECI' | 'FC';

/** Just the part of a Kubernetes object this module reads. */
interface Annotated {
  metadata?: { annotations?: Readonly<Record<string, string>> | undefined } | undefined;
  spec?: unknown;
}

/** FC when the Service (or its revision template) carries `workload.serving.knative.aliyun.com/class: fc`. */
export function workloadKindOf(service: Annotated): WorkloadKind {
  const own = service.metadata?.annotations?.[annotations.workloadClass];
  const template = (service.spec as { template?: Annotated } | undefined)?.template?.metadata?.annotations?.[
    annotations.workloadClass
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

/**
 * The custom domain an FC-class revision asks for in `fc.revision.serving.knative.aliyun.com/domain`
 * (`{"domain": "...", "path": "/*"}`), lower-cased; undefined when absent or not valid JSON with a domain (FC would
 * refuse it).
 */
export function fcCustomDomainOf(raw: string | undefined): { domain: string; path: string } | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { domain?: unknown; path?: unknown };
    if (typeof parsed.domain === 'string' && parsed.domain) {
      return {
        domain: parsed.domain.toLowerCase(),
        path: typeof parsed.path === 'string' ? parsed.path : '/*',
      };
    }
  } catch {
    // Not JSON: no custom domain.
  }
  return undefined;
}
