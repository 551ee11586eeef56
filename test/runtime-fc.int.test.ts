// FC-class Knative Services on the playground: published to the FC 2.0 double as `kn_<ns>_<name>` (service,
// function, custom domain), reachable through the real @alicloud/fc2 client with the keys from `playground up
// --json`, invocable through the FC proxy URL the Service reports, with instances (not Pods) the console can count.
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import {
  clients,
  conditionOf,
  createKnativeService,
  getKsvc,
  podsOf,
  request,
  waitFor,
} from './support/runtime-helpers';
import { runtimeTestContext, namespaceForFile } from './support/file-fixtures';

interface Fc2Client {
  listServices(options?: Record<string, unknown>): Promise<{ data: { services: { serviceName: string }[] } }>;
  listFunctions(
    service: string,
  ): Promise<{ data: { functions: { functionName: string; customContainerConfig: { image: string } }[] } }>;
  listCustomDomains(options?: Record<string, unknown>): Promise<{
    data: { customDomains: { domainName: string; routeConfig: { routes: { functionName: string }[] } }[] };
  }>;
  listInstances(service: string, fn: string): Promise<{ data: { instances: { instanceId: string }[] } }>;
}
const FC = createRequire(import.meta.url)('@alicloud/fc2') as new (
  account: string,
  config: Record<string, unknown>,
) => Fc2Client;

const { playground, runtime, kc } = runtimeTestContext();
const namespace = namespaceForFile(playground, 'rt-fc');

function fcClient(secret = runtime.fc.accessKeySecret): Fc2Client {
  return new FC(runtime.fc.accountId, {
    accessKeyID: runtime.fc.accessKeyId,
    accessKeySecret: secret,
    region: runtime.fc.region,
    endpoint: runtime.fc.endpoint,
    timeout: 10_000,
  });
}

afterAll(async () => {
  await clients(kc)
    .custom.deleteNamespacedCustomObject({
      group: 'serving.knative.dev',
      version: 'v1',
      namespace: namespace.name,
      plural: 'services',
      name: 'front',
    })
    .catch(() => undefined);
});

describe('playground runtime: FC workloads', () => {
  it('publishes an fc-class Service as kn_<ns>_<name> with its custom domain, serves it, counts instances, no Pods', async () => {
    const domain = `front-${namespace.name}.demo.knative.test`;
    await createKnativeService(kc, namespace.name, {
      metadata: {
        name: 'front',
        namespace: namespace.name,
        annotations: { 'workload.serving.knative.aliyun.com/class': 'fc' },
      },
      spec: {
        template: {
          metadata: {
            annotations: {
              'fc.revision.serving.knative.aliyun.com/code-space': 'image',
              'fc.revision.serving.knative.aliyun.com/role-arm': 'acs:ram::1234567890123456:role/knative-fc',
              'fc.revision.serving.knative.aliyun.com/domain': JSON.stringify({ domain, path: '/*' }),
              'autoscaling.knative.dev/minScale': '1',
            },
          },
          spec: { containers: [{ image: PROBE_IMAGE }] },
        },
      },
    });
    const ksvc = await waitFor('front Ready', async () => {
      const current = await getKsvc(kc, namespace.name, 'front');
      return conditionOf(current, 'Ready')?.status === 'True' && current;
    });
    const fcName = `kn_${namespace.name}_front`;
    expect(ksvc.status?.url).toBe(`${runtime.fc.endpoint}/2016-08-15/proxy/${fcName}.LATEST/${fcName}/`);

    const fc = fcClient();
    const services = await fc.listServices({ prefix: `kn_${namespace.name}_` });
    expect(services.data.services.map((s) => s.serviceName)).toEqual([fcName]);
    const functions = await fc.listFunctions(fcName);
    expect(functions.data.functions.map((f) => [f.functionName, f.customContainerConfig.image])).toEqual([
      [fcName, PROBE_IMAGE],
    ]);
    const domains = await fc.listCustomDomains({ prefix: `front-${namespace.name}` });
    expect(
      domains.data.customDomains.map((d) => [d.domainName, d.routeConfig.routes[0]?.functionName]),
    ).toEqual([[domain, fcName]]);

    // Invocation through the URL the Service reports, and through the custom domain on the ingress.
    const viaFc = await request(`${String(ksvc.status?.url)}hello`);
    expect(viaFc.status).toBe(200);
    expect(JSON.parse(viaFc.body)).toMatchObject({ path: '/hello' });
    const viaDomain = await request(`${runtime.ingress}/domain`, { headers: { host: domain } });
    expect(JSON.parse(viaDomain.body)).toMatchObject({ path: '/domain' });

    const instances = await fc.listInstances(fcName, fcName);
    expect(instances.data.instances.length).toBeGreaterThanOrEqual(1);
    expect(await podsOf(kc, namespace.name, 'front')).toHaveLength(0);

    await expect(fcClient('not-the-secret').listServices()).rejects.toMatchObject({
      code: 'SignatureNotMatch',
    });
  });
});
