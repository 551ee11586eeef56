// The playground's KafkaSource (our controller + dispatcher, part kafka-source) against the real Kafka and Knative:
// records produced while the sink is at zero are all delivered once it is up (each once), a sink that fails N times
// gets redeliveries and stores each record once, offsets are committed only after 2xx, and the source's status names
// its sink and group.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import {
  clients,
  conditionOf,
  createKnativeService,
  deleteAllOf,
  getKsvc,
  getObject,
  podsOf,
  waitFor,
} from './support/runtime-helpers';
import { recordingSink, startSink } from './support/event-sinks';
import { resources } from '../knative/resources';
import { createKafkaSource } from './support/kafka-sources';
import { runtimeTestContext, namespaceForFile, kafkaClientsForFile } from './support/file-fixtures';
import { uniqueTopic } from './support/unique';

const { playground, kc } = runtimeTestContext();
const namespace = namespaceForFile(playground, 'kafka-source');
const { admin, producer } = kafkaClientsForFile(playground);
const scratch = mkdtempSync(join(tmpdir(), 'kafka-source-'));

afterAll(async () => {
  await deleteAllOf(kc, resources.kafkaSource, namespace.name);
  await deleteAllOf(kc, resources.service, namespace.name);
});

async function kafkaSource(
  name: string,
  topic: string,
  sink: Record<string, unknown>,
  extra: { delivery?: unknown; ordering?: 'ordered' | 'unordered'; consumerGroup?: string | null } = {},
) {
  await createKafkaSource(kc, namespace.name, name, {
    bootstrapServers: playground.kafkaBrokers,
    topics: [topic],
    ...(extra.consumerGroup === null ? {} : { consumerGroup: extra.consumerGroup ?? `${name}-group` }),
    initialOffset: 'earliest',
    sink,
    ...(extra.ordering ? { ordering: extra.ordering } : {}),
    ...(extra.delivery ? { delivery: extra.delivery } : {}),
  });
}

/** Committed offsets of the group equal the topic's end offsets (everything acknowledged). */
async function fullyCommitted(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  return ends.every((end) => byPartition.get(end.partition) === end.high);
}

