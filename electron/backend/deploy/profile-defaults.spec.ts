import { describe, expect, it } from 'vitest';
import { renderTemplatesWith } from '../../../workloads/templates/index';
import { masked } from './deploy-service';
import { profileDefaults, tablestoreEndpoint, withProfileValues } from './profile-defaults';
import { templateInfos } from './templates';

const kafka = {
  name: 'prod kafka',
  brokers: ['b-1.kafka.example.com:9093', ' b-2.kafka.example.com:9093'],
  ssl: true,
  sasl: { mechanism: 'scram-sha-512' as const, username: 'barrage-app' },
  password: 'kafka-pass-Zq81',
};
const fc = {
  name: 'hangzhou',
  region: 'cn-hangzhou',
  accessKeyId: 'LTAI5tExampleKeyId',
  accessKeySecret: 'fc-secret-Wv93',
};

describe('profileDefaults', () => {
  it('gives nothing without a profile (the connection defaults stay as they are)', () => {
    expect(profileDefaults({})).toEqual({ shown: {}, secret: {}, secretSources: {} });
  });

  it('splits a Kafka profile into shown values and the password, which is only a secret', () => {
    const defaults = profileDefaults({ kafka });
    expect(defaults.shown).toEqual({
      kafkaServers: 'b-1.kafka.example.com:9093,b-2.kafka.example.com:9093',
      kafkaTls: true,
      kafkaUser: 'barrage-app',
      kafkaSaslMechanism: 'SCRAM-SHA-512',
    });
    expect(defaults.secret).toEqual({ kafkaPassword: 'kafka-pass-Zq81' });
    expect(JSON.stringify(defaults.shown)).not.toContain('kafka-pass-Zq81');
    expect(defaults.secretSources.kafkaPassword).toContain('prod kafka');
  });

  it('a Kafka profile without SASL clears the user, so no SASL Secret is rendered', () => {
    const defaults = profileDefaults({ kafka: { ...kafka, sasl: null, password: undefined, ssl: false } });
    expect(defaults.shown).toMatchObject({ kafkaUser: '', kafkaTls: false });
    expect(defaults.secret).toEqual({});
  });

  it('an FC profile is the Tablestore account: key id shown, secret kept, endpoint from the region', () => {
    const defaults = profileDefaults({ fc });
    expect(defaults.shown).toEqual({
      otsKeyId: 'LTAI5tExampleKeyId',
      otsEndpoint: 'https://barrage.cn-hangzhou.ots.aliyuncs.com',
    });
    expect(defaults.secret).toEqual({ otsSecret: 'fc-secret-Wv93' });
    expect(tablestoreEndpoint('other', 'cn-shanghai')).toBe('https://other.cn-shanghai.ots.aliyuncs.com');
  });

  it("the user's own values win over a profile's, secrets included", () => {
    const defaults = profileDefaults({ kafka, fc });
    const merged = withProfileValues({ kafkaServers: 'mine:9092', kafkaPassword: 'typed' }, defaults);
    expect(merged).toMatchObject({
      kafkaServers: 'mine:9092',
      kafkaPassword: 'typed',
      otsSecret: 'fc-secret-Wv93',
    });
  });

  it('renders the profile secrets only into Secrets; the workloads reference them and the preview masks them', () => {
    const parameters = withProfileValues({ store: 'tablestore' }, profileDefaults({ kafka, fc }));
    const objects = renderTemplatesWith({ ...parameters, namespace: 'team-a' });
    const [kafkaSecret, storeSecret] = objects;
    expect(kafkaSecret).toMatchObject({
      kind: 'Secret',
      metadata: { name: 'barrage-kafka', labels: { 'app.kubernetes.io/managed-by': 'knative-desk' } },
      stringData: { user: 'barrage-app', password: 'kafka-pass-Zq81', saslType: 'SCRAM-SHA-512' },
    });
    expect(storeSecret).toMatchObject({
      kind: 'Secret',
      metadata: { name: 'barrage-tablestore' },
      stringData: { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'fc-secret-Wv93' },
    });
    for (const object of objects.filter((o) => o.kind !== 'Secret')) {
      const text = JSON.stringify(object);
      expect(text).not.toContain('kafka-pass-Zq81');
      expect(text).not.toContain('fc-secret-Wv93');
    }
    const source = objects.find((o) => o.kind === 'KafkaSource') as unknown as { spec: { net: unknown } };
    expect(source.spec.net).toEqual({
      sasl: {
        enable: true,
        user: { secretKeyRef: { name: 'barrage-kafka', key: 'user' } },
        password: { secretKeyRef: { name: 'barrage-kafka', key: 'password' } },
        type: { secretKeyRef: { name: 'barrage-kafka', key: 'saslType' } },
      },
      tls: { enable: true },
    });
    const homepage = objects.find((o) => o.metadata.name === 'barrage-homepage') as unknown as {
      spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
    };
    const env = homepage.spec.template.spec.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: 'KAFKA_TLS', value: 'true' });
    expect(env).toContainEqual({
      name: 'KAFKA_PWD',
      valueFrom: { secretKeyRef: { name: 'barrage-kafka', key: 'password' } },
    });
    const preview = JSON.stringify(objects.map(masked));
    expect(preview).not.toContain('kafka-pass-Zq81');
    expect(preview).not.toContain('fc-secret-Wv93');
  });

  it('the form gets the shown defaults and, for a secret field, where its stored value comes from', () => {
    const defaults = profileDefaults({ kafka });
    const infos = templateInfos(defaults.shown, defaults.secretSources);
    const source = infos.find((t) => t.id === 'event-driven');
    const password = source?.parameters.find((p) => p.name === 'kafkaPassword');
    expect(password).toMatchObject({ type: 'secret', default: '' });
    expect(password?.description).toContain('Kafka profile “prod kafka”');
    expect(source?.parameters.find((p) => p.name === 'kafkaTls')).toMatchObject({
      type: 'boolean',
      default: true,
    });
    expect(JSON.stringify(infos)).not.toContain('kafka-pass-Zq81');
  });
});
