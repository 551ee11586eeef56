// Lag in seconds and the Burrow-style verdict through the engine, against the playground's real Kafka and its
// KafkaSource dispatcher. Expected seconds come from timestamps the test wrote into the records itself; each verdict
// is provoked for real: a sink that never answers (STALL), one that keeps failing (STALL), a slow one under load
// (WARN), the consumer stopped (STOP), the group's offsets moved back (REWIND).
import type http from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { LagStatus, LagWatchEvent } from '../electron/common/schemas/kafka';
import { engineFor, eventually } from './engine-harness';
import { clients } from './support/runtime-helpers';
import { createKafkaSource } from './support/kafka-sources';
import { sinksForFile, type SinkAnswer } from './support/event-sinks';
import { namespaceForFile, kafkaClientsForFile } from './support/file-fixtures';
import { kubeConfigFor, uniqueGroup, uniqueTopic } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const kc = kubeConfigFor(playground, 'admin');
const namespace = namespaceForFile(playground, 'eng-eventing');
const { admin, producer } = kafkaClientsForFile(playground);
const sinks = sinksForFile();

afterAll(async () => {
  await harness.close();
});

async function playgroundProfile(): Promise<string> {
  const profile = (await api.kafka.profiles({})).profiles.find((p) => p.origin === 'playground');
  if (!profile) throw new Error('the playground offers no Kafka profile');
  return profile.id;
}

/** A local sink: `answer` decides each response (status, after a delay; 0 = never answer). */
async function sink(answer: (request: http.IncomingMessage) => SinkAnswer): Promise<string> {
  return (await sinks.start(answer)).uri;
}

async function kafkaSource(name: string, topic: string, uri: string, delivery?: unknown): Promise<string> {
  const consumerGroup = uniqueGroup(name);
  await createKafkaSource(kc, namespace.name, name, {
    bootstrapServers: playground.kafkaBrokers,
    topics: [topic],
    consumerGroup,
    initialOffset: 'earliest',
    sink: { uri },
    ...(delivery ? { delivery } : {}),
  });
  return consumerGroup;
}

/** Waits until the consumer group has no members (its KafkaSource was deleted or scaled to zero). */
async function groupEmpties(groupId: string): Promise<void> {
  await eventually(
    async () => (await admin.describeGroups([groupId])).groups[0]?.members.length,
    (members) => members === 0,
    'the group empties',
    60_000,
  );
}

async function deleteKafkaSource(name: string): Promise<void> {
  await clients(kc).custom.deleteNamespacedCustomObject({
    group: 'sources.knative.dev',
    version: 'v1',
    namespace: namespace.name,
    plural: 'kafkasources',
    name,
  });
}

/** Watches the group's lag with seconds; returns the events seen and a way to wait for a verdict. */
function watch(profileId: string, groupId: string, topic: string) {
  const events: LagWatchEvent[] = [];
  let ended: unknown = null;
  const subscription = api.kafka.watchLag(
    { profileId, groupId, topic, intervalMs: 500, windowSeconds: 5, seconds: true },
    (event) => events.push(event),
    { onEnd: (error) => (ended = error ?? 'ended') },
  );
  const stop = () => subscription();
  /** The first verdict with `status` among the events that arrive from now on (events come in batches). */
  const verdict = (status: LagStatus, timeoutMs = 30_000) => {
    const from = events.length;
    return eventually(
      () => {
        if (ended) throw new Error(`the lag watch ended: ${JSON.stringify(ended)}`);
        return (
          events.slice(from).find((event) => event.verdict?.status === status)?.verdict ??
          events.at(-1)?.verdict
        );
      },
      (current) => current?.status === status,
      `verdict ${status}`,
      timeoutMs,
    );
  };
  return { events, stop, verdict };
}

