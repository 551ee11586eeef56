// Proof that patches/@kubernetes+client-node+2.0.1.patch is applied (npm ci runs patch-package as postinstall):
// requests of the kube client reuse kept-alive connections. Unpatched, client-node 2.0.1 builds a new undici Agent
// for every request, so each GET opened a TCP connection and, against a real API server, did a TLS handshake on
// both ends: the playground's controllers, polling every few seconds, made kube-apiserver sign a handshake about
// once a second at rest, and every call of the console paid one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A stand-in API server that answers every request with an empty NamespaceList and counts connections. */
async function countingServer(): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', metadata: {}, items: [] }));
  });
  server.on('connection', () => (connections += 1));
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
  };
}

function kubeConfigFor(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('kube client connections (patched)', () => {
  it('reuses one kept-alive connection for requests in a row, across API clients and KubeConfigs of one server', async () => {
    const server = await countingServer();
    const first = kubeConfigFor(server.url, 'a').makeApiClient(CoreV1Api);
    // The pool may open a second connection while the first response is being released; then it is steady.
    for (let i = 0; i < 2; i++) await first.listNamespace();
    const warm = server.connections();
    expect(warm).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) await first.listNamespace();
    // A second KubeConfig for the same server (the engine builds one per context); tokens travel as headers.
    const second = kubeConfigFor(server.url, 'b').makeApiClient(CoreV1Api);
    for (let i = 0; i < 3; i++) await second.listNamespace();
    expect(server.connections()).toBe(warm);
  });

  it('keeps servers apart: each has its own connection', async () => {
    const one = await countingServer();
    const two = await countingServer();
    await kubeConfigFor(one.url, 'a').makeApiClient(CoreV1Api).listNamespace();
    await kubeConfigFor(two.url, 'a').makeApiClient(CoreV1Api).listNamespace();
    await kubeConfigFor(one.url, 'a').makeApiClient(CoreV1Api).listNamespace();
    expect(one.connections()).toBeGreaterThanOrEqual(1);
    expect(two.connections()).toBe(1);
  });
});
