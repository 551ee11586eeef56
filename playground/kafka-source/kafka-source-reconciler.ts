// Knative KafkaSource for the playground, standing in for eventing-kafka-broker v0.49's source controller, its
// webhook's defaulting and its dispatcher (whose images cannot be fetched here). One kafkajs consumer group per source;
// each record goes to the sink as a binary-mode CloudEvent (the one mapping, knative/kafka-cloudevent.ts).
// As upstream:
// - webhook defaults are written into spec: consumerGroup `knative-kafka-source-<uid>`, consumers 1,
//   initialOffset latest, ordering ordered (the webhook uses a random uuid; the uid is one and stays the same on a
//   retried write);
// - spec.ordering: `ordered` keeps one record in flight per partition; `unordered` keeps up to `parallelism` in
//   flight per consumer, across its partitions (upstream's UnorderedConsumerVerticle polls again only while fewer
//   than `max.poll.records` are in flight, 50 in config-kafka-source-data-plane); the
//   `kafka.eventing.knative.dev/delivery.order` annotation is only read by Triggers upstream;
// - delivery: retry 10, exponential, backoffDelay PT0.3S, timeout PT600S per attempt unless spec.delivery says
//   otherwise; the n-th retry waits delay·2^n (linear: delay·n) with no cap; retried on a network error or timeout,
//   404, 408, 409, 429 and 5xx; then the dead-letter sink, or the record is dropped (and counted);
// - at-least-once: offsets are committed only for the done prefix of a batch (every record up to it got its 2xx or
//   went to the dead-letter sink / was dropped after its retries), about once a second while a batch runs;
// - the sink is resolved by the controller, not per delivery: a Knative Service's `status.address.url` (its
//   cluster-local URL), or `sink.uri` (relative to the ref's URL when both are given). A cluster-local host
//   (`*.svc.cluster.local`, `*.svc`) is reached through the cluster gateway given to the reconciler with the Host
//   header set, as a pod would reach it through cluster DNS; any other URL directly;
// - status: conditions ConsumerGroup, SinkProvided and Ready (a living condition set), plus consumers, placements,
//   selector and sinkUri; `consumers: 0` runs no consumer (the source is stopped, its group empty);
// - spec.net: SASL (PLAIN, SCRAM-SHA-256/512; the mechanism, user and password from Secret keys) and TLS (CA, client
//   cert and key from Secret keys), read as upstream's control plane does (knative/kafka-source-net.ts); a missing
//   Secret or key is an InvalidSpec condition, a login the broker refuses is ConsumerGroup False with reason
//   SASLAuthenticationFailed and the broker's words, and no consumer joins (nothing is read or committed). Changed
//   Secret values restart the consumer (they are part of its fingerprint).

import { createHash } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  Kafka,
  logLevel,
  type Consumer,
  type EachBatchPayload,
  type KafkaConfig,
  type SASLOptions,
} from 'kafkajs';
import {
  isSaslAuthenticationError,
  kafkaClientSecurity,
  netSecretRefs,
  type KafkaClientSecurity,
  type SecretKeyRef,
  type SecurityResult,
} from '../../knative/kafka-source-net';
import { parseGoDuration } from './go-duration';
import { cloudEventForRecord, type DeliveryRequest } from './kafka-cloudevent';
import {
  describeError,
  KAFKASOURCES,
  SERVICES,
  mergeConditions,
  type Condition,
  type KnativeObject,
  type Kube,
} from '../kube';

export interface SinkSpec {
  ref?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
  uri?: string;
}

export interface DeliverySpec {
  retry?: number;
  backoffPolicy?: 'linear' | 'exponential';
  backoffDelay?: string;
  timeout?: string;
  deadLetterSink?: SinkSpec;
}

export interface KafkaSourceSpec {
  bootstrapServers?: string[];
  topics?: string[];
  consumerGroup?: string;
  consumers?: number;
  initialOffset?: 'earliest' | 'latest';
  ordering?: 'ordered' | 'unordered';
  sink?: SinkSpec;
  delivery?: DeliverySpec;
  /** SASL/TLS as secretKeyRefs (see knative/kafka-source-net.ts). */
  net?: unknown;
}

