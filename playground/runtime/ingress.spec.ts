import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Ingress } from './ingress';
import { RevisionBackend } from './revision-backend';

/** A replica that counts its own concurrent requests (the ingress's counters are not trusted by this test). */
async function startReplica(holdMs: number) {
  const stats = { inFlight: 0, maxInFlight: 0, served: 0 };
  let release: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((request, response) => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const finish = () => {
      stats.inFlight--;
      stats.served++;
      response.end(`path=${request.url} host=${request.headers.host}`);
    };
    if (holdMs < 0) void gate.then(finish);
    else setTimeout(finish, holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, stats, port: (server.address() as AddressInfo).port, open: () => release?.() };
}

function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(containerConcurrency: number, activationTimeoutMs = 10_000) {
  const demand: number[] = [];
  const backend = new RevisionBackend({
    containerConcurrency,
    activationTimeoutMs,
    maxQueued: 1000,
    onDemandAtZero: (buffered) => demand.push(buffered),
  });
  const ingress = new Ingress();
  const port = await ingress.listen();
  cleanups.push(() => ingress.close());
  ingress.setBackend('ns/svc-00001', backend);
  ingress.setRoute({
    routeKey: 'ns/svc',
    hosts: ['svc.ns.localhost', 'custom.example.test'],
    traffic: [{ revisionKey: 'ns/svc-00001', percent: 100 }],
  });
  return { backend, ingress, port, demand };
}

describe('Ingress with per-pod concurrency limits', () => {
  it('queues excess requests instead of rejecting them, and never gives a pod more than containerConcurrency', async () => {
    const { backend, port } = await setup(2);
    const replicas = [await startReplica(30), await startReplica(30)];
    for (const [index, replica] of replicas.entries()) {
      cleanups.push(() => void replica.server.close());
      backend.upsertPod({ podName: `pod-${index}`, host: '127.0.0.1', port: replica.port }, true);
    }
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        get(port, `/item/${i}`, i % 2 ? 'svc.ns.localhost:80' : 'custom.example.test'),
      ),
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(replicas.map((replica) => replica.stats.maxInFlight)).toEqual([2, 2]);
    expect(replicas[0]!.stats.served + replicas[1]!.stats.served).toBe(24);
    expect(backend.podLoad().every((pod) => pod.maxInFlight <= 2 && pod.inFlight === 0)).toBe(true);
  });

  it('routes by path prefix for clients that cannot set Host, stripping the prefix', async () => {
    const { backend, port } = await setup(0);
    const replica = await startReplica(0);
    cleanups.push(() => void replica.server.close());
    backend.upsertPod({ podName: 'pod-a', host: '127.0.0.1', port: replica.port }, true);
    const result = await get(port, '/_/ns/svc/api/send?x=1', '127.0.0.1');
    expect(result.status).toBe(200);
    expect(result.body).toContain('path=/api/send?x=1');
    const unknown = await get(port, '/', 'nothing.here.localhost');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(/no Knative route for host "nothing.here.localhost"/);
  });

  it('buffers at zero, reports demand, and serves once a pod becomes ready', async () => {
    const { backend, port, demand } = await setup(2);
    const pending = get(port, '/wake', 'svc.ns.localhost');
    await expect.poll(() => demand.length).toBeGreaterThan(0);
    expect(backend.waiting).toBe(1);
    const replica = await startReplica(0);
    cleanups.push(() => void replica.server.close());
    backend.upsertPod({ podName: 'pod-late', host: '127.0.0.1', port: replica.port }, false);
    expect(backend.waiting).toBe(1); // not ready yet: still buffered
    backend.upsertPod({ podName: 'pod-late', host: '127.0.0.1', port: replica.port }, true);
    const result = await pending;
    expect(result.status).toBe(200);
    expect(result.body).toContain('path=/wake');
  });

  it('answers a clear 503 when no replica becomes ready before the activation timeout', async () => {
    const { port } = await setup(2, 300);
    const result = await get(port, '/', 'svc.ns.localhost');
    expect(result.status).toBe(503);
    expect(result.body).toMatch(
      /revision ns\/svc-00001 is not available: no replica became ready within 0.3 s/,
    );
  });

  it('drains a pod: no new requests go to it, in-flight ones finish', async () => {
    const { backend, port } = await setup(1);
    const slow = await startReplica(-1);
    cleanups.push(() => {
      slow.open();
      slow.server.close();
    });
    backend.upsertPod({ podName: 'pod-old', host: '127.0.0.1', port: slow.port }, true);
    const first = get(port, '/one', 'svc.ns.localhost');
    await expect.poll(() => slow.stats.inFlight).toBe(1);
    const drained = backend.drainPod('pod-old', 5000);
    const fresh = await startReplica(0);
    cleanups.push(() => void fresh.server.close());
    backend.upsertPod({ podName: 'pod-new', host: '127.0.0.1', port: fresh.port }, true);
    expect((await get(port, '/two', 'svc.ns.localhost')).status).toBe(200);
    expect(fresh.stats.served).toBe(1);
    slow.open();
    expect((await first).status).toBe(200);
    await drained;
    expect(backend.podLoad().map((pod) => pod.podName)).toEqual(['pod-new']);
  });

  it('reports time-weighted concurrency including waiting requests', async () => {
    const { backend } = await setup(1);
    const start = Date.now();
    backend.takeAverageConcurrency(start);
    const waiting = backend.acquire();
    waiting.catch(() => undefined);
    expect(backend.takeAverageConcurrency(start + 1000)).toBeGreaterThan(0.5);
    backend.close('test over');
  });
});
