// Kafka lag through the engine against the playground's real broker. Expected numbers are computed by the test
// from what it produced, committed and deleted itself — not read back through the same offset APIs the engine uses.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import type { LagWatchEvent } from '../electron/common/schemas/kafka';
import { engineFor, eventually } from './engine-harness';
import { kafkaFor, uniqueGroup, uniqueTopic } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const topic = uniqueTopic('engine-lag');
const groupId = uniqueGroup('engine-lag');
let admin: Admin;
let producer: Producer;

async function produce(partition: number, count: number): Promise<void> {
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ partition, value: `m${i}` })),
  });
}

beforeAll(async () => {
  const kafka = kafkaFor(playground);
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  // Partition 0: 5 records, group commits 2. Partition 1: 3 records, nothing committed, the first 2 deleted
  // (low watermark 2). Partition 2: empty.
  await produce(0, 5);
  await produce(1, 3);
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '2' }] });
});
afterAll(async () => {
  await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await harness.close();
});

async function playgroundProfile(): Promise<string> {
  const profile = (await api.kafka.profiles({})).profiles.find((p) => p.origin === 'playground');
  if (!profile) throw new Error('the playground offers no Kafka profile');
  return profile.id;
}

describe('Kafka lag', () => {
  it('equals produced − committed, counting from the low watermark where nothing is committed', async () => {
    const profileId = await playgroundProfile();
    const lag = await api.kafka.lag({ profileId, groupId, topic });
    expect(lag.partitions).toEqual([
      { partition: 0, committed: '2', low: '0', high: '5', lag: '3' },
      { partition: 1, committed: null, low: '2', high: '3', lag: '1' },
      { partition: 2, committed: null, low: '0', high: '0', lag: '0' },
    ]);
    expect(lag.totalLag).toBe('4');
  });

  it('lists the topic and the group', async () => {
    const profileId = await playgroundProfile();
    const { topics } = await api.kafka.topics({ profileId });
    expect(topics).toContainEqual({ name: topic, partitions: 3 });
    const { groups } = await api.kafka.groups({ profileId });
    expect(groups.map((g) => g.groupId)).toContain(groupId);
  });

  it('streams lag with produce rate and trend as records arrive', async () => {
    const profileId = await playgroundProfile();
    const events: LagWatchEvent[] = [];
    const stop = api.kafka.watchLag(
      { profileId, groupId, topic, intervalMs: 250, windowSeconds: 5 },
      (event) => events.push(event),
    );
    try {
      await eventually(
        () => events.at(-1)?.latest.totalLag,
        (lag) => lag === '4',
        'first lag sample',
      );
      for (let i = 0; i < 4; i++) {
        await produce(0, 10);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const last = await eventually(
        () => events.at(-1),
        (event) => event?.latest.totalLag === '44',
        'lag after 40 more records',
      );
      expect(events.some((event) => (event.samples[0]?.produceRate ?? 0) > 0)).toBe(true);
      expect(last?.trend).toBe('growing');
      expect(last?.catchUpSeconds).toBeNull();
    } finally {
      stop();
    }
  });

  it('answers an unknown profile with a not-found error', async () => {
    await expect(api.kafka.lag({ profileId: 'nope', groupId, topic })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
