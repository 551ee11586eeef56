// Proof of FC workloads on the playground's Knative Serving (issue 9, "FC workloads"): the HomePage template, an
// FC-class Service, is reconciled by upstream Knative Serving itself, yet becomes the function `kn_<ns>_<name>` in the
// FC double (our FC controller, playground/fc/), with no Pods in the user's namespace, as on ASK. Checked with kubectl
// and with @alicloud/fc2 (clients this project did not write): the Service turns Ready with its Knative URL, its
// revision carries our PodAutoscaler class at initial scale 0 (the user's Service does not), its Deployment stays
// at 0 replicas, the function answers 2xx through the FC proxy URL and through the KIngress by the Service's Host, FC
// lists the function and its instances, and deleting the Service unpublishes the function. With the other two
// template parts beside it, the whole barrage runs: a message POSTed to HomePage (the function) by the Service's Host
// goes through Kafka and the KafkaSource to processing (a pod on the virtual node), is stored, and comes back on
// HomePage's result stream read through the FC proxy URL.
//
// A private upstream-mode playground (a temp dir, with Kafka; test/support/upstream-playground.ts), which runs beside
// any other.
import http from 'node:http';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { annotations } from '../knative/keys';
import { FC_AUTOSCALING_CLASS } from '../playground/fc/fc-revision-webhook';
import type { PlaygroundInfo } from '../playground/info';
import { barrageImages } from '../workloads/images';
import { readPlaygroundFacts } from '../playground/template-facts';
import { renderTemplatesWith, type KubernetesObject } from '../workloads/templates';
import { kubectl, kubectlJson, readyKsvcStatus, until } from './support/kubectl';
import { request } from './support/runtime-helpers';
import { kafkaFor, uniqueName } from './support/unique';
import { privateUpstreamPlayground } from './support/upstream-playground';

interface Fc2Client {
  listServices(options?: Record<string, unknown>): Promise<{ data: { services: { serviceName: string }[] } }>;
  listFunctions(
    service: string,
  ): Promise<{ data: { functions: { functionName: string; customContainerConfig: { image: string } }[] } }>;
  listInstances(service: string, fn: string): Promise<{ data: { instances: { instanceId: string }[] } }>;
}
const FC = createRequire(import.meta.url)('@alicloud/fc2') as new (
  account: string,
  config: Record<string, unknown>,
) => Fc2Client;

interface FcFacts {
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
  endpoint: string;
}

const ownPlayground = privateUpstreamPlayground('fc', { kafka: true });
const dir = ownPlayground.dir;
const namespace = uniqueName('fc-up');
const name = 'barrage-homepage';
const fcName = `kn_${namespace}_${name}`;
let playground: PlaygroundInfo;
let fcFacts: FcFacts;

const json = <T>(args: string[]) => kubectlJson<T>(playground, args);

