// The playground's KIngress: our implementation of Knative's `networking.internal.knative.dev` Ingress for the
// class `kdesk.ingress.networking.knative.dev` (config-network `ingress-class`, set by parts/upstream-serving.ts).
// It stands in for a Knative networking layer such as net-kourier (Envoy + its control plane), which cannot run
// here; it follows net-kourier's translation and status (see kingress-routes.ts for the rules). Started as
// `tsx playground/kingress/kingress-main.ts <dir>/state.json`; it
// - watches KIngresses of its class, Services and Endpoints (informers: no polling, no idle API writes);
// - serves two gateways on 127.0.0.1: public (ExternalIP rules) and internal (every rule), reverse-proxying each
//   request to a ready endpoint of the split's Service, resolving the Service port to the endpoint port by name as
//   kube-proxy would (there is no kube-proxy here) — so traffic reaches the activator or the pods' queue-proxy
//   exactly as Knative's SKS programs the revision's public Service; Upgrade requests (WebSocket) are routed the
//   same way and then joined to the backend byte for byte, as Envoy does;
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
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  makeInformer,
  type KubernetesObject,
  type V1Endpoints,
  type V1Service,
} from '@kubernetes/client-node';
import { patchCustomStatus, patchServiceStatus, serverSideApply } from '../kube-writes';
import { adminKubeConfigOf, log, stateFromArgv } from '../process-main';
import { INGRESS_CLASS, serviceInterface } from '../parts/knative-serving';
import {
  choose,
  isOfClass,
  readyStatus,
  routesOf,
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

let routes: Route[] = [];
const ours = (ingress: KIngress) => isOfClass(ingress, INGRESS_CLASS);

function rebuild(): void {
  routes = (ingresses.list() as unknown as KIngress[]).filter(ours).flatMap(routesOf);
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
for (const informer of [ingresses, services, endpoints]) {
  informer.on('error', (error) => {
    log(`watch error: ${String(error)}; restarting in 2 s`);
    setTimeout(() => void informer.start(), 2_000);
  });
}

/** Where this process's gateways listen, by their load-balancer names (an ExternalName Service may point there). */
const gatewayAddresses = new Map<string, { host: string; port: number }>();

/**
 * kube-proxy's part: Service port (number or name) → its name → a ready endpoint address and port of that name.
 * An ExternalName Service is what cluster DNS makes of it: a CNAME, followed to our own gateway when it names one
 * of our load balancers (as Knative's Route makes for cluster-local hosts), to the Service a cluster name names, or
 * else to the external host itself on the asked port.
 */
function endpointOf(split: IngressBackendSplit, hops = 0): { host: string; port: number } | undefined {
  const service = services.get(split.serviceName, split.serviceNamespace);
  const port = service?.spec?.ports?.find((p) =>
    typeof split.servicePort === 'number' ? p.port === split.servicePort : p.name === split.servicePort,
  );
  if (!port) return undefined;
  const externalName = service?.spec?.type === 'ExternalName' ? service.spec.externalName : undefined;
  if (externalName) {
    const name = externalName.toLowerCase().replace(/\.$/, '');
    const gateway = gatewayAddresses.get(name);
    if (gateway) return gateway;
    const named = serviceOfHost(name);
    if (named && hops < 4) {
      return endpointOf(
        { serviceName: named.name, serviceNamespace: named.namespace, servicePort: port.port },
        hops + 1,
      );
    }
    return named ? undefined : { host: name, port: port.port };
  }
  const subsets = endpoints.get(split.serviceName, split.serviceNamespace)?.subsets ?? [];
  const candidates = subsets.flatMap((subset) => {
    const target = subset.ports?.find((p) => (port.name ? p.name === port.name : true));
    return target ? (subset.addresses ?? []).map((address) => ({ host: address.ip, port: target.port })) : [];
  });
  return candidates[Math.floor(Math.random() * candidates.length)];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function fail(response: http.ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-knative-desk-ingress': 'error',
  });
  response.end(`${message}\n`);
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
    return fail(response, 400, 'the service proxy takes absolute-form requests (http://<svc>.<ns>.svc…/)');
  }
  const service = serviceOfHost(url.hostname);
  if (url.protocol !== 'http:' || !service) return fail(response, 502, `not a cluster service: ${url.host}`);
  const port = Number(url.port || 80);
  const target = endpointOf({
    serviceName: service.name,
    serviceNamespace: service.namespace,
    servicePort: port,
  });
  if (!target)
    return fail(response, 503, `service ${service.namespace}/${service.name}:${port} has no ready endpoint`);
  forward(request, response, target, `${url.pathname}${url.search}`, { ...request.headers, host: url.host });
}

function forward(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: { host: string; port: number },
  path: string,
  headers: http.OutgoingHttpHeaders,
): void {
  delete headers['proxy-connection'];
  const upstream = http.request(
    { host: target.host, port: target.port, method: request.method, path, headers, agent },
    (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
      reply.on('error', () => response.destroy());
    },
  );
  upstream.on('error', (error) =>
    fail(response, 502, `upstream ${target.host}:${target.port} failed: ${error.message}`),
  );
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  request.pipe(upstream);
}

