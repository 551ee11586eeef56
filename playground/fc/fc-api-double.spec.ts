// Drives the FC double through the real @alicloud/fc2 client (custom endpoint), so the signature, headers and
// response parsing are the SDK's own, not a re-implementation of them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FcApiDouble, fcResourceName, type FcCredentials } from './fc-api-double';
import { composeStringToSign } from './fc-signature';

interface Fc2Client {
  listServices(
    options?: Record<string, unknown>,
  ): Promise<{ data: { services: { serviceName: string }[]; nextToken?: string } }>;
  getService(name: string): Promise<{ data: { serviceName: string; role: string } }>;
  listFunctions(
    service: string,
  ): Promise<{ data: { functions: { functionName: string; customContainerConfig: { image: string } }[] } }>;
  getFunction(
    service: string,
    fn: string,
  ): Promise<{ data: { functionName: string; instanceConcurrency: number } }>;
  listCustomDomains(options?: Record<string, unknown>): Promise<{
    data: { customDomains: { domainName: string; routeConfig: { routes: { serviceName: string }[] } }[] };
  }>;
  listInstances(
    service: string,
    fn: string,
    qualifier?: string,
  ): Promise<{ data: { instances: { instanceId: string }[] } }>;
  createService(name: string, options?: Record<string, unknown>): Promise<unknown>;
}
type Fc2Constructor = new (accountId: string, config: Record<string, unknown>) => Fc2Client;
const FC = createRequire(import.meta.url)('@alicloud/fc2') as Fc2Constructor;

const credentials: FcCredentials = {
  accountId: '1234567890123456',
  accessKeyId: 'LTAIplayground',
  accessKeySecret: 'playground-secret',
  region: 'cn-shanghai',
};

let double: FcApiDouble;
let endpoint: string;
let invoked: string[] = [];
let target: http.Server;

function client(
  overrides: Partial<{ accessKeyID: string; accessKeySecret: string; accountId: string }> = {},
) {
  return new FC(overrides.accountId ?? credentials.accountId, {
    accessKeyID: overrides.accessKeyID ?? credentials.accessKeyId,
    accessKeySecret: overrides.accessKeySecret ?? credentials.accessKeySecret,
    region: credentials.region,
    endpoint,
    timeout: 5000,
  });
}

