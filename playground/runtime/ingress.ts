// The playground's one ingress for every Knative Service URL. Routing:
// - by Host header: `<name>.<namespace>.<domain>` (status.url) and any custom domain (FC domain annotation);
// - by path, for clients that cannot set Host (Node's fetch): `/_/<namespace>/<name>/<rest>` → `/<rest>`.
// Each route splits traffic across revisions by percent; each revision's RevisionBackend enforces the per-pod
// concurrency limit and buffers at zero. Errors the ingress itself produces are 503/502 with a plain message
// saying why, never a hang.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivationTimeoutError,
  QueueFullError,
  RequestAbortedError,
  type RevisionBackend,
} from './revision-backend';

export interface TrafficTarget {
  readonly revisionKey: string;
  readonly percent: number;
}

export interface IngressRoute {
  /** `<namespace>/<name>` of the Knative Service (or Route). */
  readonly routeKey: string;
  readonly hosts: readonly string[];
  readonly traffic: readonly TrafficTarget[];
}

const PATH_PREFIX = '/_/';

function hostWithoutPort(host: string | undefined): string {
  if (!host) return '';
  return host.replace(/:\d+$/, '').toLowerCase();
}

export class Ingress {
  private readonly server: http.Server;
  private readonly routesByHost = new Map<string, IngressRoute>();
  private readonly routesByKey = new Map<string, IngressRoute>();
  private readonly backends = new Map<string, RevisionBackend>();
  // Keep-alive to replicas: a fresh TCP connection per request would dominate the ingress's added latency.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor() {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    this.server.keepAliveTimeout = 30_000;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  setBackend(revisionKey: string, backend: RevisionBackend): void {
    this.backends.set(revisionKey, backend);
  }

  removeBackend(revisionKey: string): void {
    this.backends.get(revisionKey)?.close(`revision ${revisionKey} was deleted`);
    this.backends.delete(revisionKey);
  }

  setRoute(route: IngressRoute): void {
    this.removeRoute(route.routeKey);
    this.routesByKey.set(route.routeKey, route);
    for (const host of route.hosts) this.routesByHost.set(host.toLowerCase(), route);
  }

  hasRoute(routeKey: string): boolean {
    return this.routesByKey.has(routeKey);
  }

  removeRoute(routeKey: string): void {
    const previous = this.routesByKey.get(routeKey);
    if (!previous) return;
    this.routesByKey.delete(routeKey);
    for (const host of previous.hosts) {
      if (this.routesByHost.get(host.toLowerCase()) === previous)
        this.routesByHost.delete(host.toLowerCase());
    }
  }

  private resolve(request: http.IncomingMessage): { route: IngressRoute; path: string } | undefined {
    const url = request.url ?? '/';
    const byHost = this.routesByHost.get(hostWithoutPort(request.headers.host));
    if (byHost) return { route: byHost, path: url };
    if (url.startsWith(PATH_PREFIX)) {
      const [namespace, name, ...rest] = url.slice(PATH_PREFIX.length).split('/');
      const route = this.routesByKey.get(`${namespace}/${name?.split('?')[0]}`);
      if (route) {
        const remainder = rest.join('/');
        const query = name?.includes('?') ? name.slice(name.indexOf('?')) : '';
        return { route, path: `/${remainder}${query}` };
      }
    }
    return undefined;
  }

  private pickRevision(route: IngressRoute): string | undefined {
    const targets = route.traffic.filter((target) => target.percent > 0);
    const total = targets.reduce((sum, target) => sum + target.percent, 0);
    let roll = Math.random() * total;
    for (const target of targets) {
      roll -= target.percent;
      if (roll < 0) return target.revisionKey;
    }
    return targets.at(-1)?.revisionKey;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const resolved = this.resolve(request);
    if (!resolved) {
      return fail(
        response,
        404,
        `no Knative route for host "${request.headers.host ?? ''}" or path "${request.url}"`,
      );
    }
    const revisionKey = this.pickRevision(resolved.route);
    const backend = revisionKey ? this.backends.get(revisionKey) : undefined;
    if (!revisionKey || !backend) {
      return fail(response, 503, `route ${resolved.route.routeKey} has no ready revision to send traffic to`);
    }
    const abort = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) abort.abort();
    };
    response.on('close', onClose);
    let slot;
    try {
      slot = await backend.acquire(abort.signal);
    } catch (error) {
      if (error instanceof RequestAbortedError) return;
      if (error instanceof ActivationTimeoutError) {
        return fail(response, 503, `revision ${revisionKey} is not available: ${error.message}`);
      }
      if (error instanceof QueueFullError)
        return fail(response, 503, `revision ${revisionKey} is overloaded: ${error.message}`);
      return fail(response, 500, `ingress error: ${(error as Error).message}`);
    }
    const release = slot.release;
    response.on('close', release);
    const upstream = http.request(
      {
        host: slot.endpoint.host,
        port: slot.endpoint.port,
        method: request.method,
        path: resolved.path,
        headers: {
          ...request.headers,
          'x-forwarded-host': request.headers.host ?? '',
          'knative-serving-pod': slot.endpoint.podName,
        },
        agent: this.agent,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
        upstreamResponse.on('error', () => response.destroy());
      },
    );
    upstream.on('error', (error) => {
      release();
      if (!response.headersSent)
        fail(response, 502, `replica ${slot.endpoint.podName} failed: ${error.message}`);
      else response.destroy();
    });
    request.pipe(upstream);
  }
}

function fail(response: http.ServerResponse, status: number, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-knative-desk-ingress': 'error',
  });
  response.end(`${message}\n`);
}
