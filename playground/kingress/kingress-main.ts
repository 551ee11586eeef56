// The playground's KIngress: our implementation of Knative's `networking.internal.knative.dev` Ingress for the
// class `kdesk.ingress.networking.knative.dev` (config-network `ingress-class`, set by parts/upstream-serving.ts).
// It stands in for a Knative networking layer such as net-kourier (Envoy + its control plane), which cannot run
// here; it follows net-kourier's translation and status (see kingress-routes.ts for the rules). Started as
// `node <bundle of playground/kingress/kingress-main.ts> <dir>/state.json` (parts/node-script.ts); it
// - watches KIngresses of its class, Services and Endpoints (informers: no polling, no idle API writes);
// - serves two gateways on 127.0.0.1: public (ExternalIP rules) and internal (every rule), reverse-proxying each
//   request to a ready endpoint of the split's Service, resolving the Service port to the endpoint port by name as
//   kube-proxy would (there is no kube-proxy here) — so traffic reaches the activator or the pods' queue-proxy
//   exactly as Knative's SKS programs the revision's public Service; each gateway port speaks HTTP/1.1 and h2c,
//   to backends in the protocol their port asks for, and joins WebSocket upgrades (gateway-server.ts); the public
//   gateway on the load-balancer address also listens on 443 with TLS, serving the certificates `spec.tls` names,
//   and pods reach the internal gateway as `kdesk-gateway-internal` (see publishGateways);
// - writes the Ingress status once per generation (LoadBalancerReady, NetworkConfigured, Ready, load balancers);
// - writes `<dir>/runtime.json` `{pid, ingress, ingressPublic, serviceProxy}` as its readiness signal, and removes it
//   on SIGTERM. `ingress`, the address `up --json` publishes and the console sends requests to with the Service's
//   Host, is the internal gateway: Knative's default domain makes every URL cluster-local, and the console on this
//   machine stands where a client inside the cluster would (as a port-forward to kourier-internal does);
//   `ingressPublic` serves only ExternalIP rules, as a cluster's external load balancer would;
// - serves a service proxy (see serviceProxy) for the Knative components, on the playground's service address.
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  makeInformer,
  type KubernetesObject,
  type V1Endpoints,
  type V1Secret,
  type V1Service,
} from '@kubernetes/client-node';
import { patchCustomStatus, patchServiceStatus, serverSideApply } from '../kube-writes';
import { adminKubeConfigOf, log, stateFromArgv } from '../process-main';
import { INGRESS_CLASS, serviceInterface } from '../parts/knative-serving';
import {
  closeBackendConnections,
  failHttp1,
  http1Front,
  listenGateway as listenOn,
  proxy,
  speaksH2c,
  type GatewayOptions,
  type GatewayServer,
  type Routed,
  type RoutedRequest,
  type Target,
} from './gateway-server';
import {
  choose,
  hostOf,
  isOfClass,
  readyStatus,
  routingOf,
  serviceOfHost,
  statusIsCurrent,
  type Gateway,
  type IngressBackendSplit,
  type KIngress,
  type Route,
} from './kingress-routes';

const GROUP = 'networking.internal.knative.dev';
const VERSION = 'v1alpha1';
const PLURAL = 'ingresses';
/** The gateways' names as load balancers (Services of these names in knative-serving point at the gateways). */
export const BALANCERS = {
  public: 'kdesk-gateway.knative-serving.svc.cluster.local',
  internal: 'kdesk-gateway-internal.knative-serving.svc.cluster.local',
};

const state = stateFromArgv('playground/kingress/kingress-main.ts');
const kc = adminKubeConfigOf(state);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