/** Prefix of the message a refused SASL login leaves on the source (the reason is read from it). */
const SASL_REFUSED = 'SASL authentication failed';

export type KafkaSource = KnativeObject<KafkaSourceSpec>;

/** Upstream's dispatcher defaults when spec.delivery leaves a field out. */
export const DEFAULT_DELIVERY = {
  retry: 10,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT0.3S',
  timeout: 'PT600S',
} as const;
/** How often a batch in progress commits the offsets of its done prefix. */
const COMMIT_INTERVAL_MS = 1000;
const DISPATCHER_POD = 'kafka-source-dispatcher-0';

/**
 * The spec with the KafkaSource webhook's defaults filled in, or undefined when nothing is missing (so a source is
 * written once, never in a loop).
 */
export function withWebhookDefaults(source: KafkaSource): KafkaSourceSpec | undefined {
  const spec = source.spec ?? {};
  const defaults: Partial<KafkaSourceSpec> = {};
  if (!spec.consumerGroup) defaults.consumerGroup = `knative-kafka-source-${source.metadata.uid ?? ''}`;
  if (spec.consumers === undefined || spec.consumers === null) defaults.consumers = 1;
  if (!spec.initialOffset) defaults.initialOffset = 'latest';
  if (!spec.ordering) defaults.ordering = 'ordered';
  const ref = spec.sink?.ref;
  const sink =
    ref && !ref.namespace
      ? { ...spec.sink, ref: { ...ref, namespace: source.metadata.namespace } }
      : undefined;
  if (Object.keys(defaults).length === 0 && !sink) return undefined;
  return { ...spec, ...defaults, ...(sink ? { sink } : {}) };
}

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

/** Where the dispatcher opens connections to cluster-local hosts (the KIngress), as cluster DNS would route them. */
export interface ClusterGateway {
  readonly host: string;
  readonly port: number;
}

export type SinkResolution = { uri: string } | { error: string };

const KNATIVE_SERVICE_API = /^serving\.knative\.dev\//;

/**
 * Resolves a sink as upstream's URIResolver does: an Addressable ref's `status.address.url` (Knative Services here),
 * with `uri` resolved against it when both are given; a lone `uri` must be absolute.
 */