beforeAll(async () => {
  target = http.createServer((request, response) => {
    invoked.push(request.url ?? '');
    response.end('hello from the replica');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetPort = (target.address() as AddressInfo).port;
  double = new FcApiDouble({
    credentials,
    instancesOf: (namespace, name) =>
      name === 'demo-barrage'
        ? [
            { instanceId: `${namespace}-${name}-a`, versionId: 'LATEST' },
            { instanceId: `${namespace}-${name}-b`, versionId: 'LATEST' },
          ]
        : [],
    invocationTarget: (namespace, name) => ({
      host: '127.0.0.1',
      port: targetPort,
      pathPrefix: `/_/${namespace}/${name}`,
    }),
  });
  endpoint = await double.listen();
  double.publish({
    namespace: 'default',
    name: 'demo-barrage',
    image: 'knative-desk/barrage-homepage:0.1.0',
    environmentVariables: { KAFKA_TOPIC: 'barrage-info' },
    instanceConcurrency: 10,
    caPort: 8080,
    roleArn: 'acs:ram::1234567890123456:role/knative-fc',
    codeSpace: 'image',
    customDomain: { domain: 'barrage.demo.knative.top', path: '/*' },
  });
  for (let i = 0; i < 25; i++) {
    double.publish({
      namespace: 'paging',
      name: `svc-${String(i).padStart(2, '0')}`,
      image: 'x',
      environmentVariables: {},
      instanceConcurrency: 1,
      caPort: 8080,
    });
  }
});

afterAll(async () => {
  await double.close();
  target.close();
});

describe('FC 2.0 API double through @alicloud/fc2', () => {
  it('matches the upstream SDK test vector for the string to sign', () => {
    const text = composeStringToSign(
      'GET',
      '/path/action with-escaped~chars_here.ext',
      {
        'content-md5': '1bca714f406993b309bb87fabeb30a6b',
        'content-type': 'text/json',
        date: 'today',
        'x-fc-foo': '123',
        'x-fc-bar': 'xyz',
        'x-fcdummy': 'dummy',
        test: 'foo',
      },
      {
        foo: 'bar',
        key1: ['xyz', 'abc'],
        'key3 with-escaped~chars_here.ext': 'value with-escaped~chars_here.ext',
        key2: ['123'],
      },
    );
    expect(text).toBe(
      'GET\n1bca714f406993b309bb87fabeb30a6b\ntext/json\ntoday\nx-fc-bar:xyz\nx-fc-foo:123\n' +
        '/path/action with-escaped~chars_here.ext\nfoo=bar\nkey1=abc\nkey1=xyz\nkey2=123\n' +
        'key3 with-escaped~chars_here.ext=value with-escaped~chars_here.ext',
    );
  });

  it('lists the HomePage service and function kn_<ns>_<name> with its image, role and custom domain', async () => {
    const fc = client();
    const name = fcResourceName('default', 'demo-barrage');
    const services = await fc.listServices({ prefix: 'kn_default_' });
    expect(services.data.services.map((service) => service.serviceName)).toEqual([name]);
    expect((await fc.getService(name)).data.role).toBe('acs:ram::1234567890123456:role/knative-fc');
    const functions = await fc.listFunctions(name);
    expect(functions.data.functions[0]?.functionName).toBe(name);
    expect(functions.data.functions[0]?.customContainerConfig.image).toBe(
      'knative-desk/barrage-homepage:0.1.0',
    );
    expect((await fc.getFunction(name, name)).data.instanceConcurrency).toBe(10);
    const domains = await fc.listCustomDomains();
    expect(domains.data.customDomains.map((domain) => domain.domainName)).toEqual([
      'barrage.demo.knative.top',
    ]);
    expect(domains.data.customDomains[0]?.routeConfig.routes[0]?.serviceName).toBe(name);
    const instances = await fc.listInstances(name, name);
    expect(instances.data.instances).toHaveLength(2);
  });

  it('pages with limit and nextToken until every service was seen once', async () => {
    const fc = client();
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const result = await fc.listServices({
        prefix: 'kn_paging_',
        limit: 10,
        ...(nextToken ? { nextToken } : {}),
      });
      seen.push(...result.data.services.map((service) => service.serviceName));
      nextToken = result.data.nextToken;
      pages++;
    } while (nextToken && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toHaveLength(25);
  });

  it('answers FC-shaped errors: SignatureNotMatch, InvalidAccessKeyID, ServiceNotFound, read-only', async () => {
    await expect(client({ accessKeySecret: 'wrong' }).listServices()).rejects.toMatchObject({
      code: 'SignatureNotMatch',
      name: 'FCSignatureNotMatchError',
    });
    await expect(client({ accessKeyID: 'LTAIunknown' }).listServices()).rejects.toMatchObject({
      code: 'InvalidAccessKeyID',
    });
    await expect(client({ accountId: '999' }).listServices()).rejects.toMatchObject({
      code: 'InvalidAccountID',
    });
    await expect(client().getService('kn_default_missing')).rejects.toMatchObject({
      code: 'ServiceNotFound',
      message: expect.stringContaining('failed with 404'),
    });
    await expect(client().createService('kn_x')).rejects.toMatchObject({ code: 'MethodNotAllowed' });
  });

  it('forwards HTTP invocations under /proxy/ to the ingress path of the Knative Service', async () => {
    invoked = [];
    const name = fcResourceName('default', 'demo-barrage');
    const response = await fetch(`${endpoint}/2016-08-15/proxy/${name}.LATEST/${name}/api/health?x=1`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from the replica');
    expect(invoked).toEqual(['/_/default/demo-barrage/api/health?x=1']);
  });
});