describe('lag in seconds', () => {
  it('is the age of the oldest unread record, from the timestamps the test wrote', async () => {
    const profileId = await playgroundProfile();
    const topic = uniqueTopic('lag-seconds');
    const groupId = uniqueGroup('lag-seconds');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const base = Date.now() - 600_000;
    // Partition 0: records 10, 9, 8 … minutes old; the group committed 2 → the oldest unread is the third record.
    // Partition 1: two records, nothing committed → the oldest retained one counts. Partition 2: caught up.
    const stamps = [0, 60_000, 120_000, 180_000];
    await producer.send({
      topic,
      messages: [
        ...stamps.map((offset, i) => ({ partition: 0, value: `p0-${i}`, timestamp: String(base + offset) })),
        { partition: 1, value: 'p1-0', timestamp: String(base + 30_000) },
        { partition: 1, value: 'p1-1', timestamp: String(base + 90_000) },
        { partition: 2, value: 'p2-0', timestamp: String(base) },
      ],
    });
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [
        { partition: 0, offset: '2' },
        { partition: 2, offset: '1' },
      ],
    });
    const lag = await api.kafka.lag({ profileId, groupId, topic, seconds: true });
    const byPartition = new Map(lag.partitions.map((p) => [p.partition, p]));
    expect(byPartition.get(0)?.lagSeconds).toBe((lag.at - (base + 120_000)) / 1000);
    expect(byPartition.get(1)?.lagSeconds).toBe((lag.at - (base + 30_000)) / 1000);
    expect(byPartition.get(2)?.lagSeconds).toBe(0);
    expect(lag.totalLagSeconds).toBe((lag.at - (base + 30_000)) / 1000);
    // Offsets-only samples stay as they were.
    const plain = await api.kafka.lag({ profileId, groupId, topic });
    expect(plain.partitions[0]?.lagSeconds).toBeUndefined();
    expect(plain.totalLag).toBe('4');
  });
});

/**
 * A one-partition topic, a KafkaSource `name` on it delivering to a sink that always answers `answer`, and the
 * lag watch of the source's consumer group.
 */
async function lagCase(name: string, answer: SinkAnswer, delivery?: unknown) {
  const profileId = await playgroundProfile();
  const topic = uniqueTopic(name);
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const groupId = await kafkaSource(name, topic, await sink(() => answer), delivery);
  return { profileId, topic, groupId, ...watch(profileId, groupId, topic) };
}

