// Knative KafkaSource for the playground: one kafkajs consumer group per source, each record delivered to the
// resolved sink as a binary-mode CloudEvent (kafka-cloudevent.ts). Delivery semantics follow Knative's dispatcher:
// - retries with backoff (spec.delivery.retry / backoffPolicy / backoffDelay / timeout) on a timeout, a network
//   error, 404, 408, 409, 429 or 5xx (any other 4xx is a refusal of the event and is not retried);
// - offsets are committed only once every record up to them got a 2xx (at-least-once): a batch is committed as a
//   whole after each of its records was delivered (or, once retries are exhausted, sent to the dead-letter sink
//   or dropped and counted, as Knative does);
// - `kafka.eventing.knative.dev/delivery.order: unordered` delivers a batch's records with bounded parallelism;
//   `ordered` (the default) one at a time per partition.
// The consumer group is spec.consumerGroup, or Knative's default `knative-kafka-source-<uid>`; it is written to
// the status so the console can chart its lag.

import { createHash } from 'node:crypto';
import http from 'node:http';
import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import { parseGoDuration } from './autoscaling-spec';
import { cloudEventForRecord, type DeliveryRequest } from './kafka-cloudevent';
import {
  describeError,
  KAFKASOURCES,
  mergeConditions,
  type Condition,
  type KnativeObject,
  type Kube,
} from './kube';

interface SinkSpec {
  ref?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  uri?: string;
}

interface DeliverySpec {
  retry?: number;
  backoffPolicy?: 'linear' | 'exponential';
  backoffDelay?: string;
  timeout?: string;
  deadLetterSink?: SinkSpec;
}

export type KafkaSource = KnativeObject<{
  bootstrapServers?: string[];
  topics?: string[];
  consumerGroup?: string;
  initialOffset?: 'earliest' | 'latest';
  sink?: SinkSpec;
  delivery?: DeliverySpec;
}>;

export const ORDER_ANNOTATION = 'kafka.eventing.knative.dev/delivery.order';
const DEFAULT_RETRY = 20;
const DEFAULT_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** How often a batch in progress commits the offsets of its done prefix. */
const COMMIT_INTERVAL_MS = 1000;

/**
 * Which records of a batch are done (delivered, or dead-lettered / dropped after their retries), and how many from
 * its start are all done: only that prefix may be committed, since with unordered delivery later records can
 * finish first.
 */
export class BatchProgress {
  private readonly done: boolean[];
  private firstNotDone = 0;

  constructor(readonly size: number) {
    this.done = new Array<boolean>(size).fill(false);
  }

  complete(index: number): void {
    this.done[index] = true;
    while (this.firstNotDone < this.size && this.done[this.firstNotDone]) this.firstNotDone++;
  }

  /** How many records from the start of the batch are all done. */
  get prefix(): number {
    return this.firstNotDone;
  }
}

export interface SinkResolver {
  /** The URL for a sink ref, or an error message when it does not resolve. */
  resolve(namespace: string, sink: SinkSpec | undefined): { uri: string } | { error: string };
}

export interface SourceCounters {
  delivered: number;
  retried: number;
  deadLettered: number;
  dropped: number;
  inFlight: number;
}

/** ISO 8601 durations as Knative's delivery spec writes them (PT0.2S, PT1M), or Go durations as a courtesy. */
export function parseIsoDuration(raw: string): number {
  const match =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      raw.trim(),
    );
  if (match && raw.trim() !== 'P' && raw.trim() !== 'PT') {
    const [, d, h, m, s] = match;
    return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000;
  }
  return parseGoDuration(raw);
}

export function backoffFor(delivery: DeliverySpec | undefined, attempt: number): number {
  const base = delivery?.backoffDelay ? parseIsoDuration(delivery.backoffDelay) : DEFAULT_BACKOFF_MS;
  const delay = delivery?.backoffPolicy === 'linear' ? base * attempt : base * 2 ** (attempt - 1);
  return Math.min(MAX_BACKOFF_MS, delay);
}

/**
 * Whether a failed delivery is retried, as Knative's dispatcher decides (eventing pkg/kncloudevents retries):
 * network errors and timeouts, 404, 408, 409, 429 and 5xx are; any other 4xx means the event itself was refused.
 */
export function isRetryable(status: number): boolean {
  return (
    status === 0 || status === 404 || status === 408 || status === 409 || status === 429 || status >= 500
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP delivery; resolves to the status code, or 0 for a network error / timeout. */
export function postEvent(uri: string, request: DeliveryRequest, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL(uri);
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port || 80,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { ...request.headers, 'content-length': String(request.body.length) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => resolve(0));
    outgoing.end(request.body);
  });
}

class SourceConsumer {
  readonly counters: SourceCounters = { delivered: 0, retried: 0, deadLettered: 0, dropped: 0, inFlight: 0 };
  private consumer: Consumer | undefined;
  private stopped = false;
  connected = false;
  lastError: string | undefined;

  constructor(
    readonly source: KafkaSource,
    readonly groupId: string,
    readonly fingerprint: string,
    private readonly sinks: SinkResolver,
    private readonly parallelism: number,
    private readonly log: (message: string) => void,
  ) {}

