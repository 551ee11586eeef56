// Produces barrage messages to Kafka and resolves each send only once the broker acknowledged it (acks=all,
// idempotent producer). kafkajs sends one request per `send()` call and does not batch by itself, so under load
// one request per message would cap the rate at the broker round trip: here sends that arrive while a request
// is in flight wait and go out together in the next request (up to `maxBatchSize`), and every caller learns the
// outcome of the request that carried its message.
import type { IHeaders, Kafka, Producer } from 'kafkajs';

export class KafkaUnavailableError extends Error {
  override readonly name = 'KafkaUnavailableError';
}

/** The queue of records waiting for Kafka is full: answer 503 now rather than grow while Kafka is away. */
export class ProducerQueueFullError extends Error {
  override readonly name = 'ProducerQueueFullError';
}

export interface OutgoingRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: IHeaders;
}

interface Pending {
  readonly record: OutgoingRecord;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface BarrageProducerOptions {
  readonly topic: string;
  /** Largest number of records in one produce request. */
  readonly maxBatchSize?: number;
  /** How long one request may take before its callers are told Kafka is unavailable (ms). */
  readonly sendTimeoutMs?: number;
  /** Records allowed to wait for a request; beyond this a send fails at once with ProducerQueueFullError. */
  readonly maxQueued?: number;
}

export class BarrageProducer {
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #maxBatchSize: number;
  readonly #sendTimeoutMs: number;
  readonly #maxQueued: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #connecting: Promise<void> | undefined;
  #connected = false;
  /** Requests allowed in flight at once; more would let the idempotent producer reorder on retry. */
  readonly #maxInFlight = 1;

  constructor(kafka: Kafka, options: BarrageProducerOptions) {
    this.#topic = options.topic;
    this.#maxBatchSize = options.maxBatchSize ?? 500;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Bounded retries (instead of the idempotent default of forever) so a user hears "unavailable" in seconds.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.#producer.on('producer.disconnect', () => {
      this.#connected = false;
    });
  }

  /** Records waiting for a produce request. */
  get queued(): number {
    return this.#queue.length;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Connects (or reconnects); concurrent callers share one attempt. */
  async connect(): Promise<void> {
    if (this.#connected) return;
    this.#connecting ??= this.#withTimeout(this.#producer.connect(), 'connecting to Kafka')
      .then(() => {
        this.#connected = true;
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }

  /** Resolves when the broker acknowledged the record; rejects with KafkaUnavailableError otherwise. */
  send(record: OutgoingRecord): Promise<void> {
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(
        new ProducerQueueFullError(
          `${this.#queue.length} barrage are already waiting for Kafka (the limit): try again shortly`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      this.#pump();
    });
  }

  async disconnect(): Promise<void> {
    await this.#producer.disconnect();
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatchSize);
      this.#inFlight += 1;
      void this.#flush(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
    }
  }

  async #flush(batch: Pending[]): Promise<void> {
    try {
      await this.connect();
      await this.#withTimeout(
        this.#producer.send({
          topic: this.#topic,
          acks: -1,
          messages: batch.map(({ record }) => ({
            key: record.key,
            value: record.value,
            headers: record.headers,
          })),
        }),
        'waiting for Kafka to acknowledge',
      );
      for (const pending of batch) pending.resolve();
    } catch (error) {
      const reason =
        error instanceof KafkaUnavailableError
          ? error
          : new KafkaUnavailableError(`Kafka: ${(error as Error).message}`);
      for (const pending of batch) pending.reject(reason);
    }
  }

  async #withTimeout<T>(operation: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new KafkaUnavailableError(`Kafka did not answer within ${this.#sendTimeoutMs} ms ${what}`)),
        this.#sendTimeoutMs,
      );
    });
    try {
      return await Promise.race([operation, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
