import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  annotationKeys,
  renderTemplatesWith,
  TemplateParameterError,
  templateParts,
  toYaml,
  validateTemplateParameters,
  type KubernetesObject,
} from './index';
import { barrageImages } from '../images';

function kinds(objects: KubernetesObject[]): string[] {
  return objects.map((object) => `${object.kind}/${object.metadata.name}`);
}

function container(service: KubernetesObject): {
  image: string;
  env: { name: string; value?: string; valueFrom?: unknown }[];
} {
  const spec = service.spec as { template: { spec: { containers: never[] } } };
  return spec.template.spec.containers[0]!;
}

function revisionAnnotations(service: KubernetesObject): Record<string, string> {
  return (service.spec as { template: { metadata: { annotations: Record<string, string> } } }).template
    .metadata.annotations;
}

function issuesOf(run: () => unknown): { parameter: string; reason: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateParameterError);
    return [...(error as TemplateParameterError).issues];
  }
  throw new Error('expected a TemplateParameterError');
}

describe('barrage templates', () => {
  it('renders processing, KafkaSource and HomePage in deployment order with the defaults', () => {
    const objects = renderTemplatesWith({});
    expect(kinds(objects)).toEqual([
      'Service/barrage-processing',
      'KafkaSource/barrage-source',
      'Service/barrage-homepage',
    ]);
    const [processing, source, homepage] = objects as [KubernetesObject, KubernetesObject, KubernetesObject];
    expect(processing.apiVersion).toBe('serving.knative.dev/v1');
    expect(
      (processing.spec as { template: { spec: { containerConcurrency: number } } }).template.spec,
    ).toMatchObject({ containerConcurrency: 2 });
    expect(revisionAnnotations(processing)).toMatchObject({
      [annotationKeys.minScale]: '0',
      [annotationKeys.maxScale]: '100',
    });
    expect(container(processing).image).toBe(barrageImages.processing.image);
    expect(container(homepage).image).toBe(barrageImages.homepage.image);
    expect(source.apiVersion).toBe('sources.knative.dev/v1');
    expect(source.metadata.annotations).toEqual({ [annotationKeys.deliveryOrder]: 'unordered' });
    expect(source.spec).toMatchObject({
      topics: ['barrage-info.default'],
      consumerGroup: 'barrage-processing.default',
      sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'barrage-processing' } },
    });
    expect(homepage.metadata.annotations).toEqual({ [annotationKeys.workloadClass]: 'fc' });
    expect(revisionAnnotations(homepage)).toEqual({ [annotationKeys.fcCodeSpace]: 'image' });
  });

  it('puts credentials in Secrets first and references them, never inline', () => {
    const objects = renderTemplatesWith({
      kafkaUser: 'alice',
      kafkaPassword: 's3cret-kafka',
      kafkaSaslMechanism: 'SCRAM-SHA-256',
      store: 'tablestore',
      otsEndpoint: 'https://barrage.cn-hangzhou.ots.aliyuncs.com',
      otsKeyId: 'LTAIkeyid',
      otsSecret: 's3cret-ots',
    });
    expect(kinds(objects)).toEqual([
      'Secret/barrage-kafka',
      'Secret/barrage-tablestore',
      'Service/barrage-processing',
      'KafkaSource/barrage-source',
      'Service/barrage-homepage',
    ]);
    const workloads = objects.filter((object) => object.kind !== 'Secret');
    const text = JSON.stringify(workloads);
    expect(text).not.toContain('s3cret-kafka');
    expect(text).not.toContain('s3cret-ots');
    expect(text).not.toContain('LTAIkeyid');
    const source = objects[3]!;
    expect(source.spec).toMatchObject({
      net: {
        sasl: {
          enable: true,
          user: { secretKeyRef: { name: 'barrage-kafka', key: 'user' } },
          password: { secretKeyRef: { name: 'barrage-kafka', key: 'password' } },
          type: { secretKeyRef: { name: 'barrage-kafka', key: 'saslType' } },
        },
      },
    });
    expect(objects[0]).toMatchObject({ stringData: { saslType: 'SCRAM-SHA-256', password: 's3cret-kafka' } });
    const homepageEnv = container(objects[4]!).env;
    expect(homepageEnv.find((variable) => variable.name === 'KAFKA_PWD')).toEqual({
      name: 'KAFKA_PWD',
      valueFrom: { secretKeyRef: { name: 'barrage-kafka', key: 'password' } },
    });
    expect(container(objects[2]!).env.find((variable) => variable.name === 'OTS_SECRET')).toEqual({
      name: 'OTS_SECRET',
      valueFrom: { secretKeyRef: { name: 'barrage-tablestore', key: 'accessKeySecret' } },
    });
  });

  it('writes the FC role and custom domain annotations for HomePage', () => {
    const objects = renderTemplatesWith({
      fcRoleArn: 'acs:ram::1234567890:role/knative-fc',
      fcCustomDomain: 'barrage.demo.knative.top',
    });
    const homepage = objects.at(-1)!;
    const annotations = revisionAnnotations(homepage);
    expect(annotations[annotationKeys.fcRoleArn]).toBe('acs:ram::1234567890:role/knative-fc');
    expect(JSON.parse(annotations[annotationKeys.fcDomain]!)).toEqual({
      domain: 'barrage.demo.knative.top',
      path: '/*',
    });
  });

  it('names each bad parameter and its reason, all at once', () => {
    const issues = issuesOf(() =>
      validateTemplateParameters({
        namespace: 'Bad_Namespace',
        processingMinScale: 5,
        processingMaxScale: 2,
        processingContainerConcurrency: -1,
        kafkaServers: 'not a server list',
        nonsense: true,
      }),
    );
    const parameters = issues.map((issue) => issue.parameter).sort();
    expect(parameters).toEqual([
      'kafkaServers',
      'namespace',
      'nonsense',
      'processingContainerConcurrency',
      'processingMaxScale',
    ]);
    for (const issue of issues) expect(issue.reason.length).toBeGreaterThan(5);
  });

  it('checks rules that span parameters', () => {
    expect(
      issuesOf(() => validateTemplateParameters({ processingMinScale: 5, processingMaxScale: 2 })),
    ).toEqual([{ parameter: 'processingMaxScale', reason: 'must be at least processingMinScale (5)' }]);
    expect(issuesOf(() => validateTemplateParameters({ kafkaUser: 'alice' }))).toEqual([
      { parameter: 'kafkaPassword', reason: 'is required when kafkaUser is set' },
    ]);
    const tablestore = issuesOf(() => validateTemplateParameters({ store: 'tablestore' }));
    expect(tablestore.map((issue) => issue.parameter).sort()).toEqual([
      'otsEndpoint',
      'otsKeyId',
      'otsSecret',
    ]);
  });

  it('fills Kafka and the SQLite path from the playground, under explicit values', () => {
    const playground = { kafkaBrokers: ['127.0.0.1:39092'], dataDir: '/tmp/pg/barrage' };
    const objects = renderTemplatesWith({ namespace: 'demo' }, { target: 'playground', playground });
    expect((objects[1]!.spec as { bootstrapServers: string[] }).bootstrapServers).toEqual([
      '127.0.0.1:39092',
    ]);
    const env = container(objects[0]!).env;
    expect(env.find((variable) => variable.name === 'SQLITE_PATH')?.value).toBe(
      '/tmp/pg/barrage/demo.sqlite',
    );
    const explicit = renderTemplatesWith(
      { kafkaServers: '10.0.0.1:9092' },
      { target: 'playground', playground },
    );
    expect((explicit[1]!.spec as { bootstrapServers: string[] }).bootstrapServers).toEqual(['10.0.0.1:9092']);
  });

  it("renders processing cluster-local, accepting only its own KafkaSource's events", () => {
    const [processing, source] = renderTemplatesWith({
      namespace: 'demo',
      sourceName: 'src',
      kafkaTopic: 't',
    });
    expect(processing!.metadata.labels?.['networking.knative.dev/visibility']).toBe('cluster-local');
    expect(container(processing!).env.find((v) => v.name === 'ACCEPTED_EVENT_SOURCE')?.value).toBe(
      '/apis/v1/namespaces/demo/kafkasources/src#t',
    );
    expect((source!.spec as { delivery: unknown }).delivery).toEqual({
      retry: 10,
      backoffPolicy: 'exponential',
      backoffDelay: 'PT0.3S',
    });
  });

  it('gives each namespace its own topic and consumer group unless told otherwise', () => {
    const sourceIn = (namespace: string, extra = {}) =>
      renderTemplatesWith({ namespace, ...extra }, { parts: ['event-driven'] })[0]!.spec as {
        topics: string[];
        consumerGroup: string;
      };
    const a = sourceIn('team-a');
    const b = sourceIn('team-b');
    expect(a).toMatchObject({ topics: ['barrage-info.team-a'], consumerGroup: 'barrage-processing.team-a' });
    expect(b.consumerGroup).not.toBe(a.consumerGroup);
    expect(b.topics).not.toEqual(a.topics);
    expect(sourceIn('team-b', { consumerGroup: 'shared', kafkaTopic: 't' })).toMatchObject({
      topics: ['t'],
      consumerGroup: 'shared',
    });
  });

  it('renders only the chosen parts, keeping order', () => {
    const objects = renderTemplatesWith(
      { kafkaUser: 'a', kafkaPassword: 'b' },
      { parts: ['homepage', 'event-driven'] },
    );
    expect(kinds(objects)).toEqual([
      'Secret/barrage-kafka',
      'KafkaSource/barrage-source',
      'Service/barrage-homepage',
    ]);
  });

  it('prints multi-document YAML that parses back to the same objects', () => {
    const objects = renderTemplatesWith({ fcCustomDomain: 'barrage.example.com' });
    const documents = parseAllDocuments(toYaml(objects));
    expect(documents.map((document) => document.toJS())).toEqual(objects);
  });

  it('lists the three parts with JSON schemas a form can render', () => {
    expect(templateParts.map((part) => part.id)).toEqual(['processing', 'event-driven', 'homepage']);
    const homepage = templateParts[2]!;
    const properties = homepage.jsonSchema.properties as Record<
      string,
      { default?: unknown; secret?: boolean }
    >;
    expect(properties.fcCodeSpace?.default).toBe('image');
    expect(properties.kafkaPassword?.secret).toBe(true);
    expect(new Set(Object.keys(properties))).toEqual(new Set(homepage.parameterKeys));
    expect(homepage.schema.safeParse({}).success).toBe(true);
  });
});