  private get key(): string {
    return `${this.source.metadata.namespace}/${this.source.metadata.name}`;
  }

  async start(): Promise<void> {
    const spec = this.source.spec;
    const kafka = new Kafka({
      clientId: `knative-desk-kafkasource-${this.source.metadata.name}`,
      brokers: spec.bootstrapServers ?? [],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.connected = false;
      this.lastError = event.payload.error.message;
      this.log(`kafkasource ${this.key}: consumer crashed (${event.payload.error.message})`);
      if (!event.payload.restart && !this.stopped) {
        setTimeout(() => void this.restart(), 2000).unref();
      }
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.connected = true;
      this.lastError = undefined;
    });
    await consumer.connect();
    for (const topic of spec.topics ?? []) {
      await consumer.subscribe({ topic, fromBeginning: spec.initialOffset === 'earliest' });
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.deliverBatch(payload),
    });
  }

  private async restart(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.consumer?.disconnect();
    } catch {
      // Already broken; a fresh consumer follows.
    }
    try {
      await this.start();
    } catch (error) {
      this.lastError = (error as Error).message;
      setTimeout(() => void this.restart(), 3000).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async deliverBatch({
    batch,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
    resolveOffset,
  }: EachBatchPayload): Promise<void> {
    const ordered = this.source.metadata.annotations?.[ORDER_ANNOTATION] !== 'unordered';
    const limit = ordered ? 1 : this.parallelism;
    const messages = batch.messages;
    const progress = new BatchProgress(messages.length);
    // Commits of the done prefix run one after another, so a slower earlier commit never lands after a later one
    // and moves the group's offset back.
    let committedPrefix = 0;
    let commits: Promise<void> = Promise.resolve();
    const commitDonePrefix = () => {
      commits = commits.then(async () => {
        const prefix = progress.prefix;
        if (prefix <= committedPrefix) return;
        const last = messages[prefix - 1];
        if (!last) return;
        committedPrefix = prefix;
        resolveOffset(last.offset);
        await this.consumer
          ?.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ])
          .catch((error: Error) => {
            // Lost the partition in a rebalance, or the broker is away: the next owner starts from the last commit
            // that did land, so records are delivered again, never skipped.
            this.log(
              `kafkasource ${this.key}: commit failed (${error.message}); records after it come again`,
            );
          });
      });
      return commits;
    };
    let lastCommitMs = Date.now();
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2000);
    try {
      let next = 0;
      let aborted = false;
      const worker = async () => {
        while (next < messages.length && !aborted) {
          const index = next++;
          const message = messages[index];
          if (!message) break;
          if (!isRunning() || isStale()) {
            aborted = true;
            break;
          }
          const delivered = await this.deliverRecord({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
          });
          if (!delivered) {
            aborted = true;
            break;
          }
          progress.complete(index);
          // A large batch is committed as it goes (the done prefix, about once a second, as Knative's dispatcher
          // commits on an interval), so the group's lag follows the deliveries instead of jumping per batch.
          if (Date.now() - lastCommitMs >= COMMIT_INTERVAL_MS) {
            lastCommitMs = Date.now();
            await commitDonePrefix();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, messages.length) }, worker));
      // Only records with a 2xx (or dead-lettered/dropped after their retries) are in the done prefix; when the
      // batch was cut short, what follows the prefix comes again after the rebalance/restart.
      await commitDonePrefix();
      if (!aborted) await commitOffsetsIfNecessary();
    } finally {
      clearInterval(beat);
    }
  }

  /** Delivers one record with retries. False only when the consumer is stopping (the batch must not commit). */
  private async deliverRecord(record: Parameters<typeof cloudEventForRecord>[1]): Promise<boolean> {
    const spec = this.source.spec;
    const delivery = spec.delivery;
    const request = cloudEventForRecord(
      { namespace: this.source.metadata.namespace, name: this.source.metadata.name },
      record,
    );
    const timeoutMs = delivery?.timeout ? parseIsoDuration(delivery.timeout) : DEFAULT_TIMEOUT_MS;
    const retries = delivery?.retry ?? DEFAULT_RETRY;
    this.counters.inFlight++;
    try {
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (this.stopped) return false;
        const sink = this.sinks.resolve(this.source.metadata.namespace, spec.sink);
        const status = 'uri' in sink ? await postEvent(sink.uri, request, timeoutMs) : 0;
        if (status >= 200 && status < 300) {
          this.counters.delivered++;
          return true;
        }
        if (!isRetryable(status)) {
          this.log(`kafkasource ${this.key}: the sink refused ${request.id} with ${status}; not retried`);
          break;
        }
        if (attempt < retries) {
          this.counters.retried++;
          await new Promise((resolve) => setTimeout(resolve, backoffFor(delivery, attempt + 1)));
        }
      }
      if (delivery?.deadLetterSink) {
        const dls = this.sinks.resolve(this.source.metadata.namespace, delivery.deadLetterSink);
        if ('uri' in dls) {
          const status = await postEvent(dls.uri, request, timeoutMs);
          if (status >= 200 && status < 300) {
            this.counters.deadLettered++;
            return true;
          }
        }
      }
      this.counters.dropped++;
      this.log(
        `kafkasource ${this.key}: dropped ${request.id} after ${retries} retries (no dead-letter sink took it)`,
      );
      return true;
    } finally {
      this.counters.inFlight--;
    }
  }
}

