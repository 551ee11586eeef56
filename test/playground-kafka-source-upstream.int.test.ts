// The event-driven part of the barrage on the playground's Knative Serving (issue 9): our KafkaSource controller +
// dispatcher (part kafka-source) in front of real Knative Serving. The barrage templates' processing Service and
// KafkaSource are deployed as the console deploys them; processing runs as a pod on the virtual node (real queue-proxy,
// reached through our KIngress's internal gateway by its cluster-local URL, from zero through the activator) and
// writes to the playground's SQLite store on the host filesystem; it exports its spans to a collector this test runs
// on the playground bridge's address (a pod reaches host services there, not on loopback). Checked:
// - the KafkaSource turns Ready with upstream's conditions and `sinkUri` = processing's cluster-local address;
// - every record's result is stored once, processed once (one span per record), and the span continues the trace
//   the producer put in the record's `traceparent` header (carried as `kafkaheadertraceparent`);
// - a KafkaSource with only the required fields gets upstream's webhook defaults written into its spec, is delivered
//   ordered with upstream's retry defaults to a sink that fails twice, and the pod receives upstream's CloudEvent
//   attributes (id, source, subject, partitionkey/key, kafkaheader* extensions, datacontenttype);
// - the whole barrage: HomePage (FC-class, run by the fc part) accepts barrage through the KIngress, each comes back
//   once on its result stream and once in the store, and processing's span is the child of HomePage's producer span.
// Runs on the private upstream-mode playground (test/support/upstream-playground.ts), with Kafka.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import type { Admin, Producer } from 'kafkajs';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaEventSource, KAFKA_EVENT_TYPE } from '../knative/kafka-cloudevent';
import { resources } from '../knative/resources';
import { kafkaSourceAdmin } from '../playground/parts/kafka-source';
import { nodeNetwork } from '../playground/parts/virtual-node';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { readPlaygroundFacts } from '../playground/template-facts';
import { renderTemplatesWith } from '../workloads/templates/index';
import { createKafkaSource, deleteKafkaSources } from './support/kafka-sources';
import {
  conditionOf,
  createKnativeService,
  getKsvc,
  getObject,
  readyKsvc,
  waitFor,
  type ObjectWithStatus,
} from './support/runtime-helpers';
import { createUniqueNamespace, kafkaFor, kubeConfigFor, uniqueGroup, uniqueTopic } from './support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from './support/upstream-playground';

let upstream: UpstreamPlayground;
let namespace: { name: string; remove: () => Promise<void> };
let admin: Admin;
let producer: Producer;
const scratch = mkdtempSync(join(tmpdir(), 'kafka-source-upstream-'));

/** OTLP/HTTP JSON spans as the exporter sends them (hex ids, typed attribute values). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}
const spans: OtlpSpan[] = [];
let collector: http.Server | undefined;
let collectorUrl: string | undefined;

/**
 * An OTLP/HTTP traces endpoint on the playground bridge's address, where the node's pods can reach the host (started
 * once per file).
 */
async function startCollector(address: string): Promise<string> {
  if (collectorUrl) return collectorUrl;
  collector = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
        };
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => collector!.listen(0, address, resolve));
  collectorUrl = `http://${address}:${(collector.address() as AddressInfo).port}/v1/traces`;
  return collectorUrl;
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue;

const kafkaSource = (name: string) =>
  getObject(kubeConfigFor(upstream.info), resources.kafkaSource, namespace.name, name);

async function readyKafkaSource(name: string): Promise<ObjectWithStatus> {
  return waitFor(
    `KafkaSource ${name} Ready`,
    async () => {
      const source = await kafkaSource(name);
      return conditionOf(source, 'Ready')?.status === 'True' && source;
    },
    120_000,
  );
}

/** The kafka-source part's delivery counters for one source. */
async function countersOf(name: string): Promise<Record<string, number>> {
  const adminUrl = kafkaSourceAdmin(upstream.info.dir);
  if (!adminUrl) throw new Error('the kafka-source part wrote no admin address');
  const all = (await (await fetch(`${adminUrl}/kafkasources`)).json()) as Record<
    string,
    Record<string, number>
  >;
  return all[`${namespace.name}/${name}`] ?? {};
}

