// Pure part of the playground's KIngress (see kingress-main.ts): a Knative `networking.internal.knative.dev/v1alpha1`
// Ingress spec → the routing it asks for, and the status a Knative networking layer writes back. It follows what
// net-kourier's translator and status manager do (knative-extensions/net-kourier pkg/generator, and
// knative.dev/networking pkg/apis/networking/v1alpha1 ingress_types.go / ingress_lifecycle.go):
// - a rule's hosts match the request's Host without port; `ClusterLocal` rules are served only by the internal
//   gateway, `ExternalIP` rules by both (as Kourier's internal listener carries every route);
// - paths are literal prefixes, tried in spec order; `headers` must match exactly;
// - a path's splits are weighted by percent; the path's and the chosen split's appendHeaders are set on the request
//   (Knative puts Knative-Serving-Revision/-Namespace there, which the activator and tags rely on); rewriteHost
//   replaces Host;
// - status: LoadBalancerReady, NetworkConfigured and Ready true at the observed generation, with the gateways'
//   cluster-local names as public/private load balancers (the Route reconciler makes its ExternalName Services
//   from privateLoadBalancer).

export interface HeaderMatch {
  exact: string;
}

export interface IngressBackendSplit {
  serviceNamespace: string;
  serviceName: string;
  servicePort: number | string;
  percent?: number;
  appendHeaders?: Record<string, string>;
}

export interface HttpIngressPath {
  path?: string;
  rewriteHost?: string;
  headers?: Record<string, HeaderMatch>;
  splits: IngressBackendSplit[];
  appendHeaders?: Record<string, string>;
}

export interface IngressRule {
  hosts?: string[];
  visibility?: 'ExternalIP' | 'ClusterLocal';
  http?: { paths: HttpIngressPath[] };
}

export interface KIngress {
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec: { rules?: IngressRule[] };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

export const INGRESS_CLASS_ANNOTATION = 'networking.knative.dev/ingress.class';

export type Gateway = 'public' | 'internal';

export interface Route {
  /** `<namespace>/<name>` of the KIngress it comes from. */
  readonly ingress: string;
  readonly hosts: ReadonlySet<string>;
  readonly gateways: ReadonlySet<Gateway>;
  readonly paths: readonly HttpIngressPath[];
}

export interface Chosen {
  split: IngressBackendSplit;
  /** Headers to set on the proxied request (path's, then split's). */
  headers: Record<string, string>;
  host: string | undefined;
}

export const hostOf = (header: string | undefined) => (header ?? '').replace(/:\d+$/, '').toLowerCase();

export function routesOf(ingress: KIngress): Route[] {
  const key = `${ingress.metadata.namespace}/${ingress.metadata.name}`;
  return (ingress.spec.rules ?? []).map((rule) => ({
    ingress: key,
    hosts: new Set((rule.hosts ?? []).map((host) => host.toLowerCase())),
    gateways: new Set<Gateway>(rule.visibility === 'ClusterLocal' ? ['internal'] : ['public', 'internal']),
    paths: rule.http?.paths ?? [],
  }));
}

/** The first rule/path (spec order) whose host, gateway, path prefix and headers match; then a split by weight. */
export function choose(
  routes: readonly Route[],
  request: { gateway: Gateway; host: string | undefined; path: string; headers: Record<string, unknown> },
  random: () => number = Math.random,
): Chosen | undefined {
  const host = hostOf(request.host);
  const pathname = request.path.split('?')[0] ?? '/';
  for (const route of routes) {
    if (!route.gateways.has(request.gateway) || !route.hosts.has(host)) continue;
    for (const path of route.paths) {
      if (path.path && !pathname.startsWith(path.path)) continue;
      const headersMatch = Object.entries(path.headers ?? {}).every(
        ([name, match]) => request.headers[name.toLowerCase()] === match.exact,
      );
      if (!headersMatch) continue;
      const split = pickSplit(path.splits, random);
      if (!split) continue;
      return {
        split,
        headers: { ...(path.appendHeaders ?? {}), ...(split.appendHeaders ?? {}) },
        host: path.rewriteHost,
      };
    }
  }
  return undefined;
}

function pickSplit(splits: readonly IngressBackendSplit[], random: () => number) {
  // A single split may omit percent (it then takes everything), as the API allows.
  if (splits.length === 1) return splits[0];
  const total = splits.reduce((sum, split) => sum + (split.percent ?? 0), 0);
  let roll = random() * total;
  for (const split of splits) {
    roll -= split.percent ?? 0;
    if (roll < 0) return split;
  }
  return splits.findLast((split) => (split.percent ?? 0) > 0);
}

/** The status a networking layer writes once it routes the Ingress (upstream's condition set, all true). */
export function readyStatus(
  ingress: KIngress,
  balancers: { public: string; internal: string },
  now: string,
): Record<string, unknown> {
  const previous = new Map((ingress.status?.conditions ?? []).map((c) => [c.type, c]));
  const condition = (type: string) => ({
    type,
    status: 'True',
    lastTransitionTime:
      previous.get(type)?.status === 'True' ? (previous.get(type)?.lastTransitionTime ?? now) : now,
  });
  return {
    observedGeneration: ingress.metadata.generation,
    conditions: [condition('LoadBalancerReady'), condition('NetworkConfigured'), condition('Ready')],
    publicLoadBalancer: { ingress: [{ domainInternal: balancers.public }] },
    privateLoadBalancer: { ingress: [{ domainInternal: balancers.internal }] },
  };
}

/** True when the status already says what readyStatus would (no write needed: no idle API writes). */
export function statusIsCurrent(ingress: KIngress, balancers: { public: string; internal: string }): boolean {
  const status = ingress.status as
    | (KIngress['status'] & {
        publicLoadBalancer?: { ingress?: { domainInternal?: string }[] };
        privateLoadBalancer?: { ingress?: { domainInternal?: string }[] };
      })
    | undefined;
  if (!status || status.observedGeneration !== ingress.metadata.generation) return false;
  const ready = ['LoadBalancerReady', 'NetworkConfigured', 'Ready'].every((type) =>
    status.conditions?.some((c) => c.type === type && c.status === 'True'),
  );
  return (
    ready &&
    status.publicLoadBalancer?.ingress?.[0]?.domainInternal === balancers.public &&
    status.privateLoadBalancer?.ingress?.[0]?.domainInternal === balancers.internal
  );
}

/** `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` (what cluster DNS answers for a Service). */
export function serviceOfHost(host: string): { name: string; namespace: string } | undefined {
  const labels = host.toLowerCase().split('.');
  const [name, namespace, ...rest] = labels;
  const suffix = rest.join('.');
  if (!name || !namespace || !['', 'svc', 'svc.cluster.local'].includes(suffix)) return undefined;
  return { name, namespace };
}
