import { describe, expect, it } from 'vitest';
import {
  choose,
  goJsonOfSpec,
  ingressHash,
  INGRESS_CLASS_ANNOTATION,
  isOfClass,
  readyStatus,
  routesOf,
  routingOf,
  serviceOfHost,
  statusIsCurrent,
  type KIngress,
} from './kingress-routes';

const balancers = {
  public: 'pub.knative-serving.svc.cluster.local',
  internal: 'int.knative-serving.svc.cluster.local',
};

const split = (revision: string, percent: number) => ({
  serviceNamespace: 'ns',
  serviceName: revision,
  servicePort: 80,
  percent,
  appendHeaders: { 'Knative-Serving-Revision': revision, 'Knative-Serving-Namespace': 'ns' },
});

// Shaped as Knative's Route reconciler writes it for a Service with a tag and a 90/10 split.
const ingress: KIngress = {
  metadata: { name: 'svc', namespace: 'ns', generation: 3 },
  spec: {
    rules: [
      {
        hosts: ['svc.ns.example.com'],
        visibility: 'ExternalIP',
        http: {
          paths: [
            {
              headers: { 'Knative-Serving-Tag': { exact: 'canary' } },
              splits: [split('svc-00002', 100)],
              appendHeaders: { 'Knative-Serving-Tag': 'canary' },
            },
            { path: '/api', splits: [split('svc-00003', 100)] },
            { splits: [split('svc-00001', 90), split('svc-00002', 10)] },
          ],
        },
      },
      {
        hosts: ['svc.ns', 'svc.ns.svc', 'svc.ns.svc.cluster.local'],
        visibility: 'ClusterLocal',
        http: { paths: [{ splits: [split('svc-00001', 100)], rewriteHost: 'target.ns.svc.cluster.local' }] },
      },
    ],
  },
};
const routes = routesOf(ingress);
const request = (gateway: 'public' | 'internal', host: string, path = '/', headers = {}) => ({
  gateway,
  host,
  path,
  headers,
});

describe('KIngress routing', () => {
  it('splits by percent and sets the split’s appended headers', () => {
    const low = choose(routes, request('public', 'svc.ns.example.com:80'), () => 0.5);
    const high = choose(routes, request('public', 'svc.ns.example.com'), () => 0.95);
    expect(low?.split.serviceName).toBe('svc-00001');
    expect(high?.split.serviceName).toBe('svc-00002');
    expect(low?.headers).toEqual({
      'Knative-Serving-Revision': 'svc-00001',
      'Knative-Serving-Namespace': 'ns',
    });
  });

  it('matches a tag header exactly and a path by prefix, in spec order', () => {
    const tagged = choose(
      routes,
      request('public', 'svc.ns.example.com', '/', { 'knative-serving-tag': 'canary' }),
    );
    expect(tagged?.split.serviceName).toBe('svc-00002');
    expect(tagged?.headers['Knative-Serving-Tag']).toBe('canary');
    const other = choose(
      routes,
      request('public', 'svc.ns.example.com', '/', { 'knative-serving-tag': 'x' }),
      () => 0,
    );
    expect(other?.split.serviceName).toBe('svc-00001');
    expect(choose(routes, request('public', 'svc.ns.example.com', '/api/v1?q=1'))?.split.serviceName).toBe(
      'svc-00003',
    );
  });

  it('serves cluster-local hosts only on the internal gateway, external ones on both, and rewrites Host', () => {
    expect(choose(routes, request('public', 'svc.ns.svc.cluster.local'))).toBeUndefined();
    const local = choose(routes, request('internal', 'SVC.ns.svc.cluster.local'));
    expect(local?.split.serviceName).toBe('svc-00001');
    expect(local?.host).toBe('target.ns.svc.cluster.local');
    expect(choose(routes, request('internal', 'svc.ns.example.com'), () => 0)).toBeDefined();
    expect(choose(routes, request('internal', 'other.ns.example.com'))).toBeUndefined();
  });
});

