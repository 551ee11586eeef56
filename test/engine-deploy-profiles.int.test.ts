// Deploy defaults from a Kafka and an FC profile in use, against the playground's API server: the form gets the
// profiles' non-secret values, the applied objects reference a Secret that holds the stored secrets, and no
// secret appears in plain text in any applied Service or KafkaSource, in the preview, in the diff or in the
// template descriptions. Undeploy with the same profiles removes those Secrets too. Without a profile the
// defaults stay the playground's (the first run's path; test/engine-first-run.int.test.ts).
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DeployEvent } from '../electron/common/schemas/deploy';
import { engineFor } from './engine-harness';
import { createUniqueNamespace, kubeConfigFor } from './support/unique';

const playground = inject('playground');
const harness = engineFor(playground);
const { api } = harness;
const admin = playground.contexts.admin;
const kc = kubeConfigFor(playground, 'admin');
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
let namespace: { name: string; remove: () => Promise<void> };

const KAFKA_PASSWORD = 'profile-kafka-pass-7Rk2';
const FC_SECRET = 'profile-fc-secret-Q4m9';
const parts = ['processing', 'event-driven', 'homepage'] as const;

beforeAll(async () => {
  namespace = await createUniqueNamespace(playground, 'deploy-profiles');
});
afterAll(async () => {
  await namespace?.remove();
  await harness.close();
});

function defaultsOf(templates: { parameters: { name: string; default: unknown }[] }[]) {
  return Object.fromEntries(templates.flatMap((t) => t.parameters.map((p) => [p.name, p.default])));
}

async function run(
  kind: 'apply' | 'undeploy',
  templateId: string,
  profiles: { kafka: string; fc: string },
): Promise<DeployEvent[]> {
  const events: DeployEvent[] = [];
  const request = {
    context: admin,
    templateId,
    namespace: namespace.name,
    // What the form sends: the shown defaults it got, secret fields left empty (so left out), the store chosen.
    parameters: { store: 'tablestore', processingMinScale: 0, processingMaxScale: 1 },
    profiles,
  };
  const stream = kind === 'apply' ? api.deploy.apply : api.deploy.undeploy;
  await stream(request, (event) => events.push(event)).done;
  return events;
}