/** Reads an SSE stream until `until` matches what arrived (or the time is up); the body so far. */
function readStream(url: string, until: (body: string) => boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    const request = http.get(url, { headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (until(body)) {
          clearTimeout(timer);
          request.destroy();
          resolve(body);
        }
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve(body);
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const render = (parts: ('homepage' | 'processing' | 'event-driven')[]): KubernetesObject[] =>
  renderTemplatesWith(
    { namespace, homepageName: name, processingMaxScale: 2 },
    { target: 'playground', playground: readPlaygroundFacts(dir), parts },
  );

async function apply(objects: KubernetesObject[]): Promise<void> {
  const applied = await kubectl(playground, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
  expect(applied.code, applied.stderr).toBe(0);
}

const fcClient = () =>
  new FC(fcFacts.accountId, {
    accessKeyID: fcFacts.accessKeyId,
    accessKeySecret: fcFacts.accessKeySecret,
    region: fcFacts.region,
    endpoint: fcFacts.endpoint,
    timeout: 10_000,
  });

beforeAll(async () => {
  playground = ownPlayground.upstream.info;
  fcFacts = playground.fc as FcFacts;
  const created = await kubectl(playground, ['create', 'namespace', namespace]);
  expect(created.code, created.stderr).toBe(0);
  const admin = kafkaFor(playground).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: `barrage-info.${namespace}`, numPartitions: 2 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
}, 900_000);

describe('FC-class Services on upstream Knative Serving', () => {
  let url = '';

  it('publishes the FC double in `up --json`', () => {
    expect(fcFacts).toMatchObject({
      accountId: expect.any(String),
      endpoint: expect.stringMatching(/^http:/),
    });
  });

  it('turns the HomePage template Ready with its Knative URL, as a function with no Pods', async () => {
    await apply(render(['homepage']));

    const ready = await readyKsvcStatus(playground, name, namespace);
    url = ready.url ?? '';
    expect(url).toBe(`http://${name}.${namespace}.svc.cluster.local`);
    const revision = ready.latestReadyRevisionName ?? '';

    // The defaulting step put our PodAutoscaler class on the revision only; the user's Service is as applied.
    const rev = await json<{ metadata: { annotations: Record<string, string> } }>([
      'get',
      'revision',
      revision,
      '-n',
      namespace,
    ]);
    expect(rev.metadata.annotations).toMatchObject({
      [annotations.autoscalingClass]: FC_AUTOSCALING_CLASS,
      [annotations.initialScale]: '0',
    });
    const ksvc = await json<{ spec: { template: { metadata: { annotations?: Record<string, string> } } } }>([
      'get',
      'ksvc',
      name,
      '-n',
      namespace,
    ]);
    expect(ksvc.spec.template.metadata.annotations?.[annotations.autoscalingClass]).toBeUndefined();
    const pa = await json<{ status: { conditions: { type: string; status: string }[] } }>([
      'get',
      'podautoscaler',
      revision,
      '-n',
      namespace,
    ]);
    expect(pa.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');

    const deployment = await json<{ spec: { replicas: number } }>([
      'get',
      'deployment',
      `${revision}-deployment`,
      '-n',
      namespace,
    ]);
    expect(deployment.spec.replicas).toBe(0);
  }, 240_000);

  it('answers 2xx through the FC proxy URL and through the KIngress by the Service Host', async () => {
    const viaFc = await request(`${fcFacts.endpoint}/2016-08-15/proxy/${fcName}.LATEST/${fcName}/healthz`);
    expect(viaFc.status, viaFc.body).toBe(200);
    const page = await request(`${fcFacts.endpoint}/2016-08-15/proxy/${fcName}.LATEST/${fcName}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    const viaGateway = await request(`${playground.ingress as string}/healthz`, {
      headers: { host: new URL(url).host },
    });
    expect(viaGateway.status, viaGateway.body).toBe(200);
  }, 120_000);

  it('lists the function and its instances through @alicloud/fc2, and no Pods in the namespace', async () => {
    const fc = fcClient();
    const services = await fc.listServices({ prefix: `kn_${namespace}_` });
    expect(services.data.services.map((s) => s.serviceName)).toEqual([fcName]);
    const functions = await fc.listFunctions(fcName);
    expect(functions.data.functions.map((f) => [f.functionName, f.customContainerConfig.image])).toEqual([
      [fcName, barrageImages.homepage.image],
    ]);
    const instances = await fc.listInstances(fcName, fcName);
    expect(instances.data.instances.length).toBeGreaterThanOrEqual(1);

    const pods = await json<{ items: unknown[] }>(['get', 'pods', '-n', namespace]);
    expect(pods.items).toEqual([]);
  }, 60_000);

  it('runs the whole barrage: POST to the function, Kafka, processing on the virtual node, back on its stream', async () => {
    await apply(render(['processing', 'event-driven']));
    await until(
      'processing and its KafkaSource to turn Ready',
      async () => {
        const ready = async (kind: string, object: string) =>
          (
            await json<{ status: { conditions?: { type: string; status: string }[] } }>([
              'get',
              kind,
              object,
              '-n',
              namespace,
            ])
          ).status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return (await ready('ksvc', 'barrage-processing')) && (await ready('kafkasource', 'barrage-source'))
          ? true
          : undefined;
      },
      240_000,
    );
    const posted = await request(`${playground.ingress as string}/api/barrage`, {
      method: 'POST',
      headers: { host: new URL(url).host, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello from the FC function', user: 'fc-proof' }),
    });
    expect(posted.status, posted.body).toBe(202);
    const { id } = JSON.parse(posted.body) as { id: string };
    const stream = await readStream(
      `${fcFacts.endpoint}/2016-08-15/proxy/${fcName}.LATEST/${fcName}/api/barrage/stream`,
      (body) => body.includes(id),
      120_000,
    );
    expect(stream).toContain(id);
    expect(stream).toContain('hello from the FC function');
    // processing ran as Pods; HomePage still has none.
    const pods = await json<{ items: { metadata: { labels: Record<string, string> } }[] }>([
      'get',
      'pods',
      '-n',
      namespace,
    ]);
    expect(pods.items.map((pod) => pod.metadata.labels['serving.knative.dev/service'])).not.toContain(name);
  }, 420_000);

  // (On Docker Hub's name space, so Knative skips the digest lookup, as for the barrage images, and our controller decides.)
  it('fails an FC Service whose image the playground cannot run, saying why, with no Pods', async () => {
    const broken = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'broken', namespace, annotations: { [annotations.workloadClass]: 'fc' } },
      spec: { template: { spec: { containers: [{ image: 'someone/not-a-playground-image:1' }] } } },
    };
    const applied = await kubectl(playground, ['apply', '-f', '-'], { input: JSON.stringify(broken) });
    expect(applied.code, applied.stderr).toBe(0);
    type Conditions = {
      status: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
    };
    const revision = await until(
      'the broken revision to fail',
      async () => {
        const current = await json<Conditions>(['get', 'revision', 'broken-00001', '-n', namespace]);
        return current.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'False')
          ? current
          : undefined;
      },
      180_000,
    );
    expect(revision.status.conditions?.find((c) => c.type === 'Active')).toMatchObject({
      reason: 'ImageNotRunnable',
      message: expect.stringContaining('someone/not-a-playground-image:1'),
    });
    const ksvc = await until(
      'the broken Service to say its revision failed',
      async () => {
        const current = await json<Conditions>(['get', 'ksvc', 'broken', '-n', namespace]);
        const configurations = current.status.conditions?.find((c) => c.type === 'ConfigurationsReady');
        return configurations?.status === 'False' ? current : undefined;
      },
      60_000,
    );
    expect(ksvc.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(ksvc.status.conditions?.find((c) => c.type === 'ConfigurationsReady')?.message).toContain(
      'broken-00001',
    );
    const pods = await json<{ items: unknown[] }>([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      'serving.knative.dev/service=broken',
    ]);
    expect(pods.items).toEqual([]);
    const services = await fcClient().listServices({ prefix: `kn_${namespace}_broken` });
    expect(services.data.services).toEqual([]);
  }, 240_000);

  it('unpublishes the function when the Service is deleted', async () => {
    const deleted = await kubectl(playground, ['delete', 'ksvc', name, '-n', namespace, '--wait=false']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await until(
      'the function to leave FC',
      async () => {
        const services = await fcClient().listServices({ prefix: `kn_${namespace}_` });
        return services.data.services.length === 0 ? true : undefined;
      },
      90_000,
    );
  }, 120_000);
});
