// How a KafkaSource turns a Kafka record into the HTTP request it delivers (binary content mode), following
// Knative's KafkaSource (eventing-kafka-broker's dispatcher) and shared/notes/knative-fc-kafka-semantics.md:
// - a record that already is a binary-mode CloudEvent (`ce_specversion` header) is forwarded as that event;
// - any other record becomes type `dev.knative.kafka.event`, source
//   `/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>`, subject `partition:<p>#<offset>`, id
//   `partition:<p>/offset:<o>`, time = record timestamp, the record key as the `key` extension, and each record
//   header as an extension (name lowercased, reduced to [a-z0-9] as CloudEvents requires).
// The `cloudevents` SDK builds and validates the event and renders the binary-mode headers, so an invalid
// attribute is caught here rather than by the sink.

import { CloudEvent, HTTP } from 'cloudevents';

export interface KafkaRecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export interface SourceIdentity {
  readonly namespace: string;
  readonly name: string;
}

export interface DeliveryRequest {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The CloudEvent id, for logs and for the sink's idempotency. */
  readonly id: string;
}

const RESERVED = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function extensionName(headerName: string): string {
  return headerName.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function looksLikeJson(value: Buffer): boolean {
  try {
    JSON.parse(value.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Builds the binary-mode HTTP request for one record. */
export function cloudEventForRecord(source: SourceIdentity, record: KafkaRecordView): DeliveryRequest {
  const body = record.value ?? Buffer.alloc(0);
  const contentType = headerText(record.headers['content-type']);
  if (headerText(record.headers['ce_specversion'])) {
    // Already a CloudEvent in Kafka's binary mode: `ce_<attr>` headers map to `ce-<attr>` HTTP headers.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.headers)) {
      const text = headerText(value);
      if (text === undefined) continue;
      if (name.startsWith('ce_')) headers[`ce-${name.slice(3)}`] = text;
    }
    if (contentType) headers['content-type'] = contentType;
    return { headers, body, id: headers['ce-id'] ?? `partition:${record.partition}/offset:${record.offset}` };
  }

  const extensions: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    const text = headerText(value);
    const extension = extensionName(name);
    if (text === undefined || extension === '' || RESERVED.has(extension) || name === 'content-type')
      continue;
    extensions[extension] = text;
  }
  if (record.key) extensions.key = record.key.toString('utf8');
  const event = new CloudEvent<Buffer>(
    {
      specversion: '1.0',
      id: `partition:${record.partition}/offset:${record.offset}`,
      type: 'dev.knative.kafka.event',
      source: `/apis/v1/namespaces/${source.namespace}/kafkasources/${source.name}#${record.topic}`,
      subject: `partition:${record.partition}#${record.offset}`,
      time: new Date(Number(record.timestamp)).toISOString(),
      datacontenttype:
        contentType ??
        (body.length > 0 && looksLikeJson(body) ? 'application/json' : 'application/octet-stream'),
      ...extensions,
    },
    false,
  );
  event.validate();
  const message = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (value !== undefined) headers[name] = String(value);
  return { headers, body, id: event.id };
}