describe('KIngress class and probe hash (as knative.dev/networking defines them)', () => {
  it('redirects plain HTTP only for ExternalIP rules of a Redirected Ingress, and finds the certificate by host', () => {
    const redirected: KIngress = {
      ...ingress,
      spec: {
        ...ingress.spec,
        httpOption: 'Redirected',
        tls: [
          { hosts: ['svc.ns.example.com'], secretName: 'cert-a' },
          {
            hosts: ['SVC.ns.example.com', 'other.example.com'],
            secretName: 'cert-b',
            secretNamespace: 'certs',
          },
        ],
      },
    };
    const pick = (host: string) =>
      choose(routesOf(redirected), { gateway: 'public', host, path: '/', headers: {} }, () => 0)
        ?.redirectToHttps;
    expect(pick('svc.ns.example.com')).toBe(true);
    const local = choose(routesOf(redirected), {
      gateway: 'internal',
      host: 'svc.ns',
      path: '/',
      headers: {},
    });
    expect(local?.redirectToHttps).toBe(false);
    expect(routesOf(ingress).every((route) => !route.redirectToHttps)).toBe(true);
    const classed = (name: string, ingressClass: string, spec: KIngress['spec']): KIngress => ({
      metadata: { ...redirected.metadata, name, annotations: { [INGRESS_CLASS_ANNOTATION]: ingressClass } },
      spec,
    });
    const other = classed('other', 'istio.ingress.networking.knative.dev', {
      ...redirected.spec,
      tls: [{ hosts: ['svc.ns.example.com'], secretName: 'not-ours' }],
    });
    const routing = routingOf([other, classed('svc', 'ours', redirected.spec)], 'ours');
    // Only Ingresses of the class count, and the first Secret named for a host wins (case-insensitive).
    expect(new Set(routing.routes.map((route) => route.ingress))).toEqual(new Set(['ns/svc']));
    expect(Object.fromEntries(routing.certificates)).toEqual({
      'svc.ns.example.com': { namespace: 'ns', name: 'cert-a' },
      'other.example.com': { namespace: 'certs', name: 'cert-b' },
    });
  });

  it('takes only Ingresses that name its class exactly: none without the annotation', () => {
    const withClass = (annotations?: Record<string, string>) => ({
      ...ingress,
      metadata: { ...ingress.metadata, annotations },
    });
    const ours = 'kdesk.ingress.networking.knative.dev';
    expect(isOfClass(withClass({ 'networking.knative.dev/ingress.class': ours }), ours)).toBe(true);
    expect(isOfClass(withClass(), ours)).toBe(false);
    expect(isOfClass(withClass({}), ours)).toBe(false);
    expect(isOfClass(withClass({ 'networking.knative.dev/ingress.class': '' }), ours)).toBe(false);
    expect(isOfClass(withClass({ 'networking.knative.dev/ingress.class': 'kourier' }), ours)).toBe(false);
  });

  // The expected JSON and hashes were computed by upstream's own ingress.ComputeHash (Go, networking module
  // v0.0.0-20260529061306-c8de379770b9) from the same objects: Go field order, omitempty, sorted map keys,
  // HTML-safe escapes, `null` for absent splits and IntOrString ports.
  it('writes the spec as Go does and hashes it as ComputeHash does', () => {
    const tricky: KIngress = {
      metadata: { name: 'svc', namespace: 'ns' },
      spec: {
        tls: [{ hosts: ['a.example.com'], secretName: 's', secretNamespace: 'ns' }],
        rules: [
          {
            hosts: ['svc.ns.example.com', 'b<&>.x'],
            visibility: 'ExternalIP',
            http: {
              paths: [
                {
                  headers: { 'Knative-Serving-Tag': { exact: 'canary' }, 'A-First': { exact: '1' } },
                  splits: [
                    {
                      serviceNamespace: 'ns',
                      serviceName: 'svc-00002',
                      servicePort: 80,
                      percent: 100,
                      appendHeaders: {
                        'Knative-Serving-Revision': 'svc-00002',
                        'Knative-Serving-Namespace': 'ns',
                      },
                    },
                  ],
                  appendHeaders: { 'Knative-Serving-Tag': 'canary' },
                },
                {
                  path: '/api',
                  rewriteHost: 'h.ns.svc.cluster.local',
                  splits: [
                    { serviceNamespace: 'ns', serviceName: 'svc-00003', servicePort: 'http2', percent: 0 },
                  ],
                },
              ],
            },
          },
          { hosts: [], visibility: 'ClusterLocal', http: { paths: [{ splits: [] }] } },
          { hosts: ['c'] },
        ],
        httpOption: 'Redirected',
      },
    };
    expect(goJsonOfSpec(tricky.spec)).toBe(
      '{"tls":[{"hosts":["a.example.com"],"secretName":"s","secretNamespace":"ns"}],"rules":[{"hosts":' +
        '["svc.ns.example.com","b\\u003c\\u0026\\u003e.x"],"visibility":"ExternalIP","http":{"paths":[{"headers":' +
        '{"A-First":{"exact":"1"},"Knative-Serving-Tag":{"exact":"canary"}},"splits":[{"serviceNamespace":"ns",' +
        '"serviceName":"svc-00002","servicePort":80,"percent":100,"appendHeaders":{"Knative-Serving-Namespace":' +
        '"ns","Knative-Serving-Revision":"svc-00002"}}],"appendHeaders":{"Knative-Serving-Tag":"canary"}},' +
        '{"path":"/api","rewriteHost":"h.ns.svc.cluster.local","splits":[{"serviceNamespace":"ns",' +
        '"serviceName":"svc-00003","servicePort":"http2"}]}]}},{"visibility":"ClusterLocal","http":{"paths":' +
        '[{"splits":[]}]}},{"hosts":["c"]}],"httpOption":"Redirected"}',
    );
    expect(ingressHash(tricky)).toBe('20a4eca97ee62b980758a2200a1a6a0aacf35a3ba1ac4e642cbd37be6bb10144');
    const probed: KIngress = {
      metadata: { name: 'probe-me', namespace: 'serving-tests' },
      spec: {
        rules: [
          {
            hosts: ['x.example.com'],
            visibility: 'ExternalIP',
            http: {
              paths: [
                { splits: [{ serviceNamespace: 'serving-tests', serviceName: 'x', servicePort: 8080 }] },
              ],
            },
          },
        ],
      },
    };
    expect(ingressHash(probed)).toBe('6898f47641efb79334e8f07db7c580997ba951ae475afee45a8e13d1544e61a7');
  });

  it('answers `K-Network-Hash: override` with the hash appended, and leaves other requests as they were', () => {
    const hash = ingressHash(ingress);
    const probe = choose(
      routes,
      request('public', 'svc.ns.example.com', '/', { 'k-network-hash': 'override' }),
      () => 0,
    );
    expect(probe?.headers['K-Network-Hash']).toBe(hash);
    expect(probe?.split.serviceName).toBe('svc-00001');
    const taggedProbe = choose(
      routes,
      request('public', 'svc.ns.example.com', '/', {
        'k-network-hash': 'override',
        'knative-serving-tag': 'canary',
      }),
    );
    expect(taggedProbe?.split.serviceName).toBe('svc-00002');
    expect(taggedProbe?.headers).toMatchObject({ 'K-Network-Hash': hash, 'Knative-Serving-Tag': 'canary' });
    const plain = choose(routes, request('public', 'svc.ns.example.com', '/', { 'k-network-hash': 'abc' }));
    expect(plain?.headers['K-Network-Hash']).toBeUndefined();
  });
});