/**
 * A request through the KIngress internal gateway (`runtime.json` `ingress`) with a cluster-local Host, as a client
 * inside the cluster sends it: a GET, or a JSON POST when a body is given.
 */
function viaGateway(host: string, path: string, json?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const gateway = String(upstream.info.ingress);
    const body = json === undefined ? undefined : JSON.stringify(json);
    const request = http.request(
      `${gateway}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        timeout: 30_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${gateway} for ${host}`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** HomePage's result stream through the gateway: the ids of the `barrage` events it pushes, until closed. */
function barrageStream(host: string): { ids: string[]; opened: Promise<number>; close: () => void } {
  const ids: string[] = [];
  const gateway = String(upstream.info.ingress);
  let resolveOpened: (status: number) => void = () => {};
  const opened = new Promise<number>((resolve) => (resolveOpened = resolve));
  const request = http.get(
    `${gateway}/api/barrage/stream`,
    { headers: { host, accept: 'text/event-stream' } },
    (response) => {
      resolveOpened(response.statusCode ?? 0);
      let buffered = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (/^event: barrage$/m.test(event) && data) ids.push((JSON.parse(data) as { id: string }).id);
        }
      });
    },
  );
  request.on('error', () => resolveOpened(0));
  return { ids, opened, close: () => request.destroy() };
}

async function fullyCommitted(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  return ends.every((end) => byPartition.get(end.partition) === end.high);
}

/** Every `partition:<p>/offset:<o>` a topic holds now (the ids upstream gives its records' events). */
async function eventIdsOf(topic: string): Promise<string[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.flatMap((end) =>
    Array.from(
      { length: Number(end.high) - Number(end.low) },
      (_, i) => `partition:${end.partition}/offset:${Number(end.low) + i}`,
    ),
  );
}

beforeAll(async () => {
  upstream = await upUpstreamPlayground('kafka-source', undefined, { kafka: true });
  namespace = await createUniqueNamespace(upstream.info, 'ks-upstream');
  const kafka = kafkaFor(upstream.info);
  admin = kafka.admin();
  producer = kafka.producer();
  await admin.connect();
  await producer.connect();
}, 900_000);

afterAll(async () => {
  // Sources first, so their consumers leave before the namespace and the playground go.
  if (namespace) await deleteKafkaSources(kubeConfigFor(upstream.info), namespace.name).catch(() => {});
  await producer?.disconnect();
  await admin?.disconnect();
  await namespace?.remove();
  collector?.close();
  await upstream?.release();
}, 300_000);

