// The barrage templates' parameters: one flat zod schema (so `--set key=value` and a form field map 1:1 to a key),
// with defaults, limits and a title/description on every field. Cross-field rules live in `refineParameters`.
import { z } from 'zod';
import { barrageImages } from '../images';

/** Knative Service and Kubernetes Service names must be DNS-1035 labels (they become hostnames). */
const dns1035Label = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    'must be lowercase letters, digits and "-", start with a letter and end with a letter or digit',
  );

/** Namespaces and Secret names are DNS-1123 labels. */
const dns1123Label = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be lowercase letters, digits and "-", and start and end with a letter or digit',
  );

/** An OCI image reference: [registry/]path[:tag][@digest]; no whitespace, no scheme. */
const imageReference = z
  .string()
  .min(1, 'must not be empty')
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    'must be an image reference like registry.example.com/team/name:tag',
  );

/** `host:port` entries separated by commas, e.g. `kafka-1:9092,kafka-2:9092`. */
const kafkaServers = z
  .string()
  .regex(
    /^\s*[A-Za-z0-9.-]+:\d{1,5}\s*(,\s*[A-Za-z0-9.-]+:\d{1,5}\s*)*$/,
    'must be host:port entries separated by commas',
  );

/** Kafka topic and group names: the broker's own rule (legal characters, at most 249). */
const kafkaName = z
  .string()
  .min(1, 'must not be empty')
  .max(249, 'must be at most 249 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

const optionalUrl = z
  .string()
  .refine((value) => value === '' || URL.canParse(value), 'must be an absolute URL (or empty)');

function int(min: number, max: number, fallback: number) {
  return z.number().int('must be a whole number').min(min).max(max).default(fallback);
}

export const templateParametersSchema = z.object({
  // Shared
  namespace: dns1123Label.default('default').meta({
    title: 'Namespace',
    description: 'Namespace all three parts are deployed into.',
  }),
  secretPrefix: dns1123Label.max(40).default('barrage').meta({
    title: 'Secret name prefix',
    description: 'Credentials go into Secrets named <prefix>-kafka and <prefix>-tablestore.',
  }),
  kafkaServers: kafkaServers.default('127.0.0.1:9092').meta({
    title: 'Kafka bootstrap servers',
    description: 'host:port list (KAFKA_SERVER); filled from the playground with --target playground.',
  }),
  kafkaTopic: kafkaName.default('barrage-info').meta({
    title: 'Kafka topic',
    description:
      'Topic HomePage produces to and the KafkaSource consumes (KAFKA_TOPIC); barrage-info.<namespace> by default.',
  }),
  kafkaUser: z.string().max(256).default('').meta({
    title: 'Kafka SASL user',
    description: 'Empty for no SASL. Stored in a Secret, referenced with secretKeyRef (KAFKA_USER).',
  }),
  kafkaPassword: z.string().max(1024).default('').meta({
    title: 'Kafka SASL password',
    description: 'Stored in a Secret, never inline (KAFKA_PWD).',
    secret: true,
  }),
  kafkaSaslMechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).default('PLAIN').meta({
    title: 'Kafka SASL mechanism',
    description: 'Used only when a SASL user is set.',
  }),
  kafkaTls: z.boolean().default(false).meta({
    title: 'Kafka TLS',
    description:
      "Connect to the brokers over TLS (KAFKA_TLS; the KafkaSource's spec.net.tls.enable), trusting the system CAs.",
  }),
  store: z.enum(['sqlite', 'tablestore']).default('sqlite').meta({
    title: 'Result store',
    description:
      'sqlite: one file shared by HomePage and every processing copy (playground); tablestore: Alibaba Tablestore.',
  }),
  sqlitePath: z
    .string()
    .regex(/^\//, 'must be an absolute path')
    .default('/var/lib/barrage/barrage.sqlite')
    .meta({ title: 'SQLite file', description: 'Path of the shared SQLite file (SQLITE_PATH).' }),
  otsEndpoint: optionalUrl.default('').meta({
    title: 'Tablestore endpoint',
    description: 'e.g. https://barrage.cn-hangzhou.ots.aliyuncs.com (OTS_ENDPOINT).',
  }),
  otsInstanceName: z.string().max(64).default('barrage').meta({
    title: 'Tablestore instance',
    description: 'Tablestore instance name (OTS_INSTANCENAME).',
  }),
  tableName: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'must be letters, digits and "_", not starting with a digit')
    .default('barrage')
    .meta({ title: 'Table name', description: 'Tablestore table for results (TABLE_NAME).' }),
  otsKeyId: z.string().max(256).default('').meta({
    title: 'Tablestore AccessKey ID',
    description: 'Stored in a Secret (OTS_KEYID).',
  }),
  otsSecret: z.string().max(256).default('').meta({
    title: 'Tablestore AccessKey secret',
    description: 'Stored in a Secret (OTS_SECRET).',
    secret: true,
  }),
  tracingEndpoint: optionalUrl.default('').meta({
    title: 'Tracing endpoint',
    description: 'OTLP/HTTP traces URL (TRACING); empty turns tracing off.',
  }),

  // Message processing (ECI)
  processingName: dns1035Label.default('barrage-processing').meta({
    title: 'Processing service name',
    description: 'Knative Service that processes barrage messages (runs on ECI).',
  }),
  processingImage: imageReference.default(barrageImages.processing.image).meta({
    title: 'Processing image',
    description: 'Image built from workloads/processing/Dockerfile.',
  }),
  processingMinScale: int(0, 1000, 0).meta({
    title: 'Min scale',
    description: 'autoscaling.knative.dev/min-scale; 0 lets it scale to zero.',
  }),
  processingMaxScale: int(1, 1000, 100).meta({
    title: 'Max scale',
    description: 'autoscaling.knative.dev/max-scale.',
  }),
  processingContainerConcurrency: int(0, 1000, 2).meta({
    title: 'Container concurrency',
    description: 'Hard limit of requests in flight per pod (0 = unlimited).',
  }),
  eciImageSnapshotId: z
    .string()
    .regex(/^(imc-[a-z0-9]+)?$/, 'must be an ECI image cache id like imc-uf636kjjx8xr4e75npex (or empty)')
    .default('')
    .meta({
      title: 'ECI image cache',
      description: 'k8s.aliyun.com/eci-image-snapshot-id: speeds up pod start.',
    }),
  sensitiveWords: z.string().max(65_536).default('').meta({
    title: 'Sensitive words',
    description: 'Comma-separated words masked with * in processed messages (SENSITIVE_WORDS).',
  }),
  maxTextLength: int(1, 1000, 100).meta({
    title: 'Max text length',
    description: 'Characters kept after whitespace normalisation (MAX_TEXT_LENGTH).',
  }),
  rateLimitCount: int(1, 100_000, 5).meta({
    title: 'Rate limit (messages)',
    description: 'A user sending more than this many messages within the window is flagged.',
  }),
  rateLimitWindowSeconds: int(1, 86_400, 10).meta({
    title: 'Rate limit window (s)',
    description: 'Window for the rate limit.',
  }),

  // Event-driven (KafkaSource)
  sourceName: dns1123Label.default('barrage-source').meta({
    title: 'KafkaSource name',
    description: 'KafkaSource that delivers the topic to processing.',
  }),
  consumerGroup: kafkaName.default('barrage-processing').meta({
    title: 'Consumer group',
    description:
      'Kafka consumer group of the KafkaSource; barrage-processing.<namespace> by default, so two deployments ' +
      'never share one.',
  }),
  // earliest, not upstream's latest: HomePage creates the topic with its first barrage, and the KafkaSource's
  // consumer joins a moment later; with latest every barrage accepted in between was skipped (the fault run lost
  // 316 of 2,902 that way). The group is new per namespace, so earliest means "everything sent to this demo";
  // processing stores each barrage once, so a replay cannot duplicate.
  initialOffset: z
    .enum(['latest', 'earliest'])
    .default('earliest')
    .meta({
      title: 'Initial offset',
      description:
        'Where a new consumer group starts (a group with committed offsets resumes there). earliest keeps the ' +
        'barrage sent before the KafkaSource first connected.',
    }),
  deliveryRetry: int(0, 100, 10).meta({
    title: 'Delivery retries',
    description:
      'Redeliveries when processing does not answer 2xx, backing off exponentially from 0.3 s (upstream defaults: ' +
      '10 retries wait out about 10 minutes of store outage).',
  }),

  // HomePage (Function Compute)
  homepageName: dns1035Label.default('barrage-homepage').meta({
    title: 'HomePage service name',
    description: 'Knative Service for the HomePage (deployed to Function Compute).',
  }),
  homepageImage: imageReference.default(barrageImages.homepage.image).meta({
    title: 'HomePage image',
    description: 'Image built from workloads/homepage/Dockerfile.',
  }),
  fcCodeSpace: z.enum(['image', 'oss', 'inline']).default('image').meta({
    title: 'FC code space',
    description: 'fc.revision.serving.knative.aliyun.com/code-space.',
  }),
  fcRoleArn: z
    .string()
    .regex(
      /^(acs:ram::\d+:role\/[A-Za-z0-9._-]+)?$/,
      'must be a RAM role ARN like acs:ram::1234567890:role/knative-fc (or empty)',
    )
    .default('')
    .meta({
      title: 'FC role ARN',
      description: 'fc.revision.serving.knative.aliyun.com/role-arm (spelled "arm" upstream).',
    }),
  fcCustomDomain: z
    .string()
    .regex(
      /^((?=[a-z0-9-]{1,63}\.)[a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,63}$|^$/,
      'must be a lowercase host name like barrage.example.com (or empty)',
    )
    .default('')
    .meta({
      title: 'FC custom domain',
      description: 'fc.revision.serving.knative.aliyun.com/domain host; empty uses the FC default URL.',
    }),
  fcDomainPath: z
    .string()
    .regex(/^\/[\w./*-]*$/, 'must start with "/"')
    .default('/*')
    .meta({ title: 'Custom domain path', description: 'Path routed to HomePage on the custom domain.' }),
});

export type TemplateParametersInput = z.input<typeof templateParametersSchema>;
export type TemplateParameters = z.output<typeof templateParametersSchema>;
export type TemplateParameterKey = keyof TemplateParameters;

/** Rules that span fields; each issue names the parameter the user should change. */
export const refinedTemplateParametersSchema = templateParametersSchema.superRefine((params, context) => {
  if (params.processingMaxScale < params.processingMinScale) {
    context.addIssue({
      code: 'custom',
      path: ['processingMaxScale'],
      message: `must be at least processingMinScale (${params.processingMinScale})`,
    });
  }
  if (params.kafkaUser !== '' && params.kafkaPassword === '') {
    context.addIssue({
      code: 'custom',
      path: ['kafkaPassword'],
      message: 'is required when kafkaUser is set',
    });
  }
  if (params.store === 'tablestore') {
    for (const key of ['otsEndpoint', 'otsInstanceName', 'otsKeyId', 'otsSecret'] as const) {
      if (params[key] === '') {
        context.addIssue({
          code: 'custom',
          path: [key],
          message:
            'is required when store is tablestore (on a cluster the SQLite file is not shared between pods: ' +
            'fill in Tablestore, or choose sqlite only with a volume every pod mounts)',
        });
      }
    }
  }
});
