// Creating and editing one KafkaSource (sources.knative.dev/v1) from a form: brokers, topics (existing or new
// ones the apply creates first), consumer group, initial offset, ordering, delivery, SASL/TLS from Secrets and the
// sink. Preview, diff and apply answer with the manage pipeline's shapes (planResponse, deployEvent), so the UI
// draws them with the same pieces as the Service editor.
import { z } from 'zod';
import { contextName, k8sName } from './primitives';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name');
const broker = z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, 'must be host:port');
/** ISO-8601 durations as Knative's delivery spec takes them (PT0.3S, PT2M). */
const isoDuration = z
  .string()
  .max(32)
  .regex(
    /^(P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)?$/,
    'must be an ISO-8601 duration such as PT0.3S',
  );

/** A key of a Secret in the source's namespace (`secretKeyRef`). */
export const secretKey = z.object({ name: k8sName, key: z.string().min(1).max(253) });
export type SecretKey = z.infer<typeof secretKey>;

export const sinkChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('service'), name: k8sName }),
  z.object({ kind: z.literal('uri'), uri: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) }),
]);
export type SinkChoice = z.infer<typeof sinkChoice>;

export const saslMechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** A group of Secret keys turned on as a whole (SASL, TLS): off by default, each key unset until picked. */
function secretKeyGroup<const Key extends string>(keys: readonly Key[]) {
  const unset = secretKey.nullable().default(null);
  const shape = Object.fromEntries(keys.map((key) => [key, unset])) as Record<Key, typeof unset>;
  // prefault: an absent group is parsed as {}, so every field takes its own default.
  const group = z.object({ enabled: z.boolean().default(false), ...shape });
  return group.prefault({} as z.input<typeof group>);
}

export const kafkaSourceForm = z.object({
  name: k8sName,
  namespace: k8sName,
  bootstrapServers: z.array(broker).min(1, 'at least one broker (host:port)').max(32),
  topics: z.array(topicName).min(1, 'pick or add at least one topic').max(50),
  /** Topics the apply creates on the brokers before writing the source (partitions each). */
  newTopics: z
    .array(z.object({ name: topicName, partitions: z.number().int().min(1).max(1000) }))
    .max(20)
    .default([]),
  /** Empty: the webhook's default (`knative-kafka-source-<uid>`). */
  consumerGroup: z.string().max(255).default(''),
  initialOffset: z.enum(['earliest', 'latest']).default('latest'),
  ordering: z.enum(['ordered', 'unordered']).default('ordered'),
  /** 0 stops the source (no consumer; its offsets may then be reset). */
  consumers: z.number().int().min(0).max(100).default(1),
  sink: sinkChoice,
  delivery: z
    .object({
      /** Null: Knative's default (10). */
      retry: z.number().int().min(0).max(100).nullable().default(null),
      backoffPolicy: z.enum(['', 'exponential', 'linear']).default(''),
      backoffDelay: isoDuration.default(''),
      deadLetterSink: sinkChoice.nullable().default(null),
    })
    .default({ retry: null, backoffPolicy: '', backoffDelay: '', deadLetterSink: null }),
  /** As upstream, the SASL mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) is read from a Secret key; none = PLAIN. */
  sasl: secretKeyGroup(['typeSecret', 'user', 'password']),
  tls: secretKeyGroup(['caCert', 'cert', 'key']),
  /**
   * The brokers are reached only from inside the cluster: skip the console's own check (connect, topics exist,
   * SASL accepted). Otherwise the preview connects as the source will and refuses what would not work.
   */
  skipBrokerCheck: z.boolean().default(false),
});
export type KafkaSourceForm = z.output<typeof kafkaSourceForm>;
export type KafkaSourceFormInput = z.input<typeof kafkaSourceForm>;

export const sourceRequest = z.strictObject({ context: contextName, namespace: k8sName, name: k8sName });

export const sourceFormResponse = z.object({
  form: kafkaSourceForm,
  resourceVersion: z.string(),
  /** metadata.generation when read: sent back with the edit as its guard (a changed spec answers 409). */
  generation: z.number().int().nullable(),
  /** Parts of the live object the form does not show; they are kept on save. */
  notInForm: z.array(z.string()),
});
export type SourceFormResponse = z.infer<typeof sourceFormResponse>;

export const sourceChangeRequest = z.strictObject({
  context: contextName,
  mode: z.enum(['create', 'edit']),
  form: kafkaSourceForm,
  generation: z.number().int().min(0).optional(),
});
export type SourceChangeRequest = z.infer<typeof sourceChangeRequest>;