describe('KafkaSource on upstream Knative Serving', () => {
  it('delivers the barrage topic to processing on the virtual node: each result stored once, traced', async () => {
    const kc = kubeConfigFor(upstream.info);
    const ns = namespace.name;
    const topic = uniqueTopic('upstream-barrage');
    const consumerGroup = uniqueGroup('upstream-processing');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const tracingEndpoint = await startCollector(nodeNetwork(upstream.info.dir).internalIp);

    const facts = readPlaygroundFacts(upstream.info.dir);
    const objects = renderTemplatesWith(
      { namespace: ns, kafkaTopic: topic, consumerGroup, processingMaxScale: 2, tracingEndpoint },
      { target: 'playground', playground: facts, parts: ['processing', 'event-driven'] },
    );
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'KafkaSource']);
    const api = KubernetesObjectApi.makeApiClient(kc);
    for (const object of objects) await api.create(object as KubernetesObject);

    const processing = await readyKsvc(kc, ns, 'barrage-processing', 240_000);
    const address = (processing.status?.address as { url?: string } | undefined)?.url;
    expect(address).toBe(`http://barrage-processing.${ns}.svc.cluster.local`);

    const source = await readyKafkaSource('barrage-source');
    const status = source.status as Record<string, unknown> & { conditions: { type: string }[] };
    expect(status.sinkUri).toBe(address);
    expect(status.conditions.map((c) => c.type).sort()).toEqual(['ConsumerGroup', 'Ready', 'SinkProvided']);
    expect(source.spec).toMatchObject({ consumerGroup, consumers: 1, ordering: 'unordered' });

    // Each record carries a trace of its own, as HomePage writes it into the record headers.
    const records = Array.from({ length: 12 }, (_, i) => {
      const traceId = randomBytes(16).toString('hex');
      const parentSpanId = randomBytes(8).toString('hex');
      const message = {
        id: ulid(),
        text: `upstream barrage ${i}`,
        color: '#ffffff',
        mode: 'scroll',
        user: `user-${i}`,
        sentAt: new Date().toISOString(),
      };
      return { traceId, parentSpanId, message };
    });
    await producer.send({
      topic,
      messages: records.map((r, i) => ({
        key: `user-${i % 4}`,
        value: JSON.stringify(r.message),
        headers: {
          traceparent: `00-${r.traceId}-${r.parentSpanId}-01`,
          'content-type': 'application/json',
        },
      })),
    });
    const produced = new Set(records.map((r) => r.message.id));

    // The store is the SQLite file the template names, written by the pod's process on the host filesystem.
    const sqlitePath = join(facts.dataDir, `${ns}.sqlite`);
    const rows = await waitFor(
      'all 12 results stored',
      async () => {
        if (!existsSync(sqlitePath)) return undefined;
        const database = new DatabaseSync(sqlitePath, { readOnly: true });
        try {
          const all = database.prepare('SELECT id, body FROM barrage_results').all() as {
            id: string;
            body: string;
          }[];
          return all.filter((row) => produced.has(row.id)).length === produced.size && all;
        } finally {
          database.close();
        }
      },
      120_000,
    );
    expect(rows.map((row) => row.id).sort()).toEqual([...produced].sort());
    for (const row of rows) {
      const stored = JSON.parse(row.body) as { id: string; text: string; user: string };
      const record = records.find((r) => r.message.id === stored.id)!;
      expect(stored).toMatchObject({ text: record.message.text, user: record.message.user });
    }

    // One processing span per record, continuing the producer's trace, with upstream's event id.
    const processed = await waitFor(
      'a processing span for every record',
      async () => {
        const ours = spans.filter(
          (s) => s.name === 'barrage process' && produced.has(attribute(s, 'barrage.id')!),
        );
        return new Set(ours.map((s) => attribute(s, 'barrage.id'))).size === produced.size && ours;
      },
      60_000,
    );
    const eventIds = await eventIdsOf(topic);
    // At-least-once allows a redelivery (it would be a 'duplicate' span); the result is stored by exactly one.
    for (const record of records) {
      const mine = processed.filter((s) => attribute(s, 'barrage.id') === record.message.id);
      expect(mine.filter((s) => attribute(s, 'barrage.outcome') === 'stored')).toHaveLength(1);
      for (const span of mine) {
        expect(span).toMatchObject({ traceId: record.traceId, parentSpanId: record.parentSpanId });
      }
    }
    const deliveredIds = new Set(processed.map((s) => attribute(s, 'cloudevents.event_id')));
    expect([...deliveredIds].sort()).toEqual(eventIds.sort());

    await waitFor('offsets committed', () => fullyCommitted(consumerGroup, topic), 30_000);
    expect(await countersOf('barrage-source')).toMatchObject({ delivered: 12, dropped: 0, deadLettered: 0 });
  }, 420_000);

  it('writes upstream defaults, retries as upstream, and a pod receives upstream CloudEvent attributes', async () => {
    const kc = kubeConfigFor(upstream.info);
    const ns = namespace.name;
    const topic = uniqueTopic('upstream-attributes');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const headersFile = join(scratch, 'probe-headers.jsonl');
    await createKnativeService(kc, ns, {
      metadata: { name: 'probe', namespace: ns },
      spec: {
        template: {
          metadata: {
            annotations: {
              'autoscaling.knative.dev/min-scale': '1',
              'autoscaling.knative.dev/max-scale': '1',
            },
          },
          spec: {
            containers: [{ image: PROBE_IMAGE, env: [{ name: 'PROBE_HEADERS_FILE', value: headersFile }] }],
          },
        },
      },
    });
    await waitFor(
      'probe Ready',
      async () => conditionOf(await getKsvc(kc, ns, 'probe'), 'Ready')?.status === 'True',
      240_000,
    );

    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await producer.send({
      topic,
      messages: Array.from({ length: 4 }, (_, i) => ({
        key: `user-${i}`,
        value: JSON.stringify({ n: i }),
        headers: { traceparent, 'X-Custom_Header': `v${i}`, 'content-type': 'Application/JSON' },
      })),
    });
    // Only what upstream requires (and earliest, so the records above are read): the rest is the webhook's.
    // The sink answers 500 to the first two deliveries of every event (the probe's ?fail=2).
    await createKafkaSource(kc, ns, 'defaults', {
      bootstrapServers: upstream.info.kafkaBrokers,
      topics: [topic],
      initialOffset: 'earliest',
      sink: {
        ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'probe' },
        uri: '/deliveries?fail=2',
      },
    });
    const source = await readyKafkaSource('defaults');
    const spec = source.spec as Record<string, unknown>;
    expect(spec.consumerGroup).toBe(
      `knative-kafka-source-${String((source.metadata as { uid?: string }).uid)}`,
    );
    expect(spec).toMatchObject({ consumers: 1, ordering: 'ordered', initialOffset: 'earliest' });
    expect(spec.delivery).toBeUndefined();
    expect(source.status).toMatchObject({
      sinkUri: `http://probe.${ns}.svc.cluster.local/deliveries?fail=2`,
      consumers: 1,
    });

    const deliveries = await waitFor(
      '4 events stored by the probe',
      async () => {
        if (!existsSync(headersFile)) return undefined;
        const lines = readFileSync(headersFile, 'utf8').trim().split('\n').filter(Boolean);
        return (
          lines.length >= 4 &&
          lines.map((line) => JSON.parse(line) as { key: string; headers: http.IncomingHttpHeaders })
        );
      },
      90_000,
    );
    // Ordered: one event in flight for the partition, so they succeed in offset order, each once.
    expect(deliveries.map((d) => d.key)).toEqual([0, 1, 2, 3].map((o) => `partition:0/offset:${o}`));
    deliveries.forEach(({ headers }, offset) => {
      expect(headers).toMatchObject({
        'ce-specversion': '1.0',
        'ce-id': `partition:0/offset:${offset}`,
        'ce-type': KAFKA_EVENT_TYPE,
        'ce-source': kafkaEventSource({ namespace: ns, name: 'defaults' }, topic),
        'ce-subject': `partition:0#${offset}`,
        'ce-key': `user-${offset}`,
        'ce-partitionkey': `user-${offset}`,
        'ce-kafkaheadertraceparent': traceparent,
        'ce-kafkaheaderxcustomheader': `v${offset}`,
        'content-type': 'application/json',
      });
      expect(String(headers['ce-time'])).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(headers['ce-traceparent']).toBeUndefined();
    });
    // Upstream's retry defaults (retry 10, exponential from PT0.3S): the pod saw two failures of each event, then
    // the 2xx; nothing dropped. (The dispatcher's own count also holds retries of any transport error on the way.)
    const stats = JSON.parse((await viaGateway(`probe.${ns}.svc.cluster.local`, '/_probe/stats')).body) as {
      attempts: Record<string, number>;
    };
    expect(stats.attempts).toEqual(
      Object.fromEntries([0, 1, 2, 3].map((o) => [`partition:0/offset:${o}`, 3])),
    );
    const counters = await countersOf('defaults');
    expect(counters).toMatchObject({ delivered: 4, dropped: 0, deadLettered: 0 });
    expect(counters.retried).toBeGreaterThanOrEqual(8);
    await waitFor('offsets committed', () => fullyCommitted(String(spec.consumerGroup), topic), 30_000);
  }, 420_000);
});

