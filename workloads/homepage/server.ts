// HomePage HTTP API: accepts barrage messages into Kafka, serves processed results (SSE and paging), the page.
// A 202 means the broker acknowledged the record; every other outcome is an error status with a reason, so a
// client never believes a message was accepted when it was not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { monotonicFactory } from 'ulid';
import { pooledRandom } from './pooled-random';
import {
  barragePostSchema,
  defaultBarrageColor,
  defaultBarrageMode,
  type BarrageMessage,
} from '../shared/barrage-message';
import { readBodyWithin } from '../shared/http-body';
import { traceHeaders } from '../shared/tracing';
import { InvalidCursorError } from '../store/cursor';
import type { ResultStore } from '../store/result-store';
import { KafkaUnavailableError, ProducerQueueFullError, type OutgoingRecord } from './barrage-producer';
import { danmakuBrowserScript, homepageHtml } from './page';
import type { ResultFeed } from './result-feed';
import { openResultStream } from './sse-stream';

/** A barrage post is ~200 bytes; 4 KiB leaves room for generous JSON and still refuses abuse early. */
export const maxPostBytes = 4 * 1024;

/** What HomePage needs from Kafka (the BarrageProducer, or anything with the same contract). */
export interface BarrageSender {
  send(record: OutgoingRecord): Promise<void>;
  connect(): Promise<void>;
}

export interface HomepageServerOptions {
  readonly sender: BarrageSender;
  readonly store: ResultStore;
  readonly feed: ResultFeed;
  readonly tracer: Tracer;
  /** Checks that Kafka answers (for /readyz). */
  readonly kafkaReady: () => Promise<void>;
  /** Live result streams at once (each holds a connection and a feed listener); more get 503. Default 500. */
  readonly maxStreams?: number;
  /** Bytes a stream may have waiting for a slow reader before it is dropped. Default 1 MiB. */
  readonly maxStreamBufferBytes?: number;
}

type Json = Record<string, unknown>;

function send(
  response: ServerResponse,
  status: number,
  body: Json,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function badRequest(response: ServerResponse, field: string, reason: string, extra: Json = {}): void {
  send(response, 400, { error: `${field} ${reason}`, field, reason, ...extra });
}

export function createHomepageServer(options: HomepageServerOptions): Server {
  const nextId = monotonicFactory(pooledRandom());
  const streams = { open: 0 };
  return createServer((request, response) => {
    void route(options, nextId, streams, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: (error as Error).message });
      else response.destroy();
    });
  });
}

async function route(
  options: HomepageServerOptions,
  nextId: (time?: number) => string,
  streams: { open: number },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://homepage');
  const method = request.method ?? 'GET';
  const path = url.pathname;

  if (path === '/api/barrage' && method === 'POST') return postBarrage(options, nextId, request, response);
  if (path === '/api/barrage' && method === 'GET') return listBarrage(options.store, url, response);
  if (path === '/api/barrage/stream' && method === 'GET') {
    const maxStreams = options.maxStreams ?? 500;
    if (streams.open >= maxStreams) {
      return send(
        response,
        503,
        { error: `too many live result streams (${maxStreams}): try again shortly`, limit: maxStreams },
        { 'retry-after': '5' },
      );
    }
    const lastEventId = request.headers['last-event-id'];
    const startAfter =
      (Array.isArray(lastEventId) ? lastEventId[0] : lastEventId) ?? url.searchParams.get('after');
    try {
      // Validate the resume point before committing to a 200 event stream.
      if (startAfter) await options.store.listAfter(startAfter, 1);
    } catch (error) {
      if (error instanceof InvalidCursorError)
        return badRequest(response, 'Last-Event-ID', 'is not a known cursor');
      return send(response, 503, { error: (error as Error).message });
    }
    streams.open += 1;
    let counted = true;
    // Counted until the connection goes, however it goes (client left, dropped as a slow reader, server error).
    response.once('close', () => {
      if (counted) streams.open -= 1;
      counted = false;
    });
    return openResultStream(request, response, options.store, options.feed, startAfter || undefined, {
      maxBufferedBytes: options.maxStreamBufferBytes ?? 1024 * 1024,
    });
  }
  if (path === '/healthz' && method === 'GET') return send(response, 200, { status: 'ok' });
  if (path === '/readyz' && method === 'GET') return readiness(options, response);
  if (path === '/' && method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return void response.end(homepageHtml);
  }
  if (path === '/assets/danmaku.js' && method === 'GET') {
    response.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    });
    return void response.end(danmakuBrowserScript());
  }
  const known = ['/', '/api/barrage', '/api/barrage/stream', '/healthz', '/readyz', '/assets/danmaku.js'];
  if (known.includes(path)) return send(response, 405, { error: `${method} is not allowed on ${path}` });
  return send(response, 404, { error: `no such path: ${path}` });
}

