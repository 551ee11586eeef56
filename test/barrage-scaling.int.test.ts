// The barrage templates on the playground's Knative Serving: processing (ECI, containerConcurrency 2, pods on the
// virtual node) fed by the KafkaSource, and HomePage (FC). Records produced while processing is at zero are all
// stored once Knative's activator has woken it; a bounded load on HomePage makes Knative's autoscaler scale
// processing above one pod (read from its Deployment and Pods), and it returns to zero afterwards; the FC double
// lists HomePage's function and refuses a wrong secret. Queue-proxy, not this repo, holds each pod to 2 requests.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplatesWith } from '../workloads/templates/index';
import { deleteBarrageDemo, serverSideApply } from './support/apply-objects';
import {
  boundedLoad,
  conditionOf,
  getKsvc,
  podsOf,
  readyKsvc,
  requestService,
  waitFor,
} from './support/runtime-helpers';
import { runtimeTestContext, namespaceForFile, kafkaClientsForFile } from './support/file-fixtures';
import { storedBarrageIds } from './support/stored-barrage';
import { uniqueGroup, uniqueTopic } from './support/unique';

const { playground, runtime, kc } = runtimeTestContext();
// Pods are host processes sharing the host's filesystem, so processing's SQLite store can live in a temp dir.
const dataDir = mkdtempSync(join(tmpdir(), 'barrage-scaling-'));
const namespace = namespaceForFile(playground, 'barrage-scaling');
const { admin, producer } = kafkaClientsForFile(playground);
const topic = uniqueTopic('barrage');

const storedIds = () => storedBarrageIds(join(dataDir, `${namespace.name}.sqlite`));
const livePods = async () =>
  (await podsOf(kc, namespace.name, 'barrage-processing')).filter((pod) => !pod.metadata?.deletionTimestamp);

beforeAll(async () => {
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

  const objects = renderTemplatesWith(
    {
      namespace: namespace.name,
      kafkaTopic: topic,
      consumerGroup: uniqueGroup('barrage'),
      initialOffset: 'earliest',
      processingMaxScale: 6,
      rateLimitCount: 100_000,
    },
    {
      target: 'playground',
      playground: { kafkaBrokers: playground.kafkaBrokers, dataDir },
    },
  );
  for (const object of objects) {
    // Knative's shortest stable window (6 s) instead of 60 s, so "back to zero" takes seconds in a test (the same
    // autoscaler rules apply; the activator's scale-to-zero grace period still counts).
    if (object.kind === 'Service' && object.metadata.name === 'barrage-processing') {
      const template = (
        object as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }
      ).spec.template;
      template.metadata.annotations['autoscaling.knative.dev/window'] = '6s';
    }
  }
  await serverSideApply(kc.makeApiClient(KubernetesObjectApi), objects, 'barrage-scaling-test');
});

afterAll(async () => {
  await deleteBarrageDemo(kc.makeApiClient(KubernetesObjectApi), namespace.name);
});

describe('the barrage templates on Knative Serving', () => {
  it('stores every record produced while processing is at zero, each once, after processing wakes', async () => {
    await waitFor(
      'processing Ready',
      async () =>
        conditionOf(await getKsvc(kc, namespace.name, 'barrage-processing'), 'Ready')?.status === 'True',
      120_000,
    );
    // The first pod (initial scale 1) runs on the virtual node; then, without traffic, it goes.
    const first = await waitFor('a processing Pod', async () => (await livePods())[0], 60_000);
    expect(first.metadata?.labels?.['serving.knative.dev/service']).toBe('barrage-processing');
    expect(first.spec?.containers.map((container) => container.name).sort()).toEqual([
      'queue-proxy',
      'user-container',
    ]);
    await waitFor('processing at zero', async () => (await livePods()).length === 0, 150_000);
    const messages = Array.from({ length: 40 }, (_, i) => ({
      id: ulid(),
      text: `at zero ${i}`,
      color: '#ffffff',
      mode: 'scroll',
      user: `tester${i % 3}`,
      sentAt: new Date().toISOString(),
    }));
    await producer.send({
      topic,
      messages: messages.map((message) => ({
        key: message.id,
        value: JSON.stringify(message),
        headers: { 'content-type': 'application/json' },
      })),
    });
    await waitFor(
      'all 40 stored',
      async () => messages.every((message) => storedIds().includes(message.id)),
      120_000,
    );
    const ids = storedIds().filter((id) => messages.some((message) => message.id === id));
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  }, 420_000);

  it('HomePage load scales processing above one pod (Deployment and Pods), then back to zero; FC lists HomePage', async () => {
    const homepage = await readyKsvc(kc, namespace.name, 'barrage-homepage');
    const sendUrl = `${(homepage.status?.address as { url: string }).url}/api/barrage`;
    const apps = kc.makeApiClient(AppsV1Api);
    let maxPods = 0;
    let maxDesired = 0;
    const watcher = setInterval(() => {
      void livePods().then((pods) => (maxPods = Math.max(maxPods, pods.length)));
      void apps
        .listNamespacedDeployment({
          namespace: namespace.name,
          labelSelector: 'serving.knative.dev/service=barrage-processing',
        })
        .then((list) => {
          for (const deployment of list.items)
            maxDesired = Math.max(maxDesired, deployment.spec?.replicas ?? 0);
        });
    }, 300);
    const results = await boundedLoad(3000, 48, (i) =>
      requestService(runtime.ingress, sendUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `load ${i}`, user: `loader${i % 10}` }),
      }),
    );
    const accepted = results
      .filter((result) => result.status === 202)
      .map((result) => (JSON.parse(result.body) as { id: string }).id);
    expect(accepted.length).toBe(3000);
    await waitFor(
      'all accepted barrage stored',
      async () => {
        const stored = new Set(storedIds());
        return accepted.every((id) => stored.has(id));
      },
      180_000,
    );
    clearInterval(watcher);
    expect(maxDesired, 'the revision Deployment was scaled above one replica').toBeGreaterThan(1);
    expect(maxPods, 'more than one processing pod ran at once').toBeGreaterThan(1);
    await waitFor('processing back to zero', async () => (await livePods()).length === 0, 150_000);

    const FC = createRequire(import.meta.url)('@alicloud/fc2') as new (
      account: string,
      config: Record<string, unknown>,
    ) => {
      listFunctions(service: string): Promise<{ data: { functions: { functionName: string }[] } }>;
    };
    const fcName = `kn_${namespace.name}_barrage-homepage`;
    const config = {
      accessKeyID: runtime.fc.accessKeyId,
      region: runtime.fc.region,
      endpoint: runtime.fc.endpoint,
    };
    const fc = new FC(runtime.fc.accountId, { ...config, accessKeySecret: runtime.fc.accessKeySecret });
    expect((await fc.listFunctions(fcName)).data.functions.map((f) => f.functionName)).toEqual([fcName]);
    const wrong = new FC(runtime.fc.accountId, { ...config, accessKeySecret: 'wrong-secret' });
    await expect(wrong.listFunctions(fcName)).rejects.toMatchObject({ code: 'SignatureNotMatch' });
    expect(await podsOf(kc, namespace.name, 'barrage-homepage')).toHaveLength(0);
  }, 480_000);
});