describe('the whole barrage on upstream Knative Serving', () => {
  it('HomePage (FC) → Kafka → KafkaSource → processing pod → store → HomePage stream, each once, one trace', async () => {
    const kc = kubeConfigFor(upstream.info);
    const second = await createUniqueNamespace(upstream.info, 'barrage-upstream');
    try {
      const ns = second.name;
      const topic = uniqueTopic('upstream-demo');
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      const tracingEndpoint = await startCollector(nodeNetwork(upstream.info.dir).internalIp);
      const facts = readPlaygroundFacts(upstream.info.dir);
      // All three parts as the console deploys them (HomePage is FC-class: the fc part runs it, no Pods).
      const objects = renderTemplatesWith(
        {
          namespace: ns,
          kafkaTopic: topic,
          consumerGroup: uniqueGroup('upstream-demo'),
          processingMaxScale: 2,
          rateLimitCount: 100_000,
          tracingEndpoint,
        },
        { target: 'playground', playground: facts },
      );
      const api = KubernetesObjectApi.makeApiClient(kc);
      for (const object of objects) await api.create(object as KubernetesObject);
      for (const name of ['barrage-processing', 'barrage-homepage']) {
        await waitFor(
          `${name} Ready`,
          async () => conditionOf(await getKsvc(kc, ns, name), 'Ready')?.status === 'True',
          240_000,
        );
      }
      const source = await waitFor(
        'KafkaSource Ready',
        async () => {
          const current = await getObject(kc, resources.kafkaSource, ns, 'barrage-source');
          return conditionOf(current, 'Ready')?.status === 'True' && current;
        },
        120_000,
      );
      expect(source.status?.sinkUri).toBe(`http://barrage-processing.${ns}.svc.cluster.local`);

      const homepage = `barrage-homepage.${ns}.svc.cluster.local`;
      const stream = barrageStream(homepage);
      const accepted: string[] = [];
      try {
        expect(await stream.opened).toBe(200);
        // HomePage connects to Kafka in the background: a 503 "Kafka is unavailable" is retried, as the sender does.
        for (let i = 0; i < 16; i++) {
          const answer = await waitFor(
            `barrage ${i} accepted`,
            async () => {
              const posted = await viaGateway(homepage, '/api/barrage', {
                text: `upstream ${i}`,
                user: `u${i % 4}`,
              });
              return posted.status === 202 && posted;
            },
            60_000,
          );
          accepted.push((JSON.parse(answer.body) as { id: string }).id);
        }
        await waitFor(
          'every accepted barrage back on the stream',
          async () => accepted.every((id) => stream.ids.includes(id)),
          120_000,
        );
        // Each once on the stream and in the store.
        expect(stream.ids.filter((id) => accepted.includes(id)).sort()).toEqual([...accepted].sort());
        const database = new DatabaseSync(join(facts.dataDir, `${ns}.sqlite`), { readOnly: true });
        try {
          const ids = (database.prepare('SELECT id FROM barrage_results').all() as { id: string }[]).map(
            (r) => r.id,
          );
          expect(ids.sort()).toEqual([...accepted].sort());
        } finally {
          database.close();
        }
      } finally {
        stream.close();
      }

      // One trace per barrage: processing's span is the child of HomePage's producer span (record header →
      // kafkaheadertraceparent → processing).
      const spanOf = (name: string, id: string) =>
        spans.find((s) => s.name === name && attribute(s, 'barrage.id') === id);
      await waitFor(
        'HomePage and processing spans of every barrage',
        async () => accepted.every((id) => spanOf('barrage send', id) && spanOf('barrage process', id)),
        60_000,
      );
      for (const id of accepted) {
        const send = spanOf('barrage send', id)!;
        expect(spanOf('barrage process', id)).toMatchObject({
          traceId: send.traceId,
          parentSpanId: send.spanId,
        });
      }
    } finally {
      await deleteKafkaSources(kc, second.name).catch(() => {});
      await second.remove();
    }
  }, 420_000);
});