const ingresses = makeInformer<KubernetesObject>(
  kc,
  `/apis/${GROUP}/${VERSION}/${PLURAL}`,
  () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }) as never,
);
const services = makeInformer<V1Service>(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
const endpoints = makeInformer<V1Endpoints>(kc, '/api/v1/endpoints', () =>
  core.listEndpointsForAllNamespaces(),
);
/** For the certificates `spec.tls` names (a cluster's ingress controller reads them the same way). */
const secrets = makeInformer<V1Secret>(kc, '/api/v1/secrets', () => core.listSecretForAllNamespaces());

let routes: Route[] = [];
let certificates = new Map<string, { namespace: string; name: string }>();
const ours = (ingress: KIngress) => isOfClass(ingress, INGRESS_CLASS);

function rebuild(): void {
  ({ routes, certificates } = routingOf(ingresses.list() as unknown as KIngress[], INGRESS_CLASS));
}

/** The TLS context for an SNI name: the certificate and key of the Secret a KIngress names for that host. */
const contexts = new Map<string, { version: string; context: tls.SecureContext }>();
function certificateFor(serverName: string): tls.SecureContext | undefined {
  const ref = certificates.get(serverName);
  const secret = ref && secrets.get(ref.name, ref.namespace);
  const cert = secret?.data?.['tls.crt'];
  const key = secret?.data?.['tls.key'];
  if (!secret || !cert || !key) return undefined;
  const cacheKey = `${ref.namespace}/${ref.name}`;
  const version = secret.metadata?.resourceVersion ?? '';
  const cached = contexts.get(cacheKey);
  if (cached?.version === version) return cached.context;
  try {
    const context = tls.createSecureContext({
      cert: Buffer.from(cert, 'base64'),
      key: Buffer.from(key, 'base64'),
    });
    contexts.set(cacheKey, { version, context });
    return context;
  } catch (error) {
    log(`secret ${cacheKey} holds no usable certificate and key: ${String(error)}`);
    return undefined;
  }
}

async function markReady(ingress: KIngress): Promise<void> {
  if (!ours(ingress) || statusIsCurrent(ingress, BALANCERS)) return;
  try {
    await patchCustomStatus(
      custom,
      { group: GROUP, version: VERSION, plural: PLURAL },
      { namespace: ingress.metadata.namespace, name: ingress.metadata.name },
      readyStatus(ingress, BALANCERS, new Date().toISOString()),
    );
    log(
      `ingress ${ingress.metadata.namespace}/${ingress.metadata.name} generation ${ingress.metadata.generation} ready`,
    );
  } catch (error) {
    log(`status of ${ingress.metadata.namespace}/${ingress.metadata.name} not written: ${String(error)}`);
  }
}

for (const verb of ['add', 'update'] as const) {
  ingresses.on(verb, (object) => {
    rebuild();
    void markReady(object as unknown as KIngress);
  });
}
ingresses.on('delete', rebuild);
for (const informer of [ingresses, services, endpoints, secrets]) {
  informer.on('error', (error) => {
    log(`watch error: ${String(error)}; restarting in 2 s`);
    setTimeout(() => void informer.start(), 2_000);
  });
}

/** Where this process's gateways listen, by their load-balancer names (an ExternalName Service may point there). */
const gatewayAddresses = new Map<string, Target>();

/**
 * kube-proxy's part: Service port (number or name) → its name → a ready endpoint address and port of that name.
 * An ExternalName Service is what cluster DNS makes of it: a CNAME, followed to our own gateway when it names one
 * of our load balancers (as Knative's Route makes for cluster-local hosts), to the Service a cluster name names, or
 * else to the external host itself on the asked port.
 */
function endpointOf(split: IngressBackendSplit, hops = 0): Target | undefined {
  const service = services.get(split.serviceName, split.serviceNamespace);
  const port = service?.spec?.ports?.find((p) =>
    typeof split.servicePort === 'number' ? p.port === split.servicePort : p.name === split.servicePort,
  );
  if (!port) return undefined;
  const h2c = speaksH2c(port);
  const externalName = service?.spec?.type === 'ExternalName' ? service.spec.externalName : undefined;
  if (externalName) {
    const name = externalName.toLowerCase().replace(/\.$/, '');
    const gateway = gatewayAddresses.get(name);
    if (gateway) return { ...gateway, h2c };
    const named = serviceOfHost(name);
    if (named && hops < 4) {
      return endpointOf(
        { serviceName: named.name, serviceNamespace: named.namespace, servicePort: port.port },
        hops + 1,
      );
    }
    return named ? undefined : { host: name, port: port.port, h2c };
  }
  const subsets = endpoints.get(split.serviceName, split.serviceNamespace)?.subsets ?? [];
  const candidates = subsets.flatMap((subset) => {
    const target = subset.ports?.find((p) => (port.name ? p.name === port.name : true));
    return target
      ? (subset.addresses ?? []).map((address) => ({ host: address.ip, port: target.port, h2c }))
      : [];
  });
  return candidates[Math.floor(Math.random() * candidates.length)];
}

/**
 * The service proxy: an HTTP forward proxy (HTTP_PROXY of the Knative autoscaler) that plays cluster
 * DNS + kube-proxy for `http://<svc>.<ns>.svc.cluster.local:<port>/…`, e.g. the autoscaler's probe of a revision's
 * public Service (which must reach the activator before it may scale to zero).
 */
function serviceProxy(request: http.IncomingMessage, response: http.ServerResponse): void {
  let url: URL;
  try {
    url = new URL(request.url ?? '');
  } catch {
    return failHttp1(
      response,
      400,
      'the service proxy takes absolute-form requests (http://<svc>.<ns>.svc…/)',
    );
  }
  const service = serviceOfHost(url.hostname);
  if (url.protocol !== 'http:' || !service)
    return failHttp1(response, 502, `not a cluster service: ${url.host}`);
  const port = Number(url.port || 80);
  const target = endpointOf({
    serviceName: service.name,
    serviceNamespace: service.namespace,
    servicePort: port,
  });
  if (!target)
    return failHttp1(
      response,
      503,
      `service ${service.namespace}/${service.name}:${port} has no ready endpoint`,
    );
  const headers: http.OutgoingHttpHeaders = { ...request.headers, host: url.host };
  delete headers['proxy-connection'];
  proxy(http1Front(request, response, `${url.pathname}${url.search}`), { target, headers });
}

/** Where a gateway sends `request` (endpoint and headers as the route says), or why nowhere. */
function routeOf(gateway: Gateway, request: RoutedRequest): Routed {
  const chosen = choose(routes, {
    gateway,
    host: request.host,
    path: request.path,
    headers: request.headers,
  });
  if (!chosen) return { status: 404, why: `no ${gateway} route for host "${request.host ?? ''}"` };
  if (chosen.redirectToHttps && gateway === 'public' && !request.secure) {
    const location = `https://${hostOf(request.host)}${request.path}`;
    return { status: 301, why: `redirected to ${location}`, headers: { location } };
  }
  const target = endpointOf(chosen.split);
  if (!target) {
    const { serviceNamespace, serviceName } = chosen.split;
    return { status: 503, why: `service ${serviceNamespace}/${serviceName} has no ready endpoint` };
  }
  // Appended headers replace what the client sent under any letter case (one header, not two).
  const headers: http.OutgoingHttpHeaders = { ...request.headers };
  for (const [name, value] of Object.entries(chosen.headers)) headers[name.toLowerCase()] = value;
  if (chosen.host) headers.host = chosen.host;
  headers['x-forwarded-host'] = request.host ?? '';
  headers['x-forwarded-proto'] = request.secure ? 'https' : 'http';
  return { target, headers };
}

/** A gateway server: requests and upgrades routed by the KIngress rules of its visibility. */
function listenGateway(gateway: Gateway, options?: GatewayOptions): Promise<GatewayServer> {
  return listenOn((request) => routeOf(gateway, request), options);
}

async function listen(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  host = '127.0.0.1',
  port = 0,
): Promise<http.Server> {
  const server = http.createServer(handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

/**
 * The gateways as a cluster publishes them, on the playground's service addresses (parts/knative-serving.ts):
 * - `kdesk-gateway` (the public load balancer's domainInternal) is a LoadBalancer Service whose status carries the
 *   address where the public gateway listens on 80, and with TLS on 443, as a cloud's LB controller would write it.
 *   Clients that read the ingress address from the ingress Service (Knative's conformance tests, the console on
 *   other clusters) find it there;
 * - `kdesk-gateway-internal` (the private load balancer's domainInternal) points at the internal gateway on 80 of
 *   the second address, so a pod that resolves it (the virtual node's hosts file, from its EndpointSlice) reaches
 *   cluster-local routes as a pod reaches kourier-internal.
 * Each is a selector-less Service and its Endpoints, which kube-controller-manager mirrors into an EndpointSlice.
 */
async function publishGateways(addresses: { ip: string; internalIp: string }): Promise<GatewayServer[]> {
  let servers: GatewayServer[];
  try {
    servers = [
      await listenGateway('public', { host: addresses.ip, port: 80 }),
      await listenGateway('public', { host: addresses.ip, port: 443, certificateFor }),
      await listenGateway('internal', { host: addresses.internalIp, port: 80 }),
    ];
  } catch (error) {
    log(`gateways not published: cannot listen on the service addresses (${String(error)})`);
    return [];
  }
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const namespace = 'knative-serving';
  const published = [
    {
      name: 'kdesk-gateway',
      type: 'LoadBalancer',
      address: addresses.ip,
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP' },
      ],
    },
    {
      name: 'kdesk-gateway-internal',
      type: 'ClusterIP',
      address: addresses.internalIp,
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  ];
  const manifests = published.flatMap(({ name, type, address, ports }) => [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { type, ports: ports.map((port) => ({ ...port, targetPort: port.port })) },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace },
      subsets: [{ addresses: [{ ip: address }], ports }],
    },
  ]) as unknown as KubernetesObject[];
  await serverSideApply(objects, manifests, 'knative-desk-kingress');
  await patchServiceStatus(
    core,
    { name: 'kdesk-gateway', namespace },
    { loadBalancer: { ingress: [{ ip: addresses.ip }] } },
  );
  return servers;
}

async function main(): Promise<void> {
  await Promise.all([services.start(), endpoints.start(), secrets.start()]);
  await ingresses.start();
  rebuild();
  const publicGateway = await listenGateway('public');
  const internalGateway = await listenGateway('internal');
  for (const [gateway, server] of [
    ['public', publicGateway],
    ['internal', internalGateway],
  ] as const) {
    const { address, port } = server.address() as AddressInfo;
    gatewayAddresses.set(BALANCERS[gateway], { host: address, port });
  }
  // On the playground's service address, not loopback: the autoscaler, in a network namespace of its own
  // (parts/upstream-serving.ts), reaches it there through its namespace's default route.
  const serviceProxyServer = await listen(serviceProxy, serviceInterface(state.dir).ip);
  const balancers = await publishGateways(serviceInterface(state.dir));
  const url = (server: http.Server | GatewayServer) => {
    const { address, port } = server.address() as AddressInfo;
    return `http://${address}:${port}`;
  };
  const readyFile = join(state.dir, 'runtime.json');
  writeFileSync(
    readyFile,
    `${JSON.stringify({ pid: process.pid, ingress: url(internalGateway), ingressPublic: url(publicGateway), serviceProxy: url(serviceProxyServer) })}\n`,
  );
  log(`kingress: public ${url(publicGateway)}, internal ${url(internalGateway)}`);
  process.on('SIGTERM', () => {
    rmSync(readyFile, { force: true });
    for (const informer of [ingresses, services, endpoints, secrets]) void informer.stop();
    closeBackendConnections();
    publicGateway.close();
    internalGateway.close();
    serviceProxyServer.closeAllConnections();
    for (const server of balancers) server.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  log(`kingress failed: ${String(error)}`);
  process.exit(1);
});
