import type { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GatewayResolver } from './gateway-resolver';
import { discoverIngressGateway, gatewayAddressOf, ingressClassOf } from './ingress-gateway';

const kourier = (status: object, ports = [{ name: 'http2', port: 80 }]) => ({
  spec: { ports },
  status: { loadBalancer: status },
});

describe('ingressClassOf', () => {
  it('reads ingress-class, then the older ingress.class, else null', () => {
    expect(ingressClassOf({ data: { 'ingress-class': 'kourier.ingress.networking.knative.dev' } })).toBe(
      'kourier.ingress.networking.knative.dev',
    );
    expect(ingressClassOf({ data: { 'ingress.class': 'istio.ingress.networking.knative.dev' } })).toBe(
      'istio.ingress.networking.knative.dev',
    );
    expect(ingressClassOf({ data: {} })).toBeNull();
    expect(ingressClassOf(undefined)).toBeNull();
  });
});

describe('gatewayAddressOf', () => {
  it('takes the load balancer IP or hostname and the HTTP port', () => {
    expect(gatewayAddressOf(kourier({ ingress: [{ ip: '203.0.113.7' }] }))).toBe('http://203.0.113.7');
    expect(
      gatewayAddressOf(
        kourier({ ingress: [{ hostname: 'lb.example.com' }] }, [{ name: 'http', port: 8080 }]),
      ),
    ).toBe('http://lb.example.com:8080');
    expect(gatewayAddressOf(kourier({ ingress: [{ ip: '2001:db8::1' }] }))).toBe('http://[2001:db8::1]');
  });

  it('is null while the Service has no external address', () => {
    expect(gatewayAddressOf(kourier({}))).toBeNull();
    expect(gatewayAddressOf(kourier({ ingress: [{}] }))).toBeNull();
  });
});

describe('discoverIngressGateway', () => {
  const core = (configMaps: Record<string, object>, services: Record<string, object>) =>
    ({
      readNamespacedConfigMap: async ({ namespace, name }: { namespace: string; name: string }) => {
        const found = configMaps[`${namespace}/${name}`];
        if (!found) throw Object.assign(new Error('not found'), { code: 404 });
        return found;
      },
      readNamespacedService: async ({ namespace, name }: { namespace: string; name: string }) => {
        const found = services[`${namespace}/${name}`];
        if (!found) throw Object.assign(new Error('not found'), { code: 404 });
        return found;
      },
    }) as unknown as CoreV1Api;
  const network = (ingressClass: string) => ({
    'knative-serving/config-network': { data: { 'ingress-class': ingressClass } },
  });

  it("finds Kourier's gateway and says where it came from", async () => {
    const found = await discoverIngressGateway(
      core(network('kourier.ingress.networking.knative.dev'), {
        'kourier-system/kourier': kourier({ ingress: [{ ip: '203.0.113.7' }] }),
      }),
    );
    expect(found).toEqual({
      address: 'http://203.0.113.7',
      reason: 'kourier-system/kourier (kourier.ingress.networking.knative.dev)',
    });
  });

  it('says why there is none: no Knative, an unknown class, no Service, no address yet', async () => {
    expect(await discoverIngressGateway(core({}, {}))).toEqual({
      address: null,
      reason: 'knative-serving/config-network not found',
    });
    expect((await discoverIngressGateway(core(network('example.com/ingress'), {}))).reason).toBe(
      'no known gateway Service for ingress class example.com/ingress',
    );
    expect(
      (await discoverIngressGateway(core(network('istio.ingress.networking.knative.dev'), {}))).reason,
    ).toBe('gateway Service istio-system/istio-ingressgateway not found');
    expect(
      await discoverIngressGateway(
        core(network('kourier.ingress.networking.knative.dev'), { 'kourier-system/kourier': kourier({}) }),
      ),
    ).toEqual({ address: null, reason: 'kourier-system/kourier has no load balancer address yet' });
  });

  it('lets other API errors through (a 403 is not "no gateway")', async () => {
    const forbidden = {
      readNamespacedConfigMap: async () => {
        throw Object.assign(new Error('forbidden'), { code: 403 });
      },
    } as unknown as CoreV1Api;
    await expect(discoverIngressGateway(forbidden)).rejects.toThrow('forbidden');
  });
});

describe('GatewayResolver', () => {
  it("uses the playground's own gateway for its context and discovery for others, once a minute", async () => {
    let clock = 0;
    const asked: string[] = [];
    const resolver = new GatewayResolver({
      playgroundGateway: (context) => (context === 'playground' ? 'http://127.0.0.1:4000' : undefined),
      discover: async (context) => {
        asked.push(context);
        return { address: `http://${context}.example`, reason: '' };
      },
      now: () => clock,
    });
    expect(await resolver.resolve('playground')).toBe('http://127.0.0.1:4000');
    expect(await resolver.resolve('prod')).toBe('http://prod.example');
    clock = 59_000;
    expect(await resolver.resolve('prod')).toBe('http://prod.example');
    expect(asked).toEqual(['prod']);
    clock = 61_000;
    await resolver.resolve('prod');
    expect(asked).toEqual(['prod', 'prod']);
  });

  it('treats a failed discovery as no gateway known, and says why', async () => {
    const resolver = new GatewayResolver({
      playgroundGateway: () => undefined,
      discover: async () => {
        throw new Error('unreachable');
      },
    });
    expect(await resolver.resolve('prod')).toBeNull();
    expect(await resolver.describe('prod')).toEqual({
      context: 'prod',
      address: null,
      source: 'none',
      typed: null,
      discovered: { address: null, reason: 'discovery failed: unreachable' },
    });
  });

  it('uses an address typed for a context before the playground’s and the discovered one', async () => {
    const typed: Record<string, string> = { playground: 'http://127.0.0.1:9999', ask: 'http://198.51.100.4' };
    const resolver = new GatewayResolver({
      typedGateway: (context) => typed[context],
      playgroundGateway: (context) => (context === 'playground' ? 'http://127.0.0.1:4000' : undefined),
      discover: async (context) => ({
        address: context === 'kourier' ? 'http://203.0.113.7' : null,
        reason:
          context === 'kourier' ? 'kourier-system/kourier' : 'no known gateway Service for ingress class x',
      }),
    });
    expect(await resolver.describe('playground')).toEqual({
      context: 'playground',
      address: 'http://127.0.0.1:9999',
      source: 'typed',
      typed: 'http://127.0.0.1:9999',
      discovered: null,
    });
    expect(await resolver.describe('ask')).toMatchObject({
      address: 'http://198.51.100.4',
      source: 'typed',
      discovered: { address: null, reason: 'no known gateway Service for ingress class x' },
    });
    expect(await resolver.describe('kourier')).toMatchObject({
      address: 'http://203.0.113.7',
      source: 'discovered',
    });
    delete typed.playground;
    expect(await resolver.describe('playground')).toMatchObject({
      address: 'http://127.0.0.1:4000',
      source: 'playground',
      typed: null,
    });
  });

  it('asks the cluster again after forget (the Connect screen’s "Discover again")', async () => {
    let calls = 0;
    const resolver = new GatewayResolver({
      playgroundGateway: () => undefined,
      discover: async () => ({ address: `http://203.0.113.${++calls}`, reason: '' }),
    });
    expect(await resolver.resolve('prod')).toBe('http://203.0.113.1');
    expect(await resolver.resolve('prod')).toBe('http://203.0.113.1');
    resolver.forget('prod');
    expect(await resolver.resolve('prod')).toBe('http://203.0.113.2');
  });
});
