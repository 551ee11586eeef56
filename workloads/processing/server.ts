// Message processing over HTTP: receives the CloudEvents a KafkaSource delivers (binary or structured mode),
// applies the processing rules and writes the result to the shared store.
// Status codes drive Knative's delivery: 2xx only after the result is durable (then the offset is committed);
// 5xx when the store failed (redelivered later, and the id-keyed write makes that harmless); 4xx for an event
// that can never be processed (retrying it would not help).
// No per-process state influences a result: rate limiting reads the shared store, so 100 copies behave as one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { HTTP, ValidationError, type CloudEventV1 } from 'cloudevents';
import { barrageMessageSchema, type BarrageMessage } from '../shared/barrage-message';
import { readBodyWithin } from '../shared/http-body';
import { KAFKA_EVENT_TYPE, kafkaHeadersOfEvent } from '../../knative/kafka-cloudevent';
import { extractTraceContext } from '../shared/tracing';
import type { ResultStore } from '../store/result-store';
import { processMessage, type ProcessingRules } from './process-message';

/** Largest event accepted; a barrage message is well under 1 KiB, this leaves room for headers-as-data. */
const maxEventBytes = 256 * 1024;

export interface ProcessingServerOptions {
  readonly store: ResultStore;
  readonly rules: ProcessingRules;
  readonly tracer: Tracer;
  readonly now?: () => Date;
  /**
   * The only CloudEvent source accepted (its KafkaSource and topic). The type must always be the KafkaSource's
   * `dev.knative.kafka.event`: anything else that reaches this internal Service is refused with 400, not stored.
   */
  readonly acceptedEventSource?: string;
}

export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

export type ProcessOutcome = { status: 'stored' | 'duplicate'; id: string };

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The barrage message inside an event's data, whatever form the SDK left it in (object, text or bytes). */
export function messageFromEvent(event: CloudEventV1<unknown>): BarrageMessage {
  let data: unknown = event.data;
  if (data === undefined && typeof event.data_base64 === 'string') {
    data = Buffer.from(event.data_base64, 'base64');
  }
  if (Buffer.isBuffer(data) || data instanceof Uint8Array) data = Buffer.from(data).toString('utf8');
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new UnprocessableEventError('event data is not JSON');
    }
  }
  const parsed = barrageMessageSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnprocessableEventError(
      `event data is not a barrage message: ${issue ? `${issue.path.join('.') || 'data'} ${issue.message}` : ''}`,
    );
  }
  return parsed.data;
}

export function parseCloudEvent(headers: Record<string, string>, body: Buffer): CloudEventV1<unknown> {
  let event: CloudEventV1<unknown> | CloudEventV1<unknown>[];
  try {
    event = HTTP.toEvent<unknown>({ headers, body: body.toString('utf8') });
  } catch (error) {
    throw new UnprocessableEventError(`not a CloudEvent: ${(error as Error).message}`);
  }
  if (Array.isArray(event)) throw new UnprocessableEventError('batched CloudEvents are not accepted');
  try {
    // The HTTP binding builds events without validation; check the required attributes here.
    (event as { validate?: () => boolean }).validate?.();
  } catch (error) {
    const detail =
      error instanceof ValidationError ? JSON.stringify(error.errors ?? error.message) : String(error);
    throw new UnprocessableEventError(`invalid CloudEvent: ${detail}`);
  }
  return event;
}

export class ProcessingService {
  readonly #options: ProcessingServerOptions;

  constructor(options: ProcessingServerOptions) {
    this.#options = options;
  }

  /** Processes one message and stores the result once; throws the store's error when the write failed. */
  async process(message: BarrageMessage): Promise<ProcessOutcome> {
    const { store, rules } = this.#options;
    const now = (this.#options.now ?? (() => new Date()))();
    const sentAt = new Date(message.sentAt);
    const earlier =
      message.user === undefined
        ? 0
        : await store.countByUserSentBetween({
            user: message.user,
            since: new Date(sentAt.getTime() - rules.rateLimitWindowMs),
            before: sentAt,
            excludeId: message.id,
            atMost: rules.rateLimitCount, // processMessage asks only whether it reaches the limit
          });
    const result = processMessage(message, rules, earlier, now);
    const { created } = await store.put(result);
    return { status: created ? 'stored' : 'duplicate', id: message.id };
  }

  async handleEvent(headers: Record<string, string>, body: Buffer): Promise<ProcessOutcome> {
    const event = parseCloudEvent(headers, body);
    if (event.type !== KAFKA_EVENT_TYPE) {
      throw new UnprocessableEventError(
        `event type "${event.type}" is not accepted: processing takes "${KAFKA_EVENT_TYPE}" from its KafkaSource`,
      );
    }
    const accepted = this.#options.acceptedEventSource;
    if (accepted !== undefined && event.source !== accepted) {
      throw new UnprocessableEventError(
        `event source "${event.source}" is not accepted: expected "${accepted}"`,
      );
    }
    // The producer's trace context arrives as the `kafkaheadertraceparent` / `kafkaheadertracestate` extensions
    // (record headers, as the KafkaSource names them); those win over any hop-level `traceparent`.
    const attributes = event as unknown as Record<string, unknown>;
    const parent = extractTraceContext({ ...headers, ...attributes, ...kafkaHeadersOfEvent(attributes) });
    const span = this.#options.tracer.startSpan(
      'barrage process',
      { kind: SpanKind.CONSUMER, attributes: { 'cloudevents.event_id': event.id } },
      parent,
    );
    try {
      const message = messageFromEvent(event);
      span.setAttribute('barrage.id', message.id);
      const outcome = await context.with(trace.setSpan(parent, span), () => this.process(message));
      span.setAttribute('barrage.outcome', outcome.status);
      return outcome;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

export function createProcessingServer(options: ProcessingServerOptions): Server {
  const service = new ProcessingService(options);
  return createServer((request, response) => {
    void route(service, options.store, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: (error as Error).message });
      else response.destroy();
    });
  });
}

async function route(
  service: ProcessingService,
  store: ResultStore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/healthz') return send(response, 200, { status: 'ok' });
  if (request.method === 'GET' && path === '/readyz') {
    try {
      await store.ping();
      return send(response, 200, { status: 'ready' });
    } catch (error) {
      return send(response, 503, { status: 'unavailable', reason: (error as Error).message });
    }
  }
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    return send(response, 405, { error: 'deliver CloudEvents with POST' });
  }
  const body = await readBodyWithin(request, maxEventBytes, (error) => send(response, 413, { error }));
  if (!body) return;
  try {
    const outcome = await service.handleEvent(headersOf(request), body);
    // 200 without CloudEvent headers: Knative treats it as "delivered, no reply event".
    return send(response, 200, outcome);
  } catch (error) {
    if (error instanceof UnprocessableEventError) return send(response, 400, { error: error.message });
    // The store failed: ask for redelivery. Nothing was acknowledged, so nothing is lost.
    return send(response, 503, { error: (error as Error).message });
  }
}
