// A stand-in for Knative's KafkaSource dispatcher, for tests and local runs without a playground:
// a plain kafkajs consumer that posts each record to a sink as the binary-mode CloudEvent a KafkaSource sends (the
// one mapping, knative/kafka-cloudevent.ts: type dev.knative.kafka.event, id partition:<p>/offset:<o>, the key
// as `key`/`partitionkey`, record headers as `kafkaheader<name>` extensions).
// Delivery is at-least-once like the real one: the offset is committed only after the sink answered 2xx; 5xx and
// network errors are retried with backoff; a 4xx (an event the sink can never take) is skipped, as Knative does
// without a dead-letter sink.
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { binaryModeHeaders, cloudEventForKafkaRecord } from '../../../knative/kafka-cloudevent';

export interface DelivererOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  /** URL the events are POSTed to (the processing service). */
  readonly sinkUrl: string;
  readonly namespace?: string;
  readonly sourceName?: string;
  readonly fromBeginning?: boolean;
  /** Records in flight at once (unordered delivery); default 2, the processing containerConcurrency. */
  readonly concurrency?: number;
}

export interface KafkaRecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset' | 'timestamp'>;
}

export interface DeliveryStats {
  delivered: number;
  skipped: number;
  retries: number;
}

/** The HTTP request (binary content mode) Knative would send for this record. */
export function cloudEventRequestFor(
  record: KafkaRecordRef,
  namespace: string,
  sourceName: string,
): { headers: Record<string, string>; body: Buffer } {
  const { topic, partition, message } = record;
  const event = cloudEventForKafkaRecord(
    { namespace, name: sourceName },
    {
      topic,
      partition,
      offset: message.offset,
      timestamp: message.timestamp,
      key: message.key ?? null,
      value: message.value ?? null,
      headers: message.headers ?? {},
    },
  );
  return { headers: binaryModeHeaders(event), body: message.value ?? Buffer.alloc(0) };
}

/** Posts one record as a CloudEvent; resolves with the sink's status (throws on network errors). */
export async function postRecordAsCloudEvent(
  sinkUrl: string,
  record: KafkaRecordRef,
  namespace = 'default',
  sourceName = 'barrage-source',
): Promise<number> {
  const { headers, body } = cloudEventRequestFor(record, namespace, sourceName);
  const response = await fetch(sinkUrl, { method: 'POST', headers, body: new Uint8Array(body) });
  await response.arrayBuffer();
  return response.status;
}

export class KafkaSourceDeliverer {
  readonly stats: DeliveryStats = { delivered: 0, skipped: 0, retries: 0 };
  readonly #options: DelivererOptions;
  readonly #consumer: Consumer;
  #stopped = false;

  constructor(options: DelivererOptions) {
    this.#options = options;
    this.#consumer = new Kafka({
      clientId: 'barrage-deliverer',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: options.groupId });
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({
      topic: this.#options.topic,
      fromBeginning: this.#options.fromBeginning ?? true,
    });
    await this.#consumer.run({
      partitionsConsumedConcurrently: this.#options.concurrency ?? 2,
      eachMessage: async ({ topic, partition, message }) => this.#deliver({ topic, partition, message }),
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#consumer.disconnect();
  }

  async #deliver(record: KafkaRecordRef): Promise<void> {
    const { sinkUrl, namespace = 'default', sourceName = 'barrage-source' } = this.#options;
    for (let attempt = 0; !this.#stopped; attempt += 1) {
      let status: number | undefined;
      try {
        status = await postRecordAsCloudEvent(sinkUrl, record, namespace, sourceName);
      } catch {
        status = undefined; // sink not reachable: retry like a 5xx
      }
      if (status !== undefined && status >= 200 && status < 300) {
        this.stats.delivered += 1;
        return;
      }
      if (status !== undefined && status >= 400 && status < 500 && status !== 404 && status !== 429) {
        this.stats.skipped += 1;
        return;
      }
      this.stats.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** Math.min(attempt, 6))));
    }
    // Stopped mid-retry: throwing keeps the offset uncommitted, so the record is delivered again later.
    throw new Error('deliverer stopped before the sink accepted the record');
  }
}
