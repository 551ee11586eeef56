// The playground's KafkaSource dispatcher with spec.net.sasl against the real broker's SASL_PLAINTEXT listener
// (Kafka's PlainLoginModule, the playground's one PLAIN user): a wrong password in the Secret leaves the source
// ConsumerGroup False / SASLAuthenticationFailed with the broker's words, and nothing is read or committed; the
// corrected Secret restarts the consumer and the records reach the sink. A missing Secret key is said as such.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kafkaSaslUser } from '../playground/parts/kafka';
import { clients, conditionOf, getObject, waitFor } from './support/runtime-helpers';
import { resources } from '../knative/resources';
import { createKafkaSource, deleteKafkaSources } from './support/kafka-sources';
import { sinksForFile, type RecordingSink } from './support/event-sinks';
import { namespaceForFile, kafkaClientsForFile } from './support/file-fixtures';
import { kubeConfigFor, uniqueGroup, uniqueTopic } from './support/unique';

const playground = inject('playground');
const kc = kubeConfigFor(playground, 'admin');
const saslPort = playground.parts.kafka?.ports?.sasl;
const saslBroker = `127.0.0.1:${saslPort ?? 0}`;
const user = kafkaSaslUser(playground.dir);
const namespace = namespaceForFile(playground, 'kafka-sasl');
const { admin, producer } = kafkaClientsForFile(playground);
const sinks = sinksForFile();
let sink: RecordingSink;

beforeAll(async () => {
  if (!saslPort)
    throw new Error('the playground Kafka has no SASL_PLAINTEXT listener (restart its kafka part)');
  sink = await sinks.recording(200);
});
afterAll(async () => {
  if (namespace.name) await deleteKafkaSources(kc, namespace.name);
});

async function saslSecret(name: string, data: Record<string, string>, replace = false) {
  const body = { metadata: { name, namespace: namespace.name }, stringData: data };
  const core = clients(kc).core;
  if (replace) await core.replaceNamespacedSecret({ name, namespace: namespace.name, body });
  else await core.createNamespacedSecret({ namespace: namespace.name, body });
}

async function saslSource(
  name: string,
  topic: string,
  groupId: string,
  secret: string,
  passwordKey = 'password',
) {
  await createKafkaSource(kc, namespace.name, name, {
    bootstrapServers: [saslBroker],
    topics: [topic],
    consumerGroup: groupId,
    initialOffset: 'earliest',
    net: {
      sasl: {
        enable: true,
        user: { secretKeyRef: { name: secret, key: 'user' } },
        password: { secretKeyRef: { name: secret, key: passwordKey } },
        type: { secretKeyRef: { name: secret, key: 'saslType' } },
      },
    },
    sink: { uri: sink.uri },
  });
}

const sourceNamed = (name: string) => getObject(kc, resources.kafkaSource, namespace.name, name);

describe('playground Kafka: SASL_PLAINTEXT listener', () => {
  it('accepts the playground user and refuses a wrong password', async () => {
    const login = async (password: string) => {
      const probe = new Kafka({
        brokers: [saslBroker],
        sasl: { mechanism: 'plain', username: user.username, password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      try {
        await probe.connect();
        return (await probe.listTopics()).length >= 0;
      } finally {
        await probe.disconnect().catch(() => undefined);
      }
    };
    expect(await login(user.password)).toBe(true);
    await expect(login(`${user.password}-wrong`)).rejects.toThrow(/SASL PLAIN authentication failed/);
  });
});

describe('playground KafkaSource with spec.net.sasl', () => {
  it('says a wrong password clearly and consumes nothing; the corrected Secret delivers', async () => {
    const topic = uniqueTopic('sasl');
    const groupId = uniqueGroup('sasl');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.send({ topic, messages: [{ value: '{"n":1}' }, { value: '{"n":2}' }] });
    await saslSecret('kafka-login', {
      user: user.username,
      password: 'not-the-password',
      saslType: 'PLAIN',
    });
    await saslSource('sasl-source', topic, groupId, 'kafka-login');

    const refused = await waitFor(
      'ConsumerGroup False (SASL)',
      async () => {
        const current = await sourceNamed('sasl-source');
        return conditionOf(current, 'ConsumerGroup')?.reason === 'SASLAuthenticationFailed' && current;
      },
      60_000,
    );
    const message = conditionOf(refused, 'Ready')?.message ?? '';
    expect(conditionOf(refused, 'Ready')?.status).toBe('False');
    expect(message).toContain('SASL authentication failed for the user in Secret kafka-login/user');
    expect(message).toMatch(/SASL PLAIN authentication failed/);
    // Nothing changed: no delivery, no committed offset, no member in the group.
    expect(sink.ids).toHaveLength(0);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0]?.partitions.every((p) => p.offset === '-1')).toBe(true);

    await saslSecret(
      'kafka-login',
      { user: user.username, password: user.password, saslType: 'PLAIN' },
      true,
    );
    await waitFor('both records delivered', async () => sink.ids.length >= 2, 60_000);
    const ready = await waitFor('Ready True', async () => {
      const current = await sourceNamed('sasl-source');
      return conditionOf(current, 'Ready')?.status === 'True' && current;
    });
    expect(conditionOf(ready, 'ConsumerGroup')?.status).toBe('True');
    expect(sink.ids.slice(0, 2).sort()).toEqual(['partition:0/offset:0', 'partition:0/offset:1']);
  });

  it('names a missing Secret key on the status instead of connecting', async () => {
    const topic = uniqueTopic('sasl-missing');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await saslSecret('kafka-half', { user: user.username, saslType: 'PLAIN' });
    await saslSource('sasl-half', topic, uniqueGroup('sasl-half'), 'kafka-half');
    const source = await waitFor('ConsumerGroup False (InvalidSpec)', async () => {
      const current = await sourceNamed('sasl-half');
      return conditionOf(current, 'ConsumerGroup')?.reason === 'InvalidSpec' && current;
    });
    expect(conditionOf(source, 'ConsumerGroup')?.message).toContain(
      'spec.net.sasl.password: Secret kafka-half has no key "password"',
    );
  });
});