describe('playground KafkaSource', () => {
  it('delivers records produced while the sink is at zero, each exactly once, once the sink is up', async () => {
    const topic = uniqueTopic('at-zero');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const recordFile = join(scratch, 'at-zero.txt');
    await createKnativeService(kc, namespace.name, {
      metadata: { name: 'sink', namespace: namespace.name },
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
      async () => conditionOf(await getKsvc(kc, namespace.name, 'sink'), 'Ready')?.status === 'True',
    );
    // Scale to zero takes the window plus the grace period; a loaded machine adds its own delay.
    await waitFor(
      'sink at zero',
      async () => (await podsOf(kc, namespace.name, 'sink')).length === 0,
      150_000,
    );

    const records = Array.from({ length: 60 }, (_, i) => ({
      key: `k${i % 7}`,
      value: JSON.stringify({ n: i }),
    }));
    await producer.send({ topic, messages: records });
    await kafkaSource(
      'from-zero',
      topic,
      { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'sink' } },
      { ordering: 'unordered' },
    );

    const source = await waitFor('KafkaSource Ready', async () => {
      const current = await getObject(kc, resources.kafkaSource, namespace.name, 'from-zero');
      return conditionOf(current, 'Ready')?.status === 'True' && current;
    });
    // The sink is addressed by the Service's own address (cluster-local upstream), as the source controller resolves it.
    const ksvc = await getKsvc(kc, namespace.name, 'sink');
    expect(source.status?.sinkUri).toBe((ksvc?.status?.address as { url: string }).url);

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
  }, 300_000);

  it('redelivers to a sink that fails N times, stores each record once, and commits only after the 2xx', async () => {
    const topic = uniqueTopic('flaky');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const failures = 3;
    const attempts = new Map<string, number>();
    const stored = new Map<string, number>();
    const sink = await startSink((request) => {
      const id = String(request.headers['ce-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      if (attempt <= failures) return { status: 503, body: 'not yet' };
      stored.set(id, (stored.get(id) ?? 0) + 1);
      return { status: 202 };
    }, '/events');
    try {
      await producer.send({
        topic,
        messages: Array.from({ length: 10 }, (_, i) => ({ key: `r${i}`, value: `v${i}` })),
      });
      await kafkaSource(
        'flaky',
        topic,
        { uri: sink.uri },
        {
          delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.05S' },
        },
      );
      await waitFor('10 records stored', async () => stored.size === 10, 60_000);
      await waitFor('offsets committed', () => fullyCommitted('flaky-group', topic), 30_000);
      expect([...stored.values()].every((count) => count === 1)).toBe(true);
      expect([...attempts.values()].every((count) => count === failures + 1)).toBe(true);
      const source = await getObject(kc, resources.kafkaSource, namespace.name, 'flaky');
      expect(source?.status?.sinkUri).toBe(sink.uri);
      expect(source?.spec).toMatchObject({ consumerGroup: 'flaky-group', consumers: 1, ordering: 'ordered' });
    } finally {
      sink.close();
    }
  });

  it('keeps at most max.poll.records (50) in flight per unordered consumer, across its partitions', async () => {
    const topic = uniqueTopic('budget');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    let inFlight = 0;
    let maxInFlight = 0;
    const stored = new Set<string>();
    const sink = await startSink((request) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      stored.add(String(request.headers['ce-id']));
      // Held long enough for every partition's batch to fill the budget; released as it answers.
      setTimeout(() => (inFlight -= 1), 300);
      return { status: 202, delayMs: 300 };
    });
    try {
      await producer.send({
        topic,
        messages: Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      });
      await kafkaSource('budget', topic, { uri: sink.uri }, { ordering: 'unordered' });
      await waitFor('300 records delivered', async () => stored.size === 300, 90_000);
      await waitFor('offsets committed', () => fullyCommitted('budget-group', topic), 30_000);
      // Upstream's UnorderedConsumerVerticle polls again only below max.poll.records (50 in
      // config-kafka-source-data-plane), whatever the number of partitions; 3 partitions at 50 each would reach 150.
      expect(maxInFlight).toBe(50);
    } finally {
      sink.close();
    }
  });

  it('writes the webhook defaults and upstream status, delivers ordered with kafkaheader extensions', async () => {
    const topic = uniqueTopic('ordered');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const inFlight = new Map<string, number>();
    let maxInFlightPerPartition = 0;
    const received: http.IncomingHttpHeaders[] = [];
    const sink = http.createServer((request, response) => {
      const partition = String(request.headers['ce-knativekafkapartition']);
      const now = (inFlight.get(partition) ?? 0) + 1;
      inFlight.set(partition, now);
      maxInFlightPerPartition = Math.max(maxInFlightPerPartition, now);
      request.resume();
      request.on('end', () => {
        setTimeout(() => {
          inFlight.set(partition, (inFlight.get(partition) ?? 1) - 1);
          received.push(request.headers);
          response.statusCode = 202;
          response.end();
        }, 20);
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      const port = (sink.address() as AddressInfo).port;
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await producer.send({
        topic,
        messages: Array.from({ length: 16 }, (_, i) => ({
          key: `user-${i % 4}`,
          value: JSON.stringify({ n: i }),
          headers: { traceparent, 'content-type': 'application/json' },
        })),
      });
      await kafkaSource('defaults', topic, { uri: `http://127.0.0.1:${port}/` }, { consumerGroup: null });
      const source = await waitFor('KafkaSource Ready with defaults', async () => {
        const current = await getObject(kc, resources.kafkaSource, namespace.name, 'defaults');
        return conditionOf(current, 'Ready')?.status === 'True' && current;
      });
      const spec = source.spec as Record<string, unknown>;
      expect(spec.consumerGroup).toBe(
        `knative-kafka-source-${String((source.metadata as { uid?: string }).uid)}`,
      );
      expect(spec).toMatchObject({ consumers: 1, ordering: 'ordered', initialOffset: 'earliest' });
      const status = source.status as Record<string, unknown> & { conditions: { type: string }[] };
      expect(status.conditions.map((c) => c.type).sort()).toEqual(['ConsumerGroup', 'Ready', 'SinkProvided']);
      expect(status).toMatchObject({
        consumers: 1,
        sinkUri: `http://127.0.0.1:${port}/`,
        placements: [{ podName: 'kafka-source-dispatcher-0', vreplicas: 1 }],
      });
      expect(String(status.selector)).toContain('eventing.knative.dev/sourceName=defaults');

      await waitFor('16 records delivered', async () => received.length === 16, 60_000);
      expect(maxInFlightPerPartition).toBe(1);
      const first = received[0]!;
      expect(first['ce-kafkaheadertraceparent']).toBe(traceparent);
      expect(first['ce-traceparent']).toBeUndefined();
      expect(first['ce-partitionkey']).toMatch(/^user-\d$/);
      expect(first['ce-key']).toBe(first['ce-partitionkey']);
      expect(first['content-type']).toBe('application/json');
      await waitFor('offsets committed', () => fullyCommitted(String(spec.consumerGroup), topic), 30_000);
    } finally {
      sink.close();
    }
  });

  it('sends what the sink keeps refusing to the dead-letter sink, and commits', async () => {
    const topic = uniqueTopic('dls');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    let attempts = 0;
    const failing = await startSink(() => {
      attempts += 1;
      return { status: 500 };
    });
    const dls = await recordingSink();
    try {
      await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
      await kafkaSource(
        'to-dls',
        topic,
        { uri: failing.uri },
        {
          delivery: {
            retry: 2,
            backoffPolicy: 'linear',
            backoffDelay: 'PT0.01S',
            deadLetterSink: { uri: dls.uri },
          },
        },
      );
      await waitFor('3 dead letters', async () => dls.ids.length === 3, 60_000);
      expect(dls.ids).toEqual(['partition:0/offset:0', 'partition:0/offset:1', 'partition:0/offset:2']);
      expect(attempts).toBe(9);
      await waitFor('offsets committed', () => fullyCommitted('to-dls-group', topic), 30_000);
    } finally {
      failing.close();
      dls.close();
    }
  });

  it('refuses a topic that does not exist, on the status, without creating it, and retries calmly until it does', async () => {
    const topic = uniqueTopic('absent');
    await kafkaSource('absent-topic', topic, { uri: 'http://127.0.0.1:9/' });
    const source = await waitFor('ConsumerGroup False', async () => {
      const current = await getObject(kc, resources.kafkaSource, namespace.name, 'absent-topic');
      return conditionOf(current, 'ConsumerGroup')?.status === 'False' && current;
    });
    expect(conditionOf(source, 'ConsumerGroup')?.message).toContain(`topics not present: ${topic}`);
    expect(conditionOf(source, 'Ready')?.status).toBe('False');
    expect(await admin.listTopics()).not.toContain(topic);
    // While the topic is missing, the start is retried by the periodic pass (every 2 s), not back to back: it was
    // retried about 9 times a second, which kept kube-apiserver, the broker and the controller busy at rest.
    const startFailures = () =>
      readFileSync(join(playground.dir, 'logs', 'kafka-source.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(`${namespace.name}/absent-topic: could not start its consumer`))
        .length;
    const before = startFailures();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(startFailures() - before).toBeLessThanOrEqual(6);
    // Once the topic exists, a retry starts the consumer without any change to the source.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await waitFor('ConsumerGroup True once the topic exists', async () => {
      const current = await getObject(kc, resources.kafkaSource, namespace.name, 'absent-topic');
      return conditionOf(current, 'ConsumerGroup')?.status === 'True';
    });
  });

  it('stops consuming at consumers: 0 (the group empties) and resumes at 1', async () => {
    const topic = uniqueTopic('scale');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const sink = await recordingSink();
    const received = sink.ids;
    try {
      await kafkaSource('scaled', topic, { uri: sink.uri });
      const members = async () =>
        (await admin.describeGroups(['scaled-group'])).groups[0]?.members.length ?? 0;
      await waitFor('a consumer joined', async () => (await members()) === 1);
      // A merge patch of the spec alone: a read-modify-write races the dispatcher's status writes (409).
      const patch = async (consumers: number) => {
        await clients(kc).custom.patchNamespacedCustomObject(
          {
            group: 'sources.knative.dev',
            version: 'v1',
            namespace: namespace.name,
            plural: 'kafkasources',
            name: 'scaled',
            body: { spec: { consumers } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      };
      await patch(0);
      await waitFor('the group empties', async () => (await members()) === 0, 60_000);
      await producer.send({ topic, messages: [{ value: 'while stopped' }] });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(received).toEqual([]);
      const stopped = await getObject(kc, resources.kafkaSource, namespace.name, 'scaled');
      expect(stopped?.status).toMatchObject({ consumers: 0, placements: [] });
      await patch(1);
      await waitFor('delivered after resuming', async () => received.length === 1, 60_000);
      expect(received).toEqual(['partition:0/offset:0']);
    } finally {
      sink.close();
    }
  });

  it('reports a sink that does not resolve on the source status', async () => {
    const topic = uniqueTopic('nosink');
    await kafkaSource('nowhere', topic, {
      ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'missing' },
    });
    const source = await waitFor('SinkProvided False', async () => {
      const current = await getObject(kc, resources.kafkaSource, namespace.name, 'nowhere');
      return conditionOf(current, 'SinkProvided')?.status === 'False' && current;
    });
    expect(conditionOf(source, 'SinkProvided')?.message).toBe(
      `Knative Service ${namespace.name}/missing not found`,
    );
    expect(conditionOf(source, 'Ready')?.status).not.toBe('True');
  });
});
