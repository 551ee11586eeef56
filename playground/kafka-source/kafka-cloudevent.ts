// The HTTP request the playground's KafkaSource dispatcher sends for one Kafka record (binary content mode). The
// record → CloudEvent mapping itself lives once, in knative/kafka-cloudevent.ts (eventing-kafka-broker's
// rules); this file only turns that event into request headers and body for the dispatcher's HTTP client.
import {
  binaryModeHeaders,
  cloudEventForKafkaRecord,
  type KafkaRecordLike,
  type KafkaSourceRef,
} from '../../knative/kafka-cloudevent';

export type KafkaRecordView = KafkaRecordLike;
export type SourceIdentity = KafkaSourceRef;

export interface DeliveryRequest {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The CloudEvent id, for logs and for the sink's idempotency. */
  readonly id: string;
}

/** Builds the binary-mode HTTP request for one record. */
export function cloudEventForRecord(source: SourceIdentity, record: KafkaRecordView): DeliveryRequest {
  const event = cloudEventForKafkaRecord(source, record);
  return {
    headers: binaryModeHeaders(event),
    body: Buffer.from(event.data.buffer, event.data.byteOffset, event.data.byteLength),
    id: event.attributes.id ?? `partition:${record.partition}/offset:${record.offset}`,
  };
}
