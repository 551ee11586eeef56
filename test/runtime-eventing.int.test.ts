// The playground runtime's KafkaSource against the real Kafka and kube-apiserver: records produced while the sink
// is at zero are all delivered once it is up (each once), a sink that fails N times gets redeliveries and stores
// each record once, offsets are committed only after 2xx, and the source's status names its sink and group.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBE_IMAGE } from '../playground/runtime/image-catalog';
import {
  clients,
  conditionOf,
  createKnativeService,
  getKsvc,
  getObject,
  podsOf,
  runtimeOf,
  waitFor,
} from './support/runtime-helpers';
import { createUniqueNamespace, kafkaFor, kubeConfigFor, uniqueTopic } from './support/unique';

const playground = inject('playground');
runtimeOf(playground);
const kc = kubeConfigFor(playground, 'admin');
let namespace: string;
let removeNamespace: () => Promise<void>;
let admin: Admin;
let producer: Producer;
const scratch = mkdtempSync(join(tmpdir(), 'runtime-eventing-'));

beforeAll(async () => {
  const created = await createUniqueNamespace(playground, 'rt-eventing');
  namespace = created.name;
  removeNamespace = created.remove;
  const kafka = kafkaFor(playground);
  admin = kafka.admin();
  producer = kafka.producer();
  await admin.connect();
  await producer.connect();
});
afterAll(async () => {
  const custom = clients(kc).custom;
  for (const [group, version, plural] of [
    ['sources.knative.dev', 'v1', 'kafkasources'],
    ['serving.knative.dev', 'v1', 'services'],
  ] as const) {
    const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
      items: { metadata: { name: string } }[];
    };
    for (const item of list.items)
      await custom.deleteNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: item.metadata.name,
      });
  }
  await producer.disconnect();
  await admin.disconnect();
  await removeNamespace();
});

async function createKafkaSource(
  name: string,
  topic: string,
  sink: Record<string, unknown>,
  extra: { delivery?: unknown; annotations?: Record<string, string> } = {},
) {
  await clients(kc).custom.createNamespacedCustomObject({
    group: 'sources.knative.dev',
    version: 'v1',
    namespace,
    plural: 'kafkasources',
    body: {
      apiVersion: 'sources.knative.dev/v1',
      kind: 'KafkaSource',
      metadata: { name, namespace, annotations: extra.annotations ?? {} },
      spec: {
        bootstrapServers: playground.kafkaBrokers,
        topics: [topic],
        consumerGroup: `${name}-group`,
        initialOffset: 'earliest',
        sink,
        ...(extra.delivery ? { delivery: extra.delivery } : {}),
      },
    },
  });
}

/** Committed offsets of the group equal the topic's end offsets (everything acknowledged). */
async function fullyCommitted(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  return ends.every((end) => byPartition.get(end.partition) === end.high);
}

describe('playground runtime: KafkaSource', () => {
  it('delivers records produced while the sink is at zero, each exactly once, once the sink is up', async () => {
    const topic = uniqueTopic('at-zero');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const recordFile = join(scratch, 'at-zero.txt');
    await createKnativeService(kc, namespace, {
      metadata: { name: 'sink', namespace },
      spec: {
        template: {
          metadata: {
            annotations: { 'autoscaling.knative.dev/minScale': '0', 'autoscaling.knative.dev/window': '6s' },
          },
          spec: {
            containerConcurrency: 2,
            containers: [{ image: PROBE_IMAGE, env: [{ name: 'PROBE_RECORD_FILE', value: recordFile }] }],
          },
        },
      },
    });
    await waitFor(
      'sink Ready',
      async () => conditionOf(await getKsvc(kc, namespace, 'sink'), 'Ready')?.status === 'True',
    );
    await waitFor('sink at zero', async () => (await podsOf(kc, namespace, 'sink')).length === 0, 60_000);

    const records = Array.from({ length: 60 }, (_, i) => ({
      key: `k${i % 7}`,
      value: JSON.stringify({ n: i }),
    }));
    await producer.send({ topic, messages: records });
    await createKafkaSource(
      'from-zero',
      topic,
      { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'sink' } },
      {
        annotations: { 'kafka.eventing.knative.dev/delivery.order': 'unordered' },
      },
    );

    const source = await waitFor('KafkaSource Ready', async () => {
      const current = await getObject(
        kc,
        'sources.knative.dev',
        'v1',
        'kafkasources',
        namespace,
        'from-zero',
      );
      return conditionOf(current, 'Ready')?.status === 'True' && current;
    });
    expect(String(source.status?.sinkUri)).toContain(`/_/${namespace}/sink`);

    await waitFor(
      'all 60 records stored',
      async () => existsSync(recordFile) && readFileSync(recordFile, 'utf8').trim().split('\n').length >= 60,
      90_000,
    );
    await waitFor('offsets committed', () => fullyCommitted('from-zero-group', topic), 30_000);
    const stored = readFileSync(recordFile, 'utf8').trim().split('\n');
    expect(stored).toHaveLength(60);
    expect(new Set(stored).size).toBe(60);
    expect(stored.every((id) => /^partition:\d\/offset:\d+$/.test(id))).toBe(true);
  });

  it('redelivers to a sink that fails N times, stores each record once, and commits only after the 2xx', async () => {
    const topic = uniqueTopic('flaky');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const failures = 3;
    const attempts = new Map<string, number>();
    const stored = new Map<string, number>();
    const sink = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const id = String(request.headers['ce-id']);
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (attempt <= failures) {
          response.statusCode = 503;
          return response.end('not yet');
        }
        stored.set(id, (stored.get(id) ?? 0) + 1);
        response.statusCode = 202;
        response.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      const port = (sink.address() as AddressInfo).port;
      await producer.send({
        topic,
        messages: Array.from({ length: 10 }, (_, i) => ({ key: `r${i}`, value: `v${i}` })),
      });
      await createKafkaSource(
        'flaky',
        topic,
        { uri: `http://127.0.0.1:${port}/events` },
        {
          delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
        },
      );
      await waitFor('10 records stored', async () => stored.size === 10, 60_000);
      await waitFor('offsets committed', () => fullyCommitted('flaky-group', topic), 30_000);
      expect([...stored.values()].every((count) => count === 1)).toBe(true);
      expect([...attempts.values()].every((count) => count === failures + 1)).toBe(true);
      const source = await getObject(kc, 'sources.knative.dev', 'v1', 'kafkasources', namespace, 'flaky');
      expect(source?.status?.sinkUri).toBe(`http://127.0.0.1:${port}/events`);
      expect(
        (source?.status?.annotations as Record<string, string>)['playground.knative-desk.dev/consumer-group'],
      ).toBe('flaky-group');
    } finally {
      sink.close();
    }
  });

  it('reports a sink that does not resolve on the source status', async () => {
    const topic = uniqueTopic('nosink');
    await createKafkaSource('nowhere', topic, {
      ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'missing' },
    });
    const source = await waitFor('SinkProvided False', async () => {
      const current = await getObject(kc, 'sources.knative.dev', 'v1', 'kafkasources', namespace, 'nowhere');
      return conditionOf(current, 'SinkProvided')?.status === 'False' && current;
    });
    expect(conditionOf(source, 'SinkProvided')?.message).toMatch(/missing not found/);
    expect(conditionOf(source, 'Ready')?.status).not.toBe('True');
  });
});
