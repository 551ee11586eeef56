// The barrage service end to end on real parts: HomePage and processing run as real processes (as the playground
// runtime runs them), Kafka is the playground's real broker, the KafkaSource is stood in for by the kafkajs
// deliverer in test/support/workloads (Knative-shaped CloudEvents, at-least-once), the store is a real SQLite file.
// The Kafka-outage test starts a private broker from the playground's own Kafka part, so stopping it disturbs no
// one else.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PartInfo } from '../playground/info';
import { defaultCacheDir } from '../playground/info';
import { kafkaPart } from '../playground/parts/kafka';
import type { PartContext } from '../playground/parts/part';
import { silentProgress } from '../playground/progress';
import { loadVersions } from '../playground/versions';
import { kafkaFor, uniqueGroup, uniqueTopic } from './support/unique';
import type { BarrageResult } from '../workloads/shared/barrage-message';
import { SqliteResultStore } from '../workloads/store/sqlite-store';
import {
  KafkaSourceDeliverer,
  postRecordAsCloudEvent,
  type KafkaRecordRef,
} from './support/workloads/kafka-source-deliverer';
import { startWorkload, type WorkloadProcess } from './support/workloads/workload-process';

const playground = inject('playground');
const cleanups: (() => Promise<void>)[] = [];
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'barrage-int-'));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(directory, { recursive: true, force: true });
});

async function createTopic(kafka: Kafka, topic: string, partitions = 2): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
}

async function start(entry: string, env: Record<string, string>): Promise<WorkloadProcess> {
  const workload = await startWorkload(entry, env);
  cleanups.push(() => workload.stop());
  return workload;
}

