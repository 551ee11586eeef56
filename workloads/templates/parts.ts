// The three built-in parts of the barrage service, in deployment order, each with the parameters it uses, so a
// form can show one part at a time. Shared parameters (namespace, Kafka, store, tracing) appear in every part
// that reads them; the values are one flat object either way.
import { z } from 'zod';
import { templateParametersSchema, type TemplateParameterKey } from './parameters';

export type TemplatePartId = 'processing' | 'event-driven' | 'homepage';

export interface TemplatePart {
  readonly id: TemplatePartId;
  readonly title: string;
  readonly description: string;
  /** Where Knative runs it on Alibaba ASK. */
  readonly workload: 'eci' | 'fc' | 'eventing';
  readonly parameterKeys: readonly TemplateParameterKey[];
  /** zod schema of this part's parameters (a pick of the full schema). */
  readonly schema: z.ZodObject;
  /** The same as JSON Schema (with title, description, default and `secret: true` per field) for forms. */
  readonly jsonSchema: Record<string, unknown>;
}

const storeKeys = [
  'store',
  'sqlitePath',
  'otsEndpoint',
  'otsInstanceName',
  'tableName',
  'otsKeyId',
  'otsSecret',
] as const satisfies readonly TemplateParameterKey[];

function part(definition: Omit<TemplatePart, 'schema' | 'jsonSchema'>): TemplatePart {
  const mask = Object.fromEntries(definition.parameterKeys.map((key) => [key, true])) as Partial<
    Record<TemplateParameterKey, true>
  >;
  const schema = templateParametersSchema.pick(mask);
  return { ...definition, schema, jsonSchema: z.toJSONSchema(schema, { io: 'input' }) };
}

export const templateParts: readonly TemplatePart[] = [
  part({
    id: 'processing',
    title: 'Message processing',
    description:
      'Receives barrage messages as CloudEvents, normalises and masks them, flags users sending too fast, and ' +
      'writes each result once to the result store. Knative Service on ECI, containerConcurrency 2, scales 0..100.',
    workload: 'eci',
    parameterKeys: [
      'namespace',
      'secretPrefix',
      'processingName',
      'processingImage',
      'processingMinScale',
      'processingMaxScale',
      'processingContainerConcurrency',
      'eciImageSnapshotId',
      'sensitiveWords',
      'maxTextLength',
      'rateLimitCount',
      'rateLimitWindowSeconds',
      // Processing accepts only its own KafkaSource's events (type and source), so it reads these two as well.
      'sourceName',
      'kafkaTopic',
      ...storeKeys,
      'tracingEndpoint',
    ],
  }),
  part({
    id: 'event-driven',
    title: 'Event-driven (KafkaSource)',
    description:
      'A KafkaSource that consumes the barrage topic and delivers each record to message processing, unordered so ' +
      'processing can scale out; SASL credentials come from a Secret.',
    workload: 'eventing',
    parameterKeys: [
      'namespace',
      'secretPrefix',
      'sourceName',
      'kafkaServers',
      'kafkaTopic',
      'consumerGroup',
      'initialOffset',
      'deliveryRetry',
      'kafkaUser',
      'kafkaPassword',
      'kafkaSaslMechanism',
      'kafkaTls',
      'processingName',
    ],
  }),
  part({
    id: 'homepage',
    title: 'HomePage',
    description:
      'The public page and API: accepts barrage messages into Kafka and streams processed results. Knative ' +
      'Service deployed to Function Compute (workload class fc).',
    workload: 'fc',
    parameterKeys: [
      'namespace',
      'secretPrefix',
      'homepageName',
      'homepageImage',
      'fcCodeSpace',
      'fcRoleArn',
      'fcCustomDomain',
      'fcDomainPath',
      'kafkaServers',
      'kafkaTopic',
      'kafkaUser',
      'kafkaPassword',
      'kafkaSaslMechanism',
      'kafkaTls',
      ...storeKeys,
      'tracingEndpoint',
    ],
  }),
];

export function templatePart(id: TemplatePartId): TemplatePart {
  const found = templateParts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`unknown template part "${id}"`);
  return found;
}