describe('deploy with a Kafka and an FC profile in use', () => {
  it('defaults, Secrets and references come from the profiles; no secret is ever shown or inlined', async () => {
    const brokers = playground.kafkaBrokers;
    const { profile: kafka } = await api.kafka.saveProfile({
      name: 'deploy-profile kafka',
      brokers: [...brokers],
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'barrage-app', password: KAFKA_PASSWORD },
    });
    const { profile: fc } = await api.fc.saveProfile({
      name: 'deploy-profile fc',
      accountId: '1234567890',
      region: 'cn-shanghai',
      accessKeyId: 'LTAI-deploy-profile',
      accessKeySecret: FC_SECRET,
    });
    const profiles = { kafka: kafka.id, fc: fc.id };

    // Without a profile: the playground's defaults, untouched.
    const plain = defaultsOf((await api.deploy.templates({ context: admin, namespace: 'x' })).templates);
    expect(plain).toMatchObject({ kafkaServers: brokers.join(','), kafkaUser: '', kafkaTls: false });

    const { templates } = await api.deploy.templates({ context: admin, namespace: namespace.name, profiles });
    const defaults = defaultsOf(templates);
    expect(defaults).toMatchObject({
      kafkaServers: brokers.join(','),
      kafkaUser: 'barrage-app',
      kafkaSaslMechanism: 'SCRAM-SHA-256',
      kafkaTls: true,
      otsKeyId: 'LTAI-deploy-profile',
      otsEndpoint: 'https://barrage.cn-shanghai.ots.aliyuncs.com',
      kafkaPassword: '',
    });
    expect(JSON.stringify(templates)).not.toContain(KAFKA_PASSWORD);
    expect(JSON.stringify(templates)).not.toContain(FC_SECRET);

    // Preview and diff: the Secrets are there, their values masked.
    const previews = [];
    for (const templateId of parts) {
      const rendered = await api.deploy.render({
        templateId,
        namespace: namespace.name,
        context: admin,
        parameters: { store: 'tablestore' },
        profiles,
      });
      previews.push(rendered.yaml);
    }
    const previewText = previews.join('\n');
    expect(previewText).toContain('kind: Secret');
    expect(previewText).not.toContain(KAFKA_PASSWORD);
    expect(previewText).not.toContain(FC_SECRET);

    for (const templateId of parts) {
      const events = await run('apply', templateId, profiles);
      expect(events.at(-1), JSON.stringify(events.at(-1))).toMatchObject({ type: 'done', ok: true });
      expect(JSON.stringify(events)).not.toContain(KAFKA_PASSWORD);
    }
    const diff = await api.deploy.diff({
      templateId: 'event-driven',
      namespace: namespace.name,
      context: admin,
      parameters: { store: 'tablestore', processingMinScale: 0, processingMaxScale: 1 },
      profiles,
    });
    expect(diff.objects.map((o) => [o.ref.kind, o.action])).toEqual([
      ['Secret', 'unchanged'],
      ['KafkaSource', 'unchanged'],
    ]);
    expect(JSON.stringify(diff)).not.toContain(KAFKA_PASSWORD);

    // The applied Secrets hold the stored values, labelled as the console's.
    const kafkaSecret = await core.readNamespacedSecret({ name: 'barrage-kafka', namespace: namespace.name });
    const decode = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');
    expect(decode(kafkaSecret.data?.password)).toBe(KAFKA_PASSWORD);
    expect(decode(kafkaSecret.data?.user)).toBe('barrage-app');
    expect(kafkaSecret.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('knative-desk');
    const storeSecret = await core.readNamespacedSecret({
      name: 'barrage-tablestore',
      namespace: namespace.name,
    });
    expect(decode(storeSecret.data?.accessKeySecret)).toBe(FC_SECRET);
    expect(decode(storeSecret.data?.accessKeyId)).toBe('LTAI-deploy-profile');

    // Every applied workload object references them and holds no secret in plain text.
    const read = (plural: string, group: string, version: string, name: string) =>
      custom.getNamespacedCustomObject({ group, version, namespace: namespace.name, plural, name });
    const source = (await read('kafkasources', 'sources.knative.dev', 'v1beta1', 'barrage-source')) as {
      spec: { net?: Record<string, unknown> };
    };
    expect(source.spec.net).toMatchObject({
      sasl: {
        enable: true,
        user: { secretKeyRef: { name: 'barrage-kafka', key: 'user' } },
        password: { secretKeyRef: { name: 'barrage-kafka', key: 'password' } },
      },
      tls: { enable: true },
    });
    const homepage = await read('services', 'serving.knative.dev', 'v1', 'barrage-homepage');
    const processing = await read('services', 'serving.knative.dev', 'v1', 'barrage-processing');
    const homepageText = JSON.stringify(homepage);
    expect(homepageText).toContain('"name":"KAFKA_PWD","valueFrom":{"secretKeyRef"');
    expect(JSON.stringify(processing)).toContain('"name":"OTS_SECRET","valueFrom":{"secretKeyRef"');
    for (const object of [source, homepage, processing]) {
      const text = JSON.stringify(object);
      expect(text).not.toContain(KAFKA_PASSWORD);
      expect(text).not.toContain(FC_SECRET);
    }

    // Undeploy with the same profiles removes the Secrets as well (they carry the managed label).
    for (const templateId of [...parts].reverse()) {
      const events = await run('undeploy', templateId, profiles);
      expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    }
    const secrets = await core.listNamespacedSecret({ namespace: namespace.name });
    expect(secrets.items.map((s) => s.metadata?.name)).not.toContain('barrage-kafka');
    expect(secrets.items.map((s) => s.metadata?.name)).not.toContain('barrage-tablestore');
  });

  it('a profile that is not there is a clear not-found, nothing applied', async () => {
    const events: DeployEvent[] = [];
    await api.deploy.apply(
      {
        context: admin,
        templateId: 'event-driven',
        namespace: namespace.name,
        parameters: {},
        profiles: { kafka: 'kafka-no-such-profile' },
      },
      (event) => events.push(event),
    ).done;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'done', ok: false, error: { code: 'not-found' } });
  });
});