export async function resolveSink(
  kube: Pick<Kube, 'get'>,
  namespace: string,
  sink: SinkSpec | undefined,
): Promise<SinkResolution> {
  const ref = sink?.ref;
  if (!ref) {
    if (!sink?.uri) return { error: 'the sink has neither ref nor uri' };
    try {
      return { uri: new URL(sink.uri).toString() };
    } catch {
      return { error: `sink uri "${sink.uri}" is not an absolute URL` };
    }
  }
  if (!ref.name) return { error: 'the sink ref has no name' };
  const refNamespace = ref.namespace || namespace;
  if (ref.kind !== 'Service' || !KNATIVE_SERVICE_API.test(ref.apiVersion ?? '')) {
    return {
      error: `sink kind ${ref.apiVersion ?? ''}/${ref.kind ?? ''} is not supported by the playground (Knative Services only)`,
    };
  }
  const service = await kube.get<KnativeObject<unknown, { address?: { url?: string } }>>(
    SERVICES,
    refNamespace,
    ref.name,
  );
  if (!service) return { error: `Knative Service ${refNamespace}/${ref.name} not found` };
  const address = service.status?.address?.url;
  if (!address) return { error: `Knative Service ${refNamespace}/${ref.name} has no address yet` };
  if (!sink?.uri) return { uri: address };
  // url.ResolveReference semantics: a relative uri extends the address' path.
  const base = address.endsWith('/') ? address : `${address}/`;
  return { uri: new URL(sink.uri.replace(/^\//, ''), base).toString() };
}

/** Whether a host is only known inside the cluster (reached through the gateway). */
export function isClusterLocalHost(hostname: string): boolean {
  return /\.svc(\.cluster\.local)?\.?$/.test(hostname.toLowerCase());
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

/** The wait before the n-th retry (n from 1): delay·2^n, or delay·n for linear; no cap, as upstream. */
export function backoffFor(delivery: DeliverySpec | undefined, attempt: number): number {
  const base = parseIsoDuration(delivery?.backoffDelay ?? DEFAULT_DELIVERY.backoffDelay);
  return delivery?.backoffPolicy === 'linear' ? base * attempt : base * 2 ** attempt;
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

/**
 * One HTTP delivery; resolves to the status code, or 0 for a network error / timeout. A cluster-local host goes
 * through the gateway with its name in the Host header.
 */
export function postEvent(
  uri: string,
  request: DeliveryRequest,
  timeoutMs: number,
  gateway?: ClusterGateway,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(0);
    const url = new URL(uri);
    const viaGateway = gateway !== undefined && isClusterLocalHost(url.hostname);
    const outgoing = http.request(
      {
        host: viaGateway ? gateway.host : url.hostname,
        port: viaGateway ? gateway.port : url.port || 80,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        signal,
        headers: {
          ...request.headers,
          ...(viaGateway ? { host: url.host } : {}),
          'content-length': String(request.body.length),
        },
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
  /** Aborts deliveries in flight when the source goes away (a hung sink must not hold the consumer for minutes). */
  private readonly aborter = new AbortController();
  connected = false;
  lastError: string | undefined;
  /** Resolved by the reconciler on every pass (a Service's address can change without a spec change). */
  sinkUri: string;
  deadLetterUri: string | undefined;
  /** The in-flight budget of `ordering: unordered`, shared by all the consumer's partitions. */
  private readonly unorderedBudget: LimitFunction;

  constructor(
    readonly source: KafkaSource,
    readonly groupId: string,
    readonly fingerprint: string,
    sinks: { sinkUri: string; deadLetterUri: string | undefined },
    private readonly parallelism: number,
    private readonly gateway: ClusterGateway | undefined,
    private readonly log: (message: string) => void,
    private readonly security: KafkaClientSecurity | undefined = undefined,
    /** Told when the consumer joins its group or fails, so the status follows without polling. */
    private readonly changed: () => void = () => {},
  ) {
    this.sinkUri = sinks.sinkUri;
    this.deadLetterUri = sinks.deadLetterUri;
    this.unorderedBudget = pLimit(parallelism);
  }

  private get key(): string {
    return `${this.source.metadata.namespace}/${this.source.metadata.name}`;
  }

  async start(): Promise<void> {
    const spec = this.source.spec;
    const kafka = new Kafka({
      clientId: `knative-desk-kafkasource-${this.source.metadata.name}`,
      brokers: spec.bootstrapServers ?? [],
      ssl: (this.security?.ssl ?? false) as KafkaConfig['ssl'],
      ...(this.security?.sasl ? { sasl: this.security.sasl as SASLOptions } : {}),
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    const topics = spec.topics ?? [];
    // Upstream's controller refuses topics that do not exist (it never creates them); so does the consumer here.
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw this.explained(error);
    }
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) throw new Error(`topics not present: ${missing.join(', ')}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      this.connected = false;
      this.lastError = this.explained(event.payload.error).message;
      this.log(`kafkasource ${this.key}: consumer crashed (${event.payload.error.message})`);
      this.changed();
      if (!event.payload.restart && !this.stopped) {
        setTimeout(() => void this.restart(), 2000).unref();
      }
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.connected = true;
      this.lastError = undefined;
      this.changed();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: spec.initialOffset === 'earliest' });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Every assigned partition runs at once (ordering is per partition, not per consumer).
      partitionsConsumedConcurrently: 64,
      eachBatch: (payload) => this.deliverBatch(payload),
    });
  }

  /** A refused SASL login said plainly: whose credentials (which Secret key), and the broker's own words. */
  private explained(error: unknown): Error {
    if (!isSaslAuthenticationError(error)) return error as Error;
    return new Error(
      `${SASL_REFUSED} for the user in Secret ${this.security?.saslUserFrom ?? '?'}: the broker refused the login (${(error as Error).message}); check the user and password Secrets`,
    );
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
      this.changed();
      setTimeout(() => void this.restart(), 3000).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.aborter.abort();
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
    const unordered = this.source.spec.ordering === 'unordered';
    const limit = unordered ? this.parallelism : 1;
    // Unordered: every partition's batch draws on the consumer's one budget of in-flight records.
    const inBudget = (deliver: () => Promise<boolean>): Promise<boolean> =>
      unordered ? this.unorderedBudget(deliver) : deliver();
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
          // Checked once the budget lets the record go: an unordered record may wait there while a rebalance makes
          // the batch stale or another worker aborts it.
          const delivered = await inBudget(() =>
            aborted || !isRunning() || isStale()
              ? Promise.resolve(false)
              : this.deliverRecord({
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: message.offset,
                  timestamp: message.timestamp,
                  key: message.key,
                  value: message.value,
                  headers: message.headers ?? {},
                }),
          );
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
    const delivery = this.source.spec.delivery;
    const request = cloudEventForRecord(
      { namespace: this.source.metadata.namespace, name: this.source.metadata.name },
      record,
    );
    const timeoutMs = parseIsoDuration(delivery?.timeout ?? DEFAULT_DELIVERY.timeout);
    const retries = delivery?.retry ?? DEFAULT_DELIVERY.retry;
    this.counters.inFlight++;
    try {
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (this.stopped) return false;
        const status = await postEvent(this.sinkUri, request, timeoutMs, this.gateway, this.aborter.signal);
        if (this.stopped) return false;
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
          await sleep(backoffFor(delivery, attempt + 1), undefined, { signal: this.aborter.signal }).catch(
            () => undefined,
          );
        }
      }
      if (this.deadLetterUri) {
        const status = await postEvent(
          this.deadLetterUri,
          request,
          timeoutMs,
          this.gateway,
          this.aborter.signal,
        );
        if (this.stopped) return false;
        if (status >= 200 && status < 300) {
          this.counters.deadLettered++;
          return true;
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

export interface KafkaSourceReconcilerOptions {
  /** Records in flight per consumer (all its partitions) for `ordering: unordered`: upstream's max.poll.records. */
  readonly parallelism: number;
  /** Where cluster-local sink hosts are reached (the KIngress); without it they are connected to directly. */
  readonly gateway?: ClusterGateway;
  readonly log: (message: string) => void;
  /** Called when a consumer's state changes outside a pass (joined its group, crashed): ask for a pass. */
  readonly onConsumerChange?: () => void;
}

export class KafkaSourceReconciler {
  private readonly consumers = new Map<string, SourceConsumer>();
  /** Why a source's consumer last failed to start (kept across passes so the status does not flap). */
  private readonly startErrors = new Map<string, string>();
  private readonly log: (message: string) => void;
  /** Whether the last pass found every source Ready (nothing to wait for but API events and consumer events). */
  private allReady = false;

  constructor(
    private readonly kube: Kube,
    private readonly options: KafkaSourceReconcilerOptions,
  ) {
    this.log = options.log;
  }

  counters(): Record<string, SourceCounters & { groupId: string; connected: boolean }> {
    const result: Record<string, SourceCounters & { groupId: string; connected: boolean }> = {};
    for (const [key, consumer] of this.consumers) {
      result[key] = { ...consumer.counters, groupId: consumer.groupId, connected: consumer.connected };
    }
    return result;
  }

  /** True when the last pass left every source Ready: the next periodic pass can wait (see kafka-source-main.ts). */
  settled(): boolean {
    return this.allReady;
  }

  async reconcileAll(): Promise<void> {
    const sources = await this.kube.list<KafkaSource>(KAFKASOURCES);
    const live = new Set<string>();
    let allReady = true;
    for (const source of sources) {
      if (source.metadata.deletionTimestamp) continue;
      const key = `${source.metadata.namespace}/${source.metadata.name}`;
      live.add(key);
      try {
        if (!(await this.reconcile(key, source))) allReady = false;
      } catch (error) {
        allReady = false;
        this.log(`kafkasource ${key}: ${describeError(error)}`);
      }
    }
    this.allReady = allReady;
    for (const [key, consumer] of this.consumers) {
      if (!live.has(key)) {
        this.consumers.delete(key);
        // Not awaited: leaving the group can take a while, and other sources' passes must not wait for it.
        void consumer.stop();
      }
    }
    for (const key of this.startErrors.keys()) if (!live.has(key)) this.startErrors.delete(key);
  }

  /** One source's pass; true when it left the source Ready. */
  private async reconcile(key: string, source: KafkaSource): Promise<boolean> {
    // The webhook's defaulting, written once; the write's watch event brings the defaulted source back.
    const defaulted = withWebhookDefaults(source);
    if (defaulted) {
      await this.kube.replace<KafkaSource>(KAFKASOURCES, { ...source, spec: defaulted });
      return false;
    }
    const spec = source.spec;
    const namespace = source.metadata.namespace;
    const groupId = spec.consumerGroup ?? '';
    const security = await this.securityOf(namespace, spec.net);
    // The Secret values count too: a corrected password restarts the consumer.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([spec, security]))
      .digest('hex');
    const sink = await resolveSink(this.kube, namespace, spec.sink);
    const deadLetter = spec.delivery?.deadLetterSink
      ? await resolveSink(this.kube, namespace, spec.delivery.deadLetterSink)
      : undefined;
    const problems: string[] = [];
    if (!spec.bootstrapServers?.length) problems.push('spec.bootstrapServers is empty');
    if (!spec.topics?.length) problems.push('spec.topics is empty');
    if (deadLetter && 'error' in deadLetter) problems.push(`dead-letter sink: ${deadLetter.error}`);
    if (!security.ok) problems.push(security.problem);

    let consumer = this.consumers.get(key);
    if (consumer && consumer.fingerprint !== fingerprint) {
      this.consumers.delete(key);
      this.startErrors.delete(key);
      await consumer.stop();
      consumer = undefined;
    }
    if (consumer && 'uri' in sink) {
      consumer.sinkUri = sink.uri;
      consumer.deadLetterUri = deadLetter && 'uri' in deadLetter ? deadLetter.uri : undefined;
    }
    // `consumers: 0` scales the source to zero: its consumer leaves the group (offsets can then be reset).
    const scaledToZero = spec.consumers === 0;
    if (consumer && scaledToZero) {
      this.consumers.delete(key);
      void consumer.stop();
      consumer = undefined;
    }
    // As upstream, nothing is dispatched before the sink resolves (the contract is written only then).
    if (!consumer && !scaledToZero && problems.length === 0 && 'uri' in sink) {
      const started = new SourceConsumer(
        source,
        groupId,
        fingerprint,
        { sinkUri: sink.uri, deadLetterUri: deadLetter && 'uri' in deadLetter ? deadLetter.uri : undefined },
        this.options.parallelism,
        this.options.gateway,
        this.log,
        security.ok ? security.security : undefined,
        () => this.options.onConsumerChange?.(),
      );
      consumer = started;
      this.consumers.set(key, started);
      started
        .start()
        .then(() => this.startErrors.delete(key))
        .catch((error: Error) => {
          const news = this.startErrors.get(key) !== error.message;
          this.startErrors.set(key, error.message);
          this.log(`kafkasource ${key}: could not start its consumer: ${error.message}`);
          // A new reason goes on the status at once. The same one again changes nothing: asking for a pass then
          // retried the start back to back (about 9 a second, a quarter of a core with kube-apiserver and the
          // broker, while a freshly deployed demo's topic did not exist yet). The periodic pass retries instead,
          // as upstream's work queue requeues a failed key after a backoff rather than at once.
          if (news) this.options.onConsumerChange?.();
          // Retried on a later pass with a fresh consumer.
          if (this.consumers.get(key) === started) this.consumers.delete(key);
          void started.stop();
        });
    }

    const lastError = consumer?.lastError ?? this.startErrors.get(key);
    const consumerGroup: Condition =
      problems.length > 0
        ? { type: 'ConsumerGroup', status: 'False', reason: 'InvalidSpec', message: problems.join('; ') }
        : consumer?.connected || scaledToZero
          ? { type: 'ConsumerGroup', status: 'True' }
          : lastError
            ? {
                type: 'ConsumerGroup',
                status: 'False',
                reason: lastError.startsWith(SASL_REFUSED)
                  ? 'SASLAuthenticationFailed'
                  : 'ConsumerGroupNotReady',
                message: lastError,
              }
            : {
                type: 'ConsumerGroup',
                status: 'Unknown',
                reason: 'Connecting',
                message:
                  'uri' in sink ? `joining consumer group ${groupId}` : 'waiting for the sink to resolve',
              };
    const sinkProvided: Condition =
      'uri' in sink
        ? { type: 'SinkProvided', status: 'True' }
        : { type: 'SinkProvided', status: 'False', reason: 'SinkNotFound', message: sink.error };
    // A living condition set: Ready is the first of its dependents that is not True (False before Unknown).
    const dependents = [consumerGroup, sinkProvided];
    const blocking =
      dependents.find((c) => c.status === 'False') ?? dependents.find((c) => c.status !== 'True');
    const ready: Condition = blocking
      ? { type: 'Ready', status: blocking.status, reason: blocking.reason, message: blocking.message }
      : { type: 'Ready', status: 'True' };
    const consumers = spec.consumers ?? 1;
    await this.kube.updateStatus<KafkaSource>(KAFKASOURCES, namespace, source.metadata.name, (current) => {
      const status: NonNullable<KafkaSource['status']> = {
        ...(current.status ?? {}),
        observedGeneration: current.metadata.generation,
        consumers,
        placements: consumers > 0 ? [{ podName: DISPATCHER_POD, vreplicas: consumers }] : [],
        selector: `eventing.knative.dev/source=kafka-source-controller,eventing.knative.dev/sourceName=${source.metadata.name}`,
        conditions: mergeConditions(
          current.status?.conditions?.filter((c) => c.type !== 'InitialOffsetsCommitted'),
          [consumerGroup, sinkProvided, ready].map(
            (c) =>
              Object.fromEntries(
                Object.entries(c).filter(([, v]) => v !== undefined),
              ) as unknown as Condition,
          ),
        ),
      };
      if ('uri' in sink) status.sinkUri = sink.uri;
      else delete status.sinkUri;
      delete status.annotations;
      return status;
    });
    return ready.status === 'True';
  }

  /** spec.net → client settings, reading the Secret keys it names (a missing one is a problem in words). */
  private async securityOf(namespace: string, net: unknown): Promise<SecurityResult> {
    const refs = netSecretRefs(net);
    const data = new Map<string, Record<string, string> | string>();
    for (const name of new Set(refs.map((ref) => ref.name))) {
      try {
        const secret = await this.kube.core.readNamespacedSecret({ name, namespace });
        data.set(name, secret.data ?? {});
      } catch (error) {
        data.set(
          name,
          (error as { code?: number }).code === 404
            ? `Secret ${name} not found in ${namespace}`
            : `Secret ${name}: ${describeError(error)}`,
        );
      }
    }
    return kafkaClientSecurity(net, (ref: SecretKeyRef) => {
      const secret = data.get(ref.name);
      if (typeof secret !== 'object') return { missing: secret ?? `Secret ${ref.name} not read` };
      const value = secret[ref.key];
      return value === undefined
        ? { missing: `Secret ${ref.name} has no key "${ref.key}"` }
        : Buffer.from(value, 'base64').toString('utf8');
    });
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
    this.consumers.clear();
  }
}
