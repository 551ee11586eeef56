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
//   from privateLoadBalancer);
// - only Ingresses whose class annotation names our class exactly are ours (net-kourier's class filter does not
//   take an Ingress without the annotation);
// - the probe contract (knative.dev/networking pkg/ingress InsertProbe): before each path a copy of it that
//   matches `K-Network-Hash: override` and sets `K-Network-Hash` to the Ingress's hash, sha256 of Go's JSON of the
//   spec followed by namespace and name (ComputeHash), so a prober learns which version of the Ingress answered;
// - TLS: `spec.tls` names, per host, the Secret (`tls.crt`/`tls.key`) the gateway's TLS listener serves for that SNI
//   name; with `httpOption: Redirected`, plain-HTTP requests to an ExternalIP rule's host on the public gateway get
//   301 to https (net-kourier's external listener redirects; its internal listener does not).
import { createHash } from 'node:crypto';

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

export interface IngressTls {
  hosts?: string[];
  secretName?: string;
  secretNamespace?: string;
}

export interface KIngress {
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec: { tls?: IngressTls[]; rules?: IngressRule[]; httpOption?: string };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

export const INGRESS_CLASS_ANNOTATION = 'networking.knative.dev/ingress.class';
export const HASH_HEADER = 'K-Network-Hash';
export const HASH_OVERRIDE = 'override';

/** True when the Ingress names `ingressClass` exactly; one without the annotation belongs to no one of ours. */
export const isOfClass = (ingress: KIngress, ingressClass: string) =>
  ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] === ingressClass;

