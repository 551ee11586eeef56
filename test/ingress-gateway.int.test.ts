// Finding a real cluster's Knative ingress gateway (electron/backend/net/ingress-gateway.ts) against a real
// kube-apiserver with Knative Serving's config maps: a private cluster (its config-network names the playground's
// own class, as a cluster with an unknown networking layer would), switched to Kourier's class, then Kourier's
// gateway Service appears, then a load balancer gives it an address (written to its status subresource, as a cloud
// controller does). Each step gives the address or says why there is none.
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { discoverIngressGateway } from '../electron/backend/net/ingress-gateway';
import { privateClusterForFile } from './support/file-fixtures';
import { kubectl } from './support/kubectl';
import { kubeConfigFor } from './support/unique';

const cluster = privateClusterForFile('gateway');
const KOURIER = 'kourier.ingress.networking.knative.dev';

async function run(args: string[], input?: string): Promise<void> {
  const result = await kubectl(cluster.info, args, input === undefined ? {} : { input });
  expect(result.code, result.stderr).toBe(0);
}

describe('ingress gateway discovery on a real API server', () => {
  it('follows config-network to the class gateway Service and its load balancer address', async () => {
    const core = kubeConfigFor(cluster.info).makeApiClient(CoreV1Api);
    const own = await discoverIngressGateway(core);
    expect(own.address).toBeNull();
    expect(own.reason).toMatch(/^no known gateway Service for ingress class \S+/);

    await run([
      'patch',
      'configmap',
      'config-network',
      '-n',
      'knative-serving',
      '--type',
      'merge',
      '-p',
      JSON.stringify({ data: { 'ingress-class': KOURIER } }),
    ]);
    expect(await discoverIngressGateway(core)).toEqual({
      address: null,
      reason: 'gateway Service kourier-system/kourier not found',
    });

    await run(['create', 'namespace', 'kourier-system']);
    await run(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kourier', namespace: 'kourier-system' },
        spec: {
          type: 'LoadBalancer',
          selector: { app: '3scale-kourier-gateway' },
          ports: [
            { name: 'http2', port: 80, targetPort: 8080 },
            { name: 'https', port: 443, targetPort: 8443 },
          ],
        },
      }),
    );
    expect(await discoverIngressGateway(core)).toEqual({
      address: null,
      reason: 'kourier-system/kourier has no load balancer address yet',
    });

    await run([
      'patch',
      'service',
      'kourier',
      '-n',
      'kourier-system',
      '--subresource=status',
      '--type',
      'merge',
      '-p',
      JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } }),
    ]);
    expect(await discoverIngressGateway(core)).toEqual({
      address: 'http://203.0.113.7',
      reason: `kourier-system/kourier (${KOURIER})`,
    });
  }, 120_000);

  it('uses an address typed for a context on Connect first, through the engine and its contract', async () => {
    const { api } = cluster.harness;
    const context = cluster.info.contexts.admin;
    const own = await api.clusters.gateway({ context });
    expect(own).toMatchObject({ context, source: 'playground', typed: null, discovered: null });

    const typed = await api.clusters.setGateway({ context, address: 'http://127.0.0.1:18080/' });
    expect(typed).toMatchObject({
      address: 'http://127.0.0.1:18080',
      source: 'typed',
      typed: 'http://127.0.0.1:18080',
    });
    expect(await api.clusters.gateway({ context, refresh: true })).toEqual(typed);

    await expect(api.clusters.setGateway({ context, address: 'ftp://203.0.113.7' })).rejects.toMatchObject({
      code: 'invalid-request',
    });
    expect((await api.clusters.gateway({ context })).typed).toBe('http://127.0.0.1:18080');

    expect(await api.clusters.setGateway({ context, address: null })).toEqual(own);
  }, 60_000);
});
