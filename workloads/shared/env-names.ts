// Environment variable names shared by the templates (which set them) and the entry points (which read them).
// The Kafka, Tablestore and tracing names are the seed demo's own (shared/seed/barrage-demo.txt), kept so the
// original YAML's operators recognise them; the rest are ours.
export const envNames = {
  port: 'PORT',
  kafkaServer: 'KAFKA_SERVER',
  kafkaUser: 'KAFKA_USER',
  kafkaPassword: 'KAFKA_PWD',
  kafkaSaslMechanism: 'KAFKA_SASL_MECHANISM',
  kafkaTopic: 'KAFKA_TOPIC',
  kafkaTls: 'KAFKA_TLS',
  otsEndpoint: 'OTS_ENDPOINT',
  otsInstanceName: 'OTS_INSTANCENAME',
  tableName: 'TABLE_NAME',
  otsKeyId: 'OTS_KEYID',
  otsSecret: 'OTS_SECRET',
  tracing: 'TRACING',
  store: 'STORE',
  sqlitePath: 'SQLITE_PATH',
  sensitiveWords: 'SENSITIVE_WORDS',
  maxTextLength: 'MAX_TEXT_LENGTH',
  rateLimitCount: 'RATE_LIMIT_COUNT',
  rateLimitWindowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
  serviceName: 'SERVICE_NAME',
  /** The one CloudEvent source processing accepts: its KafkaSource and topic (`/apis/v1/namespaces/…#<topic>`). */
  acceptedEventSource: 'ACCEPTED_EVENT_SOURCE',
} as const;

export type EnvName = (typeof envNames)[keyof typeof envNames];