describe('KIngress status', () => {
  it('writes upstream’s three conditions, the generation and both load balancers, once', () => {
    const status = readyStatus(ingress, balancers, '2026-01-01T00:00:00Z');
    expect(status).toMatchObject({
      observedGeneration: 3,
      publicLoadBalancer: { ingress: [{ domainInternal: balancers.public }] },
      privateLoadBalancer: { ingress: [{ domainInternal: balancers.internal }] },
    });
    expect(
      (status.conditions as { type: string; status: string }[]).map((c) => `${c.type}=${c.status}`),
    ).toEqual(['LoadBalancerReady=True', 'NetworkConfigured=True', 'Ready=True']);
    expect(statusIsCurrent(ingress, balancers)).toBe(false);
    const written = { ...ingress, status: status as KIngress['status'] };
    expect(statusIsCurrent(written, balancers)).toBe(true);
    expect(statusIsCurrent({ ...written, metadata: { ...written.metadata, generation: 4 } }, balancers)).toBe(
      false,
    );
  });

  it('names a Service the way cluster DNS does', () => {
    expect(serviceOfHost('rev-00001.ns.svc.cluster.local')).toEqual({ name: 'rev-00001', namespace: 'ns' });
    expect(serviceOfHost('rev.ns')).toEqual({ name: 'rev', namespace: 'ns' });
    expect(serviceOfHost('rev.ns.example.com')).toBeUndefined();
    expect(serviceOfHost('localhost')).toBeUndefined();
  });
});