async function postBarrage(
  options: HomepageServerOptions,
  nextId: (time?: number) => string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    request.resume();
    return send(response, 415, { error: 'send the barrage as application/json' });
  }
  const raw = await readBodyWithin(request, maxPostBytes, (error) => send(response, 413, { error }));
  if (!raw) return;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return badRequest(response, 'body', 'is not valid JSON');
  }
  const parsed = barragePostSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : 'body'),
      reason: issue.message,
    }));
    const first = issues[0]!;
    return badRequest(response, first.field, first.reason, { issues });
  }

  const now = Date.now();
  const message: BarrageMessage = {
    id: nextId(now),
    text: parsed.data.text,
    color: parsed.data.color ?? defaultBarrageColor,
    mode: parsed.data.mode ?? defaultBarrageMode,
    ...(parsed.data.user === undefined ? {} : { user: parsed.data.user }),
    sentAt: new Date(now).toISOString(),
  };
  const span = options.tracer.startSpan('barrage send', {
    kind: SpanKind.PRODUCER,
    attributes: { 'barrage.id': message.id, 'messaging.system': 'kafka' },
  });
  try {
    await options.sender.send({
      key: message.user ?? message.id,
      value: JSON.stringify(message),
      // content-type becomes the CloudEvent's datacontenttype; traceparent/tracestate become its extensions.
      headers: { 'content-type': 'application/json', ...traceHeaders(span) },
    });
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    if (error instanceof ProducerQueueFullError) {
      return send(
        response,
        503,
        {
          error: 'the message was not accepted: too many barrage are waiting for Kafka',
          reason: error.message,
        },
        { 'retry-after': '2' },
      );
    }
    const reason =
      error instanceof KafkaUnavailableError ? error.message : `Kafka: ${(error as Error).message}`;
    return send(
      response,
      503,
      { error: 'the message was not accepted: Kafka is unavailable', reason },
      {
        'retry-after': '2',
      },
    );
  } finally {
    span.end();
  }
  return send(response, 202, { id: message.id, sentAt: message.sentAt });
}

async function listBarrage(store: ResultStore, url: URL, response: ServerResponse): Promise<void> {
  const after = url.searchParams.get('after') || undefined;
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    return badRequest(response, 'limit', 'must be a whole number from 1 to 500');
  }
  try {
    const items = await store.listAfter(after, limit);
    return send(response, 200, { items, next: items.at(-1)?.cursor ?? after ?? null });
  } catch (error) {
    if (error instanceof InvalidCursorError) return badRequest(response, 'after', 'is not a known cursor');
    return send(response, 503, { error: (error as Error).message });
  }
}

async function readiness(options: HomepageServerOptions, response: ServerResponse): Promise<void> {
  const [kafka, store] = await Promise.allSettled([options.kafkaReady(), options.store.ping()]);
  const reasons: Json = {};
  if (kafka.status === 'rejected') reasons.kafka = (kafka.reason as Error).message;
  if (store.status === 'rejected') reasons.store = (store.reason as Error).message;
  if (Object.keys(reasons).length > 0) return send(response, 503, { status: 'unavailable', ...reasons });
  return send(response, 200, { status: 'ready' });
}