/** Where a gateway sends `request` (endpoint and headers as the route says), or why nowhere. */
function routeOf(
  gateway: Gateway,
  request: http.IncomingMessage,
):
  | { target: { host: string; port: number }; headers: http.OutgoingHttpHeaders }
  | { status: number; why: string } {
  const chosen = choose(routes, {
    gateway,
    host: request.headers.host,
    path: request.url ?? '/',
    headers: request.headers,
  });
  if (!chosen) return { status: 404, why: `no ${gateway} route for host "${request.headers.host ?? ''}"` };
  const target = endpointOf(chosen.split);
  if (!target) {
    const { serviceNamespace, serviceName } = chosen.split;
    return { status: 503, why: `service ${serviceNamespace}/${serviceName} has no ready endpoint` };
  }
  // Appended headers replace what the client sent under any letter case (one header, not two).
  const headers: http.OutgoingHttpHeaders = { ...request.headers };
  for (const [name, value] of Object.entries(chosen.headers)) headers[name.toLowerCase()] = value;
  if (chosen.host) headers.host = chosen.host;
  headers['x-forwarded-host'] = request.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  return { target, headers };
}

function handler(gateway: Gateway) {
  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    const route = routeOf(gateway, request);
    if ('status' in route) return fail(response, route.status, route.why);
    forward(request, response, route.target, request.url ?? '/', route.headers);
  };
}

/**
 * The head of an HTTP/1.1 response as raw text (status line, headers as received, blank line). For an answer that
 * did not upgrade, `bodyThenClose` drops the framing headers: Node hands over the body already de-chunked, so it is
 * sent as is and the end of the connection ends it.
 */
function responseHead(reply: http.IncomingMessage, bodyThenClose = false): string {
  const lines = [`HTTP/1.1 ${reply.statusCode ?? 502} ${reply.statusMessage ?? ''}`];
  for (let i = 0; i + 1 < reply.rawHeaders.length; i += 2) {
    const name = reply.rawHeaders[i] ?? '';
    if (bodyThenClose && /^(transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
    lines.push(`${name}: ${reply.rawHeaders[i + 1]}`);
  }
  if (bodyThenClose) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Upgrade requests (WebSocket) as Envoy proxies them: routed like any request, then the two connections are joined
 * byte for byte once the backend answers 101. A backend that does not upgrade has its answer passed back as is.
 */
function upgradeHandler(gateway: Gateway) {
  return (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const route = routeOf(gateway, request);
    if ('status' in route) {
      socket.end(
        `HTTP/1.1 ${route.status} ${http.STATUS_CODES[route.status]}\r\ncontent-type: text/plain\r\n\r\n${route.why}\n`,
      );
      return;
    }
    const upstream = http.request({
      host: route.target.host,
      port: route.target.port,
      method: request.method,
      path: request.url ?? '/',
      headers: route.headers,
      agent: false,
    });
    upstream.on('upgrade', (reply, backend: Duplex, backendHead: Buffer) => {
      backend.on('error', () => socket.destroy());
      socket.on('close', () => backend.destroy());
      backend.on('close', () => socket.destroy());
      socket.write(responseHead(reply));
      if (backendHead.length > 0) socket.write(backendHead);
      if (head.length > 0) backend.write(head);
      backend.pipe(socket).pipe(backend);
    });
    upstream.on('response', (reply) => {
      socket.write(responseHead(reply, true));
      reply.pipe(socket);
    });
    upstream.on('error', (error) =>
      socket.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`),
    );
    upstream.end();
  };
}

/** A gateway server: requests and upgrades routed by the KIngress rules of its visibility. */
function listenGateway(gateway: Gateway, host?: string, port?: number): Promise<http.Server> {
  return listen(handler(gateway), host, port).then((server) => server.on('upgrade', upgradeHandler(gateway)));
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
 * The public gateway as a cluster's load balancer: `kdesk-gateway` (the public load balancer's domainInternal) is a
 * LoadBalancer Service whose status carries the address where the public gateway listens on port 80 — the playground's
 * service address (parts/knative-serving.ts) — as a cloud's LB controller would write it. Clients that read the
 * ingress address from the ingress Service (Knative's conformance tests, the console on other clusters) find it there.
 */
async function publishLoadBalancer(address: string): Promise<http.Server | undefined> {
  let server: http.Server;
  try {
    server = await listenGateway('public', address, 80);
  } catch (error) {
    log(`no load-balancer address: cannot listen on ${address}:80 (${String(error)})`);
    return undefined;
  }
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const namespace = 'knative-serving';
  const ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
  const manifests = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kdesk-gateway', namespace },
      spec: { type: 'LoadBalancer', ports: [{ ...ports[0], targetPort: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kdesk-gateway', namespace },
      subsets: [{ addresses: [{ ip: address }], ports }],
    },
  ] as unknown as KubernetesObject[];
  await serverSideApply(objects, manifests, 'knative-desk-kingress');
  await patchServiceStatus(
    core,
    { name: 'kdesk-gateway', namespace },
    { loadBalancer: { ingress: [{ ip: address }] } },
  );
  return server;
}

async function main(): Promise<void> {
  await Promise.all([services.start(), endpoints.start()]);
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
  const proxy = await listen(serviceProxy, serviceInterface(state.dir).ip);
  const balancer = await publishLoadBalancer(serviceInterface(state.dir).ip);
  const url = (server: http.Server) => {
    const { address, port } = server.address() as AddressInfo;
    return `http://${address}:${port}`;
  };
  const readyFile = join(state.dir, 'runtime.json');
  writeFileSync(
    readyFile,
    `${JSON.stringify({ pid: process.pid, ingress: url(internalGateway), ingressPublic: url(publicGateway), serviceProxy: url(proxy) })}\n`,
  );
  log(`kingress: public ${url(publicGateway)}, internal ${url(internalGateway)}`);
  process.on('SIGTERM', () => {
    rmSync(readyFile, { force: true });
    for (const informer of [ingresses, services, endpoints]) void informer.stop();
    agent.destroy();
    publicGateway.closeAllConnections();
    internalGateway.closeAllConnections();
    proxy.closeAllConnections();
    balancer?.closeAllConnections();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  log(`kingress failed: ${String(error)}`);
  process.exit(1);
});