/** A string as Go's encoding/json writes it: HTML-safe (<, >, & escaped) and U+2028/U+2029 escaped. */
function goString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A JSON object with fields in the given order, leaving out those that are undefined (Go's omitempty). */
function goObject(fields: [string, string | undefined][]): string {
  const present = fields.filter((field): field is [string, string] => field[1] !== undefined);
  return `{${present.map(([key, value]) => `${goString(key)}:${value}`).join(',')}}`;
}

const omitEmptyString = (value: string | undefined) => (value ? goString(value) : undefined);
const goArray = <T>(items: readonly T[] | undefined, each: (item: T) => string) =>
  items ? `[${items.map(each).join(',')}]` : 'null';
const omitEmptyArray = <T>(items: readonly T[] | undefined, each: (item: T) => string) =>
  items?.length ? goArray(items, each) : undefined;
/** A map[string]X as Go writes it: keys sorted; empty or absent left out (omitempty). */
function omitEmptyMap<T>(map: Record<string, T> | undefined, each: (value: T) => string) {
  const keys = Object.keys(map ?? {}).sort();
  if (!map || keys.length === 0) return undefined;
  return goObject(keys.map((key) => [key, each(map[key] as T)]));
}

/** json.Marshal of a v1alpha1.IngressSpec: its fields in Go declaration order with their omitempty rules. */
export function goJsonOfSpec(spec: KIngress['spec']): string {
  const split = (s: IngressBackendSplit) =>
    goObject([
      ['serviceNamespace', goString(s.serviceNamespace)],
      ['serviceName', goString(s.serviceName)],
      ['servicePort', typeof s.servicePort === 'number' ? String(s.servicePort) : goString(s.servicePort)],
      ['percent', s.percent ? String(s.percent) : undefined],
      ['appendHeaders', omitEmptyMap(s.appendHeaders, goString)],
    ]);
  const path = (p: HttpIngressPath) =>
    goObject([
      ['path', omitEmptyString(p.path)],
      ['rewriteHost', omitEmptyString(p.rewriteHost)],
      ['headers', omitEmptyMap(p.headers, (match) => goObject([['exact', goString(match.exact)]]))],
      ['splits', goArray(p.splits, split)],
      ['appendHeaders', omitEmptyMap(p.appendHeaders, goString)],
    ]);
  const rule = (r: IngressRule) =>
    goObject([
      ['hosts', omitEmptyArray(r.hosts, goString)],
      ['visibility', omitEmptyString(r.visibility)],
      ['http', r.http ? goObject([['paths', goArray(r.http.paths, path)]]) : undefined],
    ]);
  const tls = (t: IngressTls) =>
    goObject([
      ['hosts', omitEmptyArray(t.hosts, goString)],
      ['secretName', omitEmptyString(t.secretName)],
      ['secretNamespace', omitEmptyString(t.secretNamespace)],
    ]);
  return goObject([
    ['tls', omitEmptyArray(spec.tls, tls)],
    ['rules', omitEmptyArray(spec.rules, rule)],
    ['httpOption', omitEmptyString(spec.httpOption)],
  ]);
}

/** knative.dev/networking's ComputeHash, hex: sha256 of the spec's JSON, then namespace, then name. */
export function ingressHash(ingress: KIngress): string {
  return createHash('sha256')
    .update(goJsonOfSpec(ingress.spec))
    .update(ingress.metadata.namespace)
    .update(ingress.metadata.name)
    .digest('hex');
}

/** InsertProbe: before the paths, a copy of each that answers a probe with the Ingress's hash. */
function withProbePaths(paths: readonly HttpIngressPath[], hash: string): HttpIngressPath[] {
  const probes = paths.map((path) => ({
    ...path,
    headers: { ...path.headers, [HASH_HEADER]: { exact: HASH_OVERRIDE } },
    appendHeaders: { ...path.appendHeaders, [HASH_HEADER]: hash },
  }));
  return [...probes, ...paths];
}

export type Gateway = 'public' | 'internal';

export interface Route {
  /** `<namespace>/<name>` of the KIngress it comes from. */
  readonly ingress: string;
  readonly hosts: ReadonlySet<string>;
  readonly gateways: ReadonlySet<Gateway>;
  readonly paths: readonly HttpIngressPath[];
  /** Plain HTTP on the public gateway is redirected to https (`httpOption: Redirected`, ExternalIP rules). */
  readonly redirectToHttps: boolean;
}

export interface Chosen {
  split: IngressBackendSplit;
  redirectToHttps: boolean;
  /** Headers to set on the proxied request (path's, then split's). */
  headers: Record<string, string>;
  host: string | undefined;
}

export const hostOf = (header: string | undefined) => (header ?? '').replace(/:\d+$/, '').toLowerCase();

export function routesOf(ingress: KIngress): Route[] {
  const key = `${ingress.metadata.namespace}/${ingress.metadata.name}`;
  const hash = ingressHash(ingress);
  return (ingress.spec.rules ?? []).map((rule) => ({
    ingress: key,
    hosts: new Set((rule.hosts ?? []).map((host) => host.toLowerCase())),
    gateways: new Set<Gateway>(rule.visibility === 'ClusterLocal' ? ['internal'] : ['public', 'internal']),
    paths: withProbePaths(rule.http?.paths ?? [], hash),
    redirectToHttps: ingress.spec.httpOption === 'Redirected' && rule.visibility !== 'ClusterLocal',
  }));
}

/** What the gateways serve: the routes of the Ingresses of `ingressClass`, and the TLS Secret for each host. */
export function routingOf(
  ingresses: readonly KIngress[],
  ingressClass: string,
): { routes: Route[]; certificates: Map<string, { namespace: string; name: string }> } {
  const ours = ingresses.filter((ingress) => isOfClass(ingress, ingressClass));
  return { routes: ours.flatMap(routesOf), certificates: tlsSecretsByHost(ours) };
}

/** Host → the Secret whose certificate the TLS listener serves for it (first entry wins, in spec order). */
function tlsSecretsByHost(ingresses: readonly KIngress[]): Map<string, { namespace: string; name: string }> {
  const byHost = new Map<string, { namespace: string; name: string }>();
  for (const ingress of ingresses) {
    for (const entry of ingress.spec.tls ?? []) {
      if (!entry.secretName) continue;
      const secret = {
        namespace: entry.secretNamespace ?? ingress.metadata.namespace,
        name: entry.secretName,
      };
      for (const host of entry.hosts ?? []) {
        if (!byHost.has(host.toLowerCase())) byHost.set(host.toLowerCase(), secret);
      }
    }
  }
  return byHost;
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
        redirectToHttps: route.redirectToHttps,
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