async function post(homepage: WorkloadProcess, body: unknown): Promise<Response> {
  return fetch(`${homepage.url}/api/barrage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Reads a Server-Sent Events response until `until` is satisfied (or `maxEvents` arrive), then closes it. */
async function readEvents(
  response: Response,
  until: (events: SseEvent[]) => boolean,
  maxEvents = 1000,
): Promise<SseEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  try {
    while (!until(events) && events.length < maxEvents) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { id: '', event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (event.data !== '') events.push(event);
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}

describe('barrage service on the playground', () => {
  it('POST → Kafka → KafkaSource stand-in → processing → store → SSE shows it masked; resumes by Last-Event-ID', async () => {
    const topic = uniqueTopic('barrage-e2e');
    await createTopic(kafkaFor(playground), topic);
    const sqlitePath = join(directory, 'e2e.sqlite');
    const store = { STORE: 'sqlite', SQLITE_PATH: sqlitePath };
    const processing = await start('workloads/processing/main.ts', {
      ...store,
      SENSITIVE_WORDS: 'spam,scam',
    });
    const homepage = await start('workloads/homepage/main.ts', {
      ...store,
      KAFKA_SERVER: playground.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
    });
    const deliverer = new KafkaSourceDeliverer({
      brokers: playground.kafkaBrokers,
      topic,
      groupId: uniqueGroup('barrage-e2e'),
      sinkUrl: processing.url,
    });
    await deliverer.start();
    cleanups.push(() => deliverer.stop());

    const stream = await fetch(`${homepage.url}/api/barrage/stream`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const accepted = await post(homepage, {
      text: '  no SPAM   and no scam  ',
      color: '#FF8800',
      user: 'alice',
    });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    const second = await post(homepage, { text: 'second', mode: 'top' });
    expect(second.status).toBe(202);
    const secondId = ((await second.json()) as { id: string }).id;

    const events = await readEvents(stream, (seen) => seen.length >= 2);
    const results = events.map((event) => JSON.parse(event.data) as BarrageResult);
    const first = results.find((result) => result.id === id);
    expect(first).toMatchObject({
      text: 'no **** and no ****',
      color: '#ff8800',
      user: 'alice',
      mode: 'scroll',
    });
    expect(first!.flags).toEqual(['masked']);
    expect(results.map((result) => result.id).sort()).toEqual([id, secondId].sort());

    // Resume after the first event: only what came after it is replayed.
    const resumed = await fetch(`${homepage.url}/api/barrage/stream`, {
      headers: { 'last-event-id': events[0]!.id },
    });
    const replay = await readEvents(resumed, (seen) => seen.length >= 1);
    expect(replay.map((event) => event.id)).toEqual([events[1]!.id]);

    const page = (await (await fetch(`${homepage.url}/api/barrage?limit=1`)).json()) as {
      items: BarrageResult[];
      next: string;
    };
    expect(page.items).toHaveLength(1);
    const rest = (await (await fetch(`${homepage.url}/api/barrage?after=${page.next}`)).json()) as {
      items: BarrageResult[];
    };
    expect(rest.items).toHaveLength(1);
    expect((await fetch(`${homepage.url}/readyz`)).status).toBe(200);

    const bad = await post(homepage, { text: '   ', color: 'red' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'text' });
  });

  it('the same Kafka record delivered twice stores one row', async () => {
    const topic = uniqueTopic('barrage-dup');
    const kafka = kafkaFor(playground);
    await createTopic(kafka, topic, 1);
    const sqlitePath = join(directory, 'dup.sqlite');
    const processing = await start('workloads/processing/main.ts', {
      STORE: 'sqlite',
      SQLITE_PATH: sqlitePath,
    });
    const homepage = await start('workloads/homepage/main.ts', {
      STORE: 'sqlite',
      SQLITE_PATH: sqlitePath,
      KAFKA_SERVER: playground.kafkaBrokers.join(','),
      KAFKA_TOPIC: topic,
    });
    expect((await post(homepage, { text: 'only once', user: 'bob' })).status).toBe(202);

    // Read the real record HomePage produced, then deliver it twice as Knative would on a redelivery.
    const consumer = kafka.consumer({ groupId: uniqueGroup('barrage-dup') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const record = await new Promise<KafkaRecordRef>((resolve) => {
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => resolve({ topic, partition, message }),
      });
    });
    await consumer.disconnect();
    expect(record.message.headers?.['content-type']?.toString()).toBe('application/json');

    expect(await postRecordAsCloudEvent(processing.url, record)).toBe(200);
    expect(await postRecordAsCloudEvent(processing.url, record)).toBe(200);
    const reader = new SqliteResultStore(sqlitePath);
    const rows = await reader.listAfter(undefined, 10);
    await reader.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ text: 'only once', user: 'bob' });
  });

  it(
    'Kafka stopped → 503 and /readyz fails; every message answered 202 is in Kafka after it restarts',
    { timeout: 300_000 },
    async () => {
      // A private broker from the playground's own Kafka part: stopping it disturbs no other test.
      const kafkaDir = join(directory, 'private-kafka');
      mkdirSync(join(kafkaDir, 'logs'), { recursive: true });
      const context: PartContext = {
        dir: kafkaDir,
        cache: defaultCacheDir(),
        versions: loadVersions(),
        progress: silentProgress,
        parts: {},
        stateFile: join(kafkaDir, 'state.json'),
      };
      let broker: PartInfo = await kafkaPart.start(context, undefined);
      cleanups.push(() => kafkaPart.stop(broker));
      const brokerAddress = `127.0.0.1:${broker.port}`;
      const kafka = new Kafka({
        clientId: 'barrage-outage-test',
        brokers: [brokerAddress],
        logLevel: logLevel.NOTHING,
      });
      const topic = uniqueTopic('barrage-outage');
      await createTopic(kafka, topic, 1);
      const homepage = await start('workloads/homepage/main.ts', {
        STORE: 'sqlite',
        SQLITE_PATH: join(directory, 'outage.sqlite'),
        KAFKA_SERVER: brokerAddress,
        KAFKA_TOPIC: topic,
      });

      const acceptedIds: string[] = [];
      const statuses: number[] = [];
      const sendSome = async (count: number, label: string): Promise<void> => {
        await Promise.all(
          Array.from({ length: count }, async (_, index) => {
            const response = await post(homepage, { text: `${label} ${index}` });
            statuses.push(response.status);
            if (response.status === 202) acceptedIds.push(((await response.json()) as { id: string }).id);
            else await response.arrayBuffer();
          }),
        );
      };
      await sendSome(20, 'before');
      expect(statuses.filter((status) => status === 202)).toHaveLength(20);

      await kafkaPart.stop(broker);
      statuses.length = 0;
      await sendSome(5, 'during');
      expect(statuses).toEqual([503, 503, 503, 503, 503]);
      const refused = await post(homepage, { text: 'refused' });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: string }).error).toMatch(/Kafka is unavailable/);
      expect((await fetch(`${homepage.url}/readyz`)).status).toBe(503);

      broker = await kafkaPart.start(context, broker);
      const consumer = kafka.consumer({ groupId: uniqueGroup('barrage-outage') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const inKafka = new Set<string>();
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            inKafka.add((JSON.parse(message.value!.toString('utf8')) as { id: string }).id);
            if (acceptedIds.every((id) => inKafka.has(id))) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(acceptedIds.filter((id) => !inKafka.has(id))).toEqual([]);

      // And HomePage recovers by itself once Kafka is back.
      let recovered = 0;
      for (let attempt = 0; attempt < 30 && recovered !== 202; attempt += 1) {
        const response = await post(homepage, { text: 'after' });
        recovered = response.status;
        await response.arrayBuffer();
        if (recovered !== 202) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect(recovered).toBe(202);
    },
  );
});
