// An HTTP double served on 127.0.0.1 for the tests of one file (unit specs beside the code use it too): listening
// before the tests, closed after them together with the connections it still holds (streams, watches).
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';

export interface LocalServer {
  /** `http://127.0.0.1:<port>`; set once it listens (before the first test). */
  origin: string;
}

export function serveForFile(server: http.Server): LocalServer {
  const local: LocalServer = { origin: '' };
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    local.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return local;
}

/** Points `config` at an apiserver double at `origin` (one cluster, a token user, its context current). */
export function useApiserverDouble(config: KubeConfig, name: string, origin: string): void {
  config.loadFromOptions({
    clusters: [{ name, server: origin, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name, cluster: name, user: 'u' }],
    currentContext: name,
  });
}
