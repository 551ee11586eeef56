// Creating and editing KafkaSources from the form through the engine, against the playground's real Kafka (both
// listeners), kube-apiserver and KafkaSource dispatcher: create with a new topic (the apply makes the topic, then the
// source, and the records reach the sink), edit from the live object (diff after the dry run, generation guard), move
// the sink, and bad input — an unknown topic, brokers that are down, a wrong SASL password, a missing Secret key, a
// malformed duration — each refused with its message on the form field and nothing written (no source, no topic).
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import type { KafkaSourceFormInput } from '../electron/common/schemas/kafka-source';
import { kafkaSaslUser } from '../playground/parts/kafka';
import { engineFor, eventually } from './engine-harness';
import { clients, conditionOf, getObject } from './support/runtime-helpers';
import { resources } from '../knative/resources';
import { deleteKafkaSources } from './support/kafka-sources';
import { sinksForFile } from './support/event-sinks';
import { namespaceForFile, kafkaClientsForFile } from './support/file-fixtures';
import { kubeConfigFor, uniqueGroup, uniqueTopic } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const context = playground.contexts.admin;
const kc = kubeConfigFor(playground, 'admin');
const saslBroker = `127.0.0.1:${playground.parts.kafka?.ports?.sasl ?? 0}`;
const namespace = namespaceForFile(playground, 'eng-source-form');
const { admin, producer } = kafkaClientsForFile(playground);
const sinks = sinksForFile();

afterAll(async () => {
  if (namespace.name) await deleteKafkaSources(kc, namespace.name);
  await harness.close();
});

/** A local sink that records the CloudEvent ids it is sent. */
const sink = () => sinks.recording(200);

async function run(request: Parameters<typeof api.eventing.applySource>[0]): Promise<DeployEvent[]> {
  const events: DeployEvent[] = [];
  await api.eventing.applySource(request, (event) => events.push(event)).done;
  return events;
}

function form(name: string, topics: string[], sinkUri: string, extra: Partial<KafkaSourceFormInput> = {}) {
  return {
    name,
    namespace: namespace.name,
    bootstrapServers: playground.kafkaBrokers,
    topics,
    consumerGroup: uniqueGroup(name),
    initialOffset: 'earliest' as const,
    sink: { kind: 'uri' as const, uri: sinkUri },
    ...extra,
  };
}

const readSource = (name: string) => getObject(kc, resources.kafkaSource, namespace.name, name);

/**
 * A source `name` created through the form on a new one-partition topic to a recording sink, then read back by the
 * form once the KafkaSource webhook's defaults (ordering, consumers) are written.
 */
async function createdThroughForm(name: string) {
  const target = await sink();
  const topic = uniqueTopic(`form-${name}`);
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  expect(
    (await run({ context, mode: 'create', form: form(name, [topic], target.uri) })).at(-1),
  ).toMatchObject({
    ok: true,
  });
  const loaded = await eventually(
    () => api.eventing.sourceForm({ context, namespace: namespace.name, name }),
    (response) => response.form.ordering === 'ordered' && response.generation !== null,
    `the defaulted source ${name} as the form reads it`,
  );
  return { target, topic, loaded };
}
const sourceExists = async (name: string) => (await readSource(name).catch(() => undefined)) !== undefined;

describe('KafkaSource form: create, edit, move the sink', () => {
  it('creates a source with a new topic: preview, apply with progress, and the records reach the sink', async () => {
    const target = await sink();
    const topic = uniqueTopic('form-new');
    const request = {
      context,
      mode: 'create' as const,
      form: form('from-form', [topic], target.uri, {
        newTopics: [{ name: topic, partitions: 2 }],
        delivery: { retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.2S', deadLetterSink: null },
      }),
    };
    const plan = await api.eventing.planSource(request);
    expect(plan.error).toBeNull();
    expect(plan.objects.map((object) => [object.ref.kind, object.ref.name, object.action])).toEqual([
      ['Topic', topic, 'create'],
      ['KafkaSource', 'from-form', 'create'],
    ]);
    expect(plan.objects[1]?.yaml).toContain('backoffPolicy: linear');
    // The preview wrote nothing: no topic, no source.
    expect(await admin.listTopics()).not.toContain(topic);
    expect(await sourceExists('from-form')).toBe(false);

    const events = await run(request);
    expect(events.at(-1)).toEqual({ type: 'done', ok: true, error: null });
    expect(
      events
        .filter((e) => e.type === 'object' && e.phase === 'applied')
        .map((e) => e.type === 'object' && e.result),
    ).toEqual(['created', 'created']);
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions).toHaveLength(2);
    const source = await readSource('from-form');
    expect(source?.spec).toMatchObject({
      topics: [topic],
      delivery: { retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.2S' },
      sink: { uri: target.uri },
    });

    await eventually(
      async () => conditionOf(await readSource('from-form'), 'Ready')?.status,
      (status) => status === 'True',
      'the source Ready',
      60_000,
    );
    await producer.send({ topic, messages: [{ key: 'a', value: '{"n":1}' }] });
    await eventually(
      () => target.ids.length,
      (count) => count >= 1,
      'the record at the sink',
      30_000,
    );
  });

  it('edits from the live object (diff after the dry run) and refuses a stale generation', async () => {
    const { target, topic, loaded } = await createdThroughForm('edited');
    expect(loaded.form).toMatchObject({
      topics: [topic],
      sink: { kind: 'uri', uri: target.uri },
      initialOffset: 'earliest',
    });

    const changed = {
      context,
      mode: 'edit' as const,
      form: {
        ...loaded.form,
        ordering: 'unordered' as const,
        delivery: { ...loaded.form.delivery, retry: 2 },
      },
      generation: loaded.generation!,
    };
    const plan = await api.eventing.planSource(changed);
    expect(plan.error).toBeNull();
    expect(plan.objects[0]).toMatchObject({ action: 'update' });
    expect(plan.objects[0]?.diff).toMatch(/-\s+ordering: ordered\n\+\s+ordering: unordered/);
    expect(plan.objects[0]?.diff).toMatch(/\+\s+retry: 2/);

    expect((await run(changed)).at(-1)).toMatchObject({ ok: true });
    expect((await readSource('edited'))?.spec).toMatchObject({
      ordering: 'unordered',
      delivery: { retry: 2 },
    });

    // The same form again, from the generation before the edit: someone else's change is not overwritten.
    const stale = await api.eventing.planSource({ ...changed, form: { ...changed.form, consumers: 0 } });
    expect(stale.error).toMatchObject({ code: 'conflict' });
    expect(stale.error?.message).toMatch(/KafkaSource edited was changed by someone else/);
    expect((await readSource('edited'))?.spec).toMatchObject({ consumers: 1 });
  });

  it('moves the sink to another Knative Service with the same diff and apply', async () => {
    const { loaded } = await createdThroughForm('mover');
    const move = {
      context,
      mode: 'edit' as const,
      form: { ...loaded.form, sink: { kind: 'service' as const, name: 'processing' } },
      generation: loaded.generation!,
    };
    const plan = await api.eventing.planSource(move);
    expect(plan.error).toBeNull();
    expect(plan.objects[0]?.diff).toMatch(/\+\s+kind: Service\n/);
    expect(plan.objects[0]?.diff).toMatch(/-\s+uri: http:\/\/127\.0\.0\.1/);
    const moved = await run(move);
    expect(moved.at(-1)).toMatchObject({ ok: true });
    expect((await readSource('mover'))?.spec?.sink).toMatchObject({
      ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'processing' },
    });
  });
});

