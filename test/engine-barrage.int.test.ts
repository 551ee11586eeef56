// The barrage sender and viewer through the engine against the real HomePage on the playground: the three
// templates are deployed with the engine, load goes to HomePage's FC URL, and the sender's "accepted" count must
// equal what HomePage accepted — counted independently as the records HomePage put on the Kafka topic. The viewer
// then shows processed messages from HomePage's event stream.
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BarrageSendEvent, BarrageViewEvent } from '../electron/common/schemas/barrage';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { engineFor, eventually } from './engine-harness';
import { createUniqueNamespace, kafkaFor, uniqueGroup, uniqueTopic } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const context = playground.contexts.admin;
const topic = uniqueTopic('engine-barrage');
const parameters = {
  kafkaTopic: topic,
  consumerGroup: uniqueGroup('engine-barrage'),
  initialOffset: 'earliest',
};
let namespace: { name: string; remove: () => Promise<void> };
let admin: Admin;

async function topicRecords(): Promise<bigint> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + BigInt(p.high) - BigInt(p.low), 0n);
}

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'engine-barrage');
  admin = kafkaFor(playground).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
});
afterAll(async () => {
  for (const templateId of ['homepage', 'event-driven', 'processing']) {
    const run = api.deploy.undeploy({ context, templateId, namespace: namespace.name, parameters }, () => {});
    await run.done.catch(() => {});
  }
  await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin?.disconnect();
  await namespace?.remove();
  await harness.close();
});

describe('barrage through the engine', () => {
  it("sends load whose accepted count equals HomePage's records on Kafka, and views the processed stream", async () => {
    for (const templateId of ['processing', 'event-driven', 'homepage']) {
      const events: DeployEvent[] = [];
      await api.deploy.apply({ context, templateId, namespace: namespace.name, parameters }, (e) =>
        events.push(e),
      ).done;
      expect(events.at(-1), JSON.stringify(events.at(-1))).toMatchObject({ type: 'done', ok: true });
    }
    const homepage = await eventually(
      async () =>
        (await api.workloads.list({ context, namespace: namespace.name })).rows.find(
          (r) => r.name === 'barrage-homepage',
        ),
      (row) => row?.ready === 'True' && !!row.url,
      'HomePage ready with a URL',
      120_000,
    );
    expect(homepage?.kind).toBe('FC');
    const url = homepage!.url!;

    const viewed: BarrageViewEvent[] = [];
    const stopViewer = api.barrage.view({ url, bufferSize: 1000 }, (event) => viewed.push(event));
    try {
      const before = await topicRecords();
      const sent: BarrageSendEvent[] = [];
      await api.barrage.send(
        { url, message: 'engine barrage', concurrency: 4, durationSeconds: 30, maxRequests: 200 },
        (e) => sent.push(e),
      ).done;
      const done = sent.at(-1);
      if (done?.type !== 'done') throw new Error(`no summary: ${JSON.stringify(sent)}`);
      expect(done.totalRequests).toBe(200);
      expect(done.accepted).toBeGreaterThan(0);
      const records = await eventually(
        async () => (await topicRecords()) - before,
        (delta) => delta >= BigInt(done.accepted),
        'records on the topic',
        30_000,
      );
      expect(records).toBe(BigInt(done.accepted));
      expect(sent.some((e) => e.type === 'second')).toBe(true);

      const texts = () => viewed.flatMap((e) => (e.type === 'messages' ? e.messages.map((m) => m.text) : []));
      await eventually(
        texts,
        (all) => all.some((text) => text.includes('engine barrage')),
        'processed barrage in the viewer',
        120_000,
      );
    } finally {
      stopViewer();
    }
  });
});
