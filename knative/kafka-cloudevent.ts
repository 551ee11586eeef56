// THE one KafkaSource → CloudEvent mapping (the playground's dispatcher, the test deliverer and the console all use
// this; there is no second copy). Part of the vocabulary module: imports nothing. It follows eventing-kafka-broker v0.49's dispatcher (data-plane
// `InvalidCloudEventInterceptor` + `CloudEventOverridesMutator`) and shared/notes/knative-fc-kafka-semantics.md:
// - a record that already is a binary-mode CloudEvent (a `ce_specversion` header) is that event: its `ce_<attr>`
//   headers are its attributes and `content-type` its datacontenttype;
// - any other record becomes type `dev.knative.kafka.event`, source
//   `/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>`, subject `partition:<p>#<offset>`, id
//   `partition:<p>/offset:<o>`, time = the record timestamp; the record key (read as a string, the default key
//   type) as both `key` and `partitionkey`; every other record header as an extension named `kafkaheader` + the
//   header name lowercased with everything but [a-z0-9] removed (so `traceparent` becomes
//   `kafkaheadertraceparent`); datacontenttype only from the record's `content-type` header, lowercased;
// - every event gets `knativekafkapartition` and `knativekafkaoffset`.

export const KAFKA_EVENT_TYPE = 'dev.knative.kafka.event';
export const KAFKA_HEADER_EXTENSION_PREFIX = 'kafkaheader';

type HeaderValue = Uint8Array | string | (Uint8Array | string)[] | undefined;

/** A consumed Kafka record, as any client hands it over (kafkajs' shape fits). */
export interface KafkaRecordLike {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Epoch milliseconds, as a decimal string (Kafka's record timestamp). */
  readonly timestamp: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, HeaderValue>>;
}

export interface KafkaSourceRef {
  readonly namespace: string;
  readonly name: string;
}

/** A CloudEvent as attributes (context attributes and extensions, all strings) plus its data bytes. */
export interface KafkaCloudEvent {
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

const utf8 = new TextDecoder();

function headerText(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : utf8.decode(first);
}

/** CloudEvents attribute names are [a-z0-9]; upstream lowercases and drops every other character. */
export function sanitizeExtensionName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function kafkaEventId(partition: number, offset: string): string {
  return `partition:${partition}/offset:${offset}`;
}

export function kafkaEventSource(source: KafkaSourceRef, topic: string): string {
  return `/apis/v1/namespaces/${source.namespace}/kafkasources/${source.name}#${topic}`;
}

/** The CloudEvent a KafkaSource delivers for one record. */
export function cloudEventForKafkaRecord(source: KafkaSourceRef, record: KafkaRecordLike): KafkaCloudEvent {
  const data = record.value ?? new Uint8Array(0);
  const attributes: Record<string, string> = {};
  const contentType = Object.entries(record.headers).find(([name]) => name.toLowerCase() === 'content-type');
  if (headerText(record.headers['ce_specversion']) !== undefined) {
    for (const [name, value] of Object.entries(record.headers)) {
      const text = headerText(value);
      if (text !== undefined && name.startsWith('ce_')) attributes[name.slice(3)] = text;
    }
    const type = headerText(contentType?.[1]);
    if (type !== undefined) attributes.datacontenttype = type;
  } else {
    attributes.specversion = '1.0';
    attributes.id = kafkaEventId(record.partition, record.offset);
    attributes.type = KAFKA_EVENT_TYPE;
    attributes.source = kafkaEventSource(source, record.topic);
    attributes.subject = `partition:${record.partition}#${record.offset}`;
    attributes.time = new Date(Number(record.timestamp)).toISOString();
    if (record.key !== null) {
      const key = utf8.decode(record.key);
      attributes.partitionkey = key;
      attributes.key = key;
    }
    for (const [name, value] of Object.entries(record.headers)) {
      const text = headerText(value);
      if (text === undefined || name.toLowerCase() === 'content-type') continue;
      attributes[KAFKA_HEADER_EXTENSION_PREFIX + sanitizeExtensionName(name)] = text;
    }
    const type = headerText(contentType?.[1]);
    if (type !== undefined) attributes.datacontenttype = type.toLowerCase();
  }
  attributes.knativekafkapartition = String(record.partition);
  attributes.knativekafkaoffset = record.offset;
  return { attributes, data };
}

/**
 * An attribute value as an HTTP header value: characters outside printable ASCII (and `%` itself) are
 * percent-encoded as UTF-8, as the CloudEvents HTTP binding asks; anything else would not survive as a header.
 */
export function encodeHeaderValue(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (character) =>
    Array.from(
      new TextEncoder().encode(character),
      (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join(''),
  );
}

/** The HTTP request headers of the event in binary content mode (`ce-<attribute>`, `content-type`). */
export function binaryModeHeaders(event: KafkaCloudEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.attributes)) {
    if (name === 'datacontenttype') headers['content-type'] = encodeHeaderValue(value);
    else headers[`ce-${name}`] = encodeHeaderValue(value);
  }
  return headers;
}

/**
 * The record headers carried by an event's `kafkaheader*` extensions, under their sanitized names (so
 * `kafkaheadertraceparent` gives back `traceparent`): what a sink reads to continue a trace the producer started.
 */
export function kafkaHeadersOfEvent(extensions: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extensions)) {
    if (!name.startsWith(KAFKA_HEADER_EXTENSION_PREFIX) || name === KAFKA_HEADER_EXTENSION_PREFIX) continue;
    if (typeof value === 'string') headers[name.slice(KAFKA_HEADER_EXTENSION_PREFIX.length)] = value;
  }
  return headers;
}