describe('KafkaSource form: bad input is refused on its field, and nothing is written', () => {
  it('an unknown topic', async () => {
    const topic = uniqueTopic('form-absent');
    const request = {
      context,
      mode: 'create' as const,
      form: form('no-topic', [topic], 'http://127.0.0.1:9/'),
    };
    const plan = await api.eventing.planSource(request);
    expect(plan.objects).toEqual([]);
    expect(plan.fieldErrors.topics).toBe(
      `No topic "${topic}" on the brokers. Pick an existing topic or add it as a new topic (with its partitions); the source never creates topics itself.`,
    );
    const events = await run(request);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: false });
    expect(await sourceExists('no-topic')).toBe(false);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('brokers that are down', async () => {
    const plan = await api.eventing.planSource({
      context,
      mode: 'create',
      form: form('down', [uniqueTopic('down')], 'http://127.0.0.1:9/', { bootstrapServers: ['127.0.0.1:9'] }),
    });
    expect(plan.error).toMatchObject({ code: 'unreachable' });
    expect(plan.fieldErrors.bootstrapServers).toMatch(
      /^Cannot reach the brokers 127\.0\.0\.1:9 \(.+\)\. Is Kafka running there\?/,
    );
    expect(await sourceExists('down')).toBe(false);
  }, 60_000);

  it('a wrong SASL password (and the right one passes)', async () => {
    const user = kafkaSaslUser(playground.dir);
    const topic = uniqueTopic('form-sasl');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await clients(kc).core.createNamespacedSecret({
      namespace: namespace.name,
      body: {
        metadata: { name: 'kafka-creds', namespace: namespace.name },
        stringData: { user: user.username, wrong: 'not-the-password', right: user.password },
      },
    });
    const sasl = (password: string) => ({
      enabled: true,
      typeSecret: null,
      user: { name: 'kafka-creds', key: 'user' },
      password: { name: 'kafka-creds', key: password },
    });
    const request = (password: string) => ({
      context,
      mode: 'create' as const,
      form: form('sasl-form', [topic], 'http://127.0.0.1:9/', {
        bootstrapServers: [saslBroker],
        sasl: sasl(password),
      }),
    });
    const refused = await api.eventing.planSource(request('wrong'));
    expect(refused.error).toMatchObject({ code: 'forbidden' });
    expect(refused.fieldErrors.sasl).toMatch(
      /^The brokers refused the SASL login of the user in Secret kafka-creds\/user \(SASL PLAIN authentication failed.*\)\. Check the user and password Secrets; nothing was written\.$/,
    );
    expect((await run(request('wrong'))).at(-1)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sourceExists('sasl-form')).toBe(false);

    const missing = await api.eventing.planSource(request('absent-key'));
    expect(missing.fieldErrors.sasl).toBe(
      'spec.net.sasl.password: Secret kafka-creds has no key "absent-key"',
    );

    const accepted = await api.eventing.planSource(request('right'));
    expect(accepted.error).toBeNull();
    expect(accepted.objects[0]?.yaml).toMatch(
      /password:\n\s+secretKeyRef:\n\s+name: kafka-creds\n\s+key: right/,
    );
  });

  it('a malformed duration or URI, refused by the contract with the field named', async () => {
    await expect(
      api.eventing.planSource({
        context,
        mode: 'create',
        form: form('bad', ['t'], 'not a url', {
          delivery: { retry: null, backoffPolicy: '', backoffDelay: '3 seconds', deadLetterSink: null },
        }),
      }),
    ).rejects.toMatchObject({
      code: 'invalid-request',
      details: {
        causes: expect.arrayContaining([
          expect.objectContaining({ field: 'form.delivery.backoffDelay' }),
          expect.objectContaining({ field: 'form.sink.uri' }),
        ]),
      },
    });
    expect(await sourceExists('bad')).toBe(false);
  });
});