export class KafkaSourceReconciler {
  private readonly consumers = new Map<string, SourceConsumer>();

  constructor(
    private readonly kube: Kube,
    private readonly sinks: SinkResolver,
    private readonly parallelism: number,
    private readonly log: (message: string) => void,
  ) {}

  counters(): Record<string, SourceCounters & { groupId: string; connected: boolean }> {
    const result: Record<string, SourceCounters & { groupId: string; connected: boolean }> = {};
    for (const [key, consumer] of this.consumers) {
      result[key] = { ...consumer.counters, groupId: consumer.groupId, connected: consumer.connected };
    }
    return result;
  }

  async reconcileAll(): Promise<void> {
    const sources = await this.kube.list<KafkaSource>(KAFKASOURCES);
    const live = new Set<string>();
    for (const source of sources) {
      if (source.metadata.deletionTimestamp) continue;
      const key = `${source.metadata.namespace}/${source.metadata.name}`;
      live.add(key);
      try {
        await this.reconcile(key, source);
      } catch (error) {
        this.log(`kafkasource ${key}: ${describeError(error)}`);
      }
    }
    for (const [key, consumer] of this.consumers) {
      if (!live.has(key)) {
        this.consumers.delete(key);
        await consumer.stop();
      }
    }
  }

  private async reconcile(key: string, source: KafkaSource): Promise<void> {
    const spec = source.spec;
    const groupId = spec.consumerGroup || `knative-kafka-source-${source.metadata.uid}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([spec, source.metadata.annotations?.[ORDER_ANNOTATION] ?? '']))
      .digest('hex');
    const sink = this.sinks.resolve(source.metadata.namespace, spec.sink);
    const problems: string[] = [];
    if (!spec.bootstrapServers?.length) problems.push('spec.bootstrapServers is empty');
    if (!spec.topics?.length) problems.push('spec.topics is empty');

    let consumer = this.consumers.get(key);
    if (consumer && consumer.fingerprint !== fingerprint) {
      this.consumers.delete(key);
      await consumer.stop();
      consumer = undefined;
    }
    if (!consumer && problems.length === 0) {
      consumer = new SourceConsumer(source, groupId, fingerprint, this.sinks, this.parallelism, this.log);
      this.consumers.set(key, consumer);
      const started = consumer;
      started.start().catch((error: Error) => {
        started.lastError = error.message;
        this.log(`kafkasource ${key}: could not start its consumer: ${error.message}`);
        // Retried on a later pass with a fresh consumer.
        if (this.consumers.get(key) === started) this.consumers.delete(key);
        void started.stop();
      });
    }

    const sinkOk = 'uri' in sink;
    const consumerReady =
      problems.length > 0 ? false : consumer?.connected ? true : consumer?.lastError ? false : undefined;
    const conditions: Condition[] = [
      sinkOk
        ? { type: 'SinkProvided', status: 'True' }
        : { type: 'SinkProvided', status: 'False', reason: 'SinkNotFound', message: sink.error },
      consumerReady === true
        ? { type: 'ConsumerGroup', status: 'True' }
        : {
            type: 'ConsumerGroup',
            status: consumerReady === false ? 'False' : 'Unknown',
            reason: problems.length ? 'InvalidSpec' : 'Connecting',
            message: problems.join('; ') || consumer?.lastError || `joining consumer group ${groupId}`,
          },
      consumerReady === true
        ? { type: 'InitialOffsetsCommitted', status: 'True' }
        : { type: 'InitialOffsetsCommitted', status: 'Unknown', reason: 'Connecting' },
    ];
    const ready = sinkOk && consumerReady === true;
    const notReady = conditions.find((c) => c.status !== 'True');
    conditions.push(
      ready
        ? { type: 'Ready', status: 'True' }
        : {
            type: 'Ready',
            status: notReady?.status === 'False' ? 'False' : 'Unknown',
            reason: notReady?.reason,
            message: notReady?.message,
          },
    );
    await this.kube.updateStatus<KafkaSource>(
      KAFKASOURCES,
      source.metadata.namespace,
      source.metadata.name,
      (current) => ({
        ...(current.status ?? {}),
        observedGeneration: current.metadata.generation,
        ...(sinkOk ? { sinkUri: sink.uri } : {}),
        consumers: 1,
        selector: `eventing.knative.dev/source=kafka-source-controller,eventing.knative.dev/sourceName=${source.metadata.name}`,
        annotations: { 'playground.knative-desk.dev/consumer-group': groupId },
        conditions: mergeConditions(
          current.status?.conditions,
          conditions.map(
            (c) =>
              Object.fromEntries(
                Object.entries(c).filter(([, v]) => v !== undefined),
              ) as unknown as Condition,
          ),
        ),
      }),
    );
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
    this.consumers.clear();
  }
}