describe('lag verdict', () => {
  it('says STALL for a sink that never answers, then STOP once the consumer is stopped', async () => {
    const { profileId, topic, groupId, stop, verdict } = await lagCase('stalling', { status: 0 });
    try {
      await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `s${i}` })) });
      const stalled = await verdict('STALL');
      expect(stalled?.reason).toMatch(/partition 0: the consumer is connected but made no progress/);
      const first = await api.kafka.lag({ profileId, groupId, topic, seconds: true });
      expect(first.totalLagSeconds).toBeGreaterThan(0);

      await deleteKafkaSource('stalling');
      const stopped = await verdict('STOP', 60_000);
      expect(stopped?.reason).toMatch(/no consumer is running/);
    } finally {
      stop();
    }
  });

  it('says STALL for a sink that keeps failing', async () => {
    const { topic, stop, verdict, events } = await lagCase(
      'failing',
      { status: 503 },
      { retry: 50, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' },
    );
    try {
      await producer.send({ topic, messages: Array.from({ length: 3 }, (_, i) => ({ value: `f${i}` })) });
      await verdict('STALL');
      expect(events.at(-1)?.catchUpSeconds).toBeNull();
    } finally {
      stop();
      await deleteKafkaSource('failing');
    }
  });

  it('says WARN while a slow sink falls behind, OK once it catches up, and REWIND when offsets go back', async () => {
    const { topic, groupId, stop, verdict, events } = await lagCase('slow', { status: 202, delayMs: 100 });
    let producing = true;
    // About 40 records a second against a sink that takes about 10 a second (ordered: one in flight); bounded.
    const load = (async () => {
      for (let round = 0; producing && round < 200; round++) {
        await producer.send({
          topic,
          messages: Array.from({ length: 4 }, (_, i) => ({ value: `w${round}-${i}` })),
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const warned = await verdict('WARN');
      expect(warned?.reason).toMatch(/commits move but lag grew/);
      expect(events.at(-1)?.catchUpSeconds).toBeNull();
      producing = false;
      await load;
      // With the load gone the sink catches up: lag shrinks, and a time to catch up is given.
      await eventually(
        () => events.at(-1),
        (event) => event?.verdict?.status === 'OK' && (event.catchUpSeconds ?? -1) >= 0,
        'OK with a time to catch up',
        60_000,
      );
      await deleteKafkaSource('slow');
      await groupEmpties(groupId);
      const rewind = verdict('REWIND');
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
      const rewound = await rewind;
      expect(rewound?.reason).toMatch(/the committed offset went back from \d+ to 0/);
    } finally {
      producing = false;
      stop();
    }
  });
});

describe('browsing a partition', () => {
  it('returns exactly the records produced, from an offset, a time or the end, filtered and bounded', async () => {
    const profileId = await playgroundProfile();
    const topic = uniqueTopic('browse');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const base = Date.now() - 3_600_000;
    const produced = Array.from({ length: 30 }, (_, i) => ({
      partition: 1,
      key: `key-${i}`,
      timestamp: String(base + i * 1000),
      headers: { 'content-type': 'application/json', seq: String(i) },
      value:
        i % 10 === 9
          ? Buffer.from([0, 1, 2, 0xff, i])
          : JSON.stringify({ n: i, text: i % 7 === 0 ? 'needle' : 'hay' }),
    }));
    await producer.send({ topic, messages: produced });
    await producer.send({ topic, messages: [{ partition: 0, value: 'elsewhere' }] });

    // Every read below is of partition 1.
    const browse = (from: Parameters<typeof api.kafka.browse>[0]['from'], limit: number, filter?: string) =>
      api.kafka.browse({ profileId, topic, partition: 1, from, limit, ...(filter ? { filter } : {}) });
    const all = await browse({ kind: 'offset', offset: '0' }, 100);
    expect(all.records.map((r) => r.offset)).toEqual(produced.map((_, i) => String(i)));
    expect(all.stoppedBy).toBe('end');
    expect(all.endOffset).toBe('30');
    expect(all.records[3]).toEqual({
      partition: 1,
      offset: '3',
      timestamp: base + 3000,
      key: { kind: 'text', text: 'key-3' },
      headers: [
        { name: 'content-type', value: 'application/json' },
        { name: 'seq', value: '3' },
      ],
      value: { kind: 'json', text: '{\n  "n": 3,\n  "text": "hay"\n}' },
    });
    expect(all.records[9]?.value).toEqual({ kind: 'binary', hex: '000102ff09', bytes: 5 });

    const page = await browse({ kind: 'offset', offset: '10' }, 5);
    expect(page.records.map((r) => r.offset)).toEqual(['10', '11', '12', '13', '14']);
    expect(page).toMatchObject({ stoppedBy: 'limit', nextOffset: '15' });

    const tail = await browse({ kind: 'end' }, 4);
    expect(tail.records.map((r) => r.offset)).toEqual(['26', '27', '28', '29']);

    const byTime = await browse({ kind: 'time', at: base + 20_500 }, 3);
    expect(byTime.records.map((r) => r.offset)).toEqual(['21', '22', '23']);

    const filtered = await browse({ kind: 'offset', offset: '0' }, 100, 'NEEDLE');
    expect(filtered.records.map((r) => r.offset)).toEqual(['0', '7', '14', '21', '28']);
    expect(filtered.scanned).toBe(30);
  });

  it('says clearly when the topic or the partition does not exist, or the broker is down', async () => {
    const profileId = await playgroundProfile();
    await expect(
      api.kafka.browse({ profileId, topic: uniqueTopic('nowhere'), partition: 0, from: { kind: 'end' } }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/does not exist on this Kafka/),
    });
    const topic = uniqueTopic('one-partition');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await expect(
      api.kafka.browse({ profileId, topic, partition: 3, from: { kind: 'end' } }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/has no partition 3 \(it has 1\)/),
    });
    const down = await api.kafka.saveProfile({ name: 'down', brokers: ['127.0.0.1:1'] });
    const error = await api.kafka
      .browse({ profileId: down.profile.id, topic, partition: 0, from: { kind: 'end' } })
      .catch((failure: unknown) => failure as { code: string; message: string });
    expect(error).toMatchObject({ message: expect.stringMatching(/127\.0\.0\.1:1|connect/i) });
  });
});

describe('topics, a test record followed to the sink, and offset resets', () => {
  it('creates a topic with its partitions, and refuses one that exists', async () => {
    const profileId = await playgroundProfile();
    const topic = uniqueTopic('created');
    const details = await api.kafka.createTopic({ profileId, topic, partitions: 3 });
    expect(details.partitions).toEqual([0, 1, 2].map((partition) => ({ partition, low: '0', high: '0' })));
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions).toHaveLength(3);
    await expect(api.kafka.createTopic({ profileId, topic, partitions: 1 })).rejects.toMatchObject({
      code: 'conflict',
      message: `topic ${topic} already exists`,
    });
  });

  it('sends one test record that the KafkaSource delivers under the id it announced', async () => {
    const profileId = await playgroundProfile();
    const topic = uniqueTopic('test-record');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const seen: http.IncomingHttpHeaders[] = [];
    const uri = await sink((request) => {
      seen.push(request.headers);
      return { status: 202 };
    });
    await kafkaSource('follow', topic, uri);

    await expect(
      api.kafka.produceTest({ profileId, topic, key: 'k', value: '{not json' }),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not JSON.*nothing was sent/),
    });
    expect((await admin.fetchTopicOffsets(topic)).map((p) => p.high)).toEqual(['0', '0']);

    const sent = await api.kafka.produceTest({
      profileId,
      topic,
      key: 'room-1',
      headers: [{ name: 'traceparent', value: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
      value: '{"text":"hello"}',
    });
    expect(sent.eventId).toBe(`partition:${sent.partition}/offset:${sent.offset}`);
    const page = await api.kafka.browse({
      profileId,
      topic,
      partition: sent.partition,
      from: { kind: 'offset', offset: sent.offset },
      limit: 1,
    });
    expect(page.records[0]).toMatchObject({ key: { kind: 'text', text: 'room-1' }, value: { kind: 'json' } });
    const delivered = await eventually(
      () => seen.find((headers) => headers['ce-id'] === sent.eventId),
      (headers) => headers !== undefined,
      'the test record at the sink',
      30_000,
    );
    expect(delivered?.['ce-partitionkey']).toBe('room-1');
    expect(delivered?.['ce-kafkaheadertraceparent']).toMatch(/^00-4bf92f/);
    await deleteKafkaSource('follow');
  });

  it('resets offsets only while nothing consumes, to earliest, latest, a time or an offset', async () => {
    const profileId = await playgroundProfile();
    const topic = uniqueTopic('reset');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const base = Date.now() - 600_000;
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({
        partition: i % 2,
        value: `r${i}`,
        timestamp: String(base + i * 1000),
      })),
    });
    const uri = await sink(() => ({ status: 202, delayMs: 0 }));
    const groupId = await kafkaSource('resettable', topic, uri);
    const committed = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions
        .map((p) => `${p.partition}:${p.offset}`)
        .sort();
    await eventually(
      committed,
      (now) => JSON.stringify(now) === JSON.stringify(['0:5', '1:5']),
      'all committed',
    );

    // Running: refused, and the offsets stay where they were.
    await expect(
      api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'earliest' } }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/running consumer.*nothing was changed/),
    });
    expect(await committed()).toEqual(['0:5', '1:5']);

    await deleteKafkaSource('resettable');
    await groupEmpties(groupId);
    expect(
      (await api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'earliest' } })).partitions,
    ).toEqual([
      { partition: 0, offset: '0' },
      { partition: 1, offset: '0' },
    ]);
    expect(await committed()).toEqual(['0:0', '1:0']);
    // Records 6 s after base onwards: partition 0 holds 0,2,4,6,8 → offset 3; partition 1 holds 1,3,5,7,9 → offset 3.
    await api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'time', at: base + 6000 } });
    expect(await committed()).toEqual(['0:3', '1:3']);
    await api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'offset', offset: '4' } });
    expect(await committed()).toEqual(['0:4', '1:4']);
    await expect(
      api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'offset', offset: '99' } }),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/outside partition 0's records/),
    });
    expect(await committed()).toEqual(['0:4', '1:4']);
    await api.kafka.resetOffsets({ profileId, groupId, topic, target: { to: 'latest' } });
    expect(await committed()).toEqual(['0:5', '1:5']);
  });
});
