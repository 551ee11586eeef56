import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { CloudEvent, HTTP } from 'cloudevents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BarrageMessage } from '../shared/barrage-message';
import { binaryModeHeaders, cloudEventForKafkaRecord } from '../../knative/kafka-cloudevent';
import { listen } from '../shared/lifecycle';
import { SqliteResultStore } from '../store/sqlite-store';
import { SensitiveWordMasker } from './sensitive-words';
import { createProcessingServer } from './server';

let directory: string;
let store: SqliteResultStore;
let server: Server;
let url: string;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'barrage-processing-'));
  store = new SqliteResultStore(join(directory, 'results.sqlite'));
  server = createProcessingServer({
    store,
    tracer: trace.getTracer('test'),
    acceptedEventSource: '/apis/v1/namespaces/demo/kafkasources/barrage-source#barrage-info',
    rules: {
      masker: new SensitiveWordMasker(['spam']),
      maxTextLength: 100,
      rateLimitCount: 2,
      rateLimitWindowMs: 10_000,
    },
  });
  url = `http://127.0.0.1:${await listen(server, 0)}/`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

function message(id: string, overrides: Partial<BarrageMessage> = {}): BarrageMessage {
  return {
    id,
    text: 'buy spam now',
    color: '#00ff00',
    mode: 'scroll',
    user: 'alice',
    sentAt: '2026-01-01T00:00:05.000Z',
    ...overrides,
  };
}

/** The event as Knative's KafkaSource builds it from a record at partition 0, offset `offset`. */
function kafkaEvent(data: BarrageMessage, offset: number): CloudEvent<BarrageMessage> {
  return new CloudEvent({
    id: `partition:0/offset:${offset}`,
    type: 'dev.knative.kafka.event',
    source: '/apis/v1/namespaces/demo/kafkasources/barrage-source#barrage-info',
    subject: `partition:0#${offset}`,
    datacontenttype: 'application/json',
    key: data.user ?? data.id,
    data,
  });
}

async function deliver(message: { headers: Record<string, unknown>; body: unknown }): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: typeof message.body === 'string' ? message.body : JSON.stringify(message.body),
  });
}

describe('processing server', () => {
  it('refuses events of another type or from another source with 400, storing nothing', async () => {
    const good = kafkaEvent(message('01J0000000000000000000000Z'), 1);
    const wrongType = new CloudEvent({ ...good, type: 'com.example.other' });
    const wrongSource = new CloudEvent({
      ...good,
      source: '/apis/v1/namespaces/other/kafkasources/barrage-source#barrage-info',
    });
    for (const event of [wrongType, wrongSource]) {
      const response = await deliver(HTTP.binary(event));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/is not accepted/);
    }
    expect(await store.listAfter(undefined, 10)).toEqual([]);
    expect((await deliver(HTTP.binary(good))).status).toBe(200);
  });

  it('processes a binary-mode event and stores the masked result', async () => {
    const response = await deliver(HTTP.binary(kafkaEvent(message('01J00000000000000000000001'), 7)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'stored', id: '01J00000000000000000000001' });
    const [stored] = await store.listAfter(undefined, 10);
    expect(stored).toMatchObject({
      id: '01J00000000000000000000001',
      text: 'buy **** now',
      flags: ['masked'],
    });
    expect(Date.parse(stored!.processedAt)).not.toBeNaN();
  });

  it('processes a structured-mode event', async () => {
    const response = await deliver(HTTP.structured(kafkaEvent(message('01J00000000000000000000002'), 8)));
    expect(response.status).toBe(200);
    expect((await store.listAfter(undefined, 10)).map((row) => row.id)).toEqual([
      '01J00000000000000000000002',
    ]);
  });

  it('stores a redelivered event once and still answers 2xx', async () => {
    const event = HTTP.binary(kafkaEvent(message('01J00000000000000000000003'), 9));
    expect((await deliver(event)).status).toBe(200);
    const again = await deliver(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate', id: '01J00000000000000000000003' });
    expect(await store.listAfter(undefined, 10)).toHaveLength(1);
  });

  it('flags a user who sent too many messages in the window, across deliveries', async () => {
    for (const [index, second] of [1, 2, 3].entries()) {
      const id = `01J0000000000000000000000${index + 4}`;
      const sentAt = `2026-01-01T00:00:0${second}.000Z`;
      expect(
        (await deliver(HTTP.binary(kafkaEvent(message(id, { sentAt, text: 'hi' }), index)))).status,
      ).toBe(200);
    }
    const rows = await store.listAfter(undefined, 10);
    expect(rows.map((row) => row.flags)).toEqual([[], [], ['rate-limited']]);
  });

  it('answers 400 for events that can never be processed', async () => {
    const notAnEvent = await fetch(url, { method: 'POST', body: '{"hello": 1}' });
    expect(notAnEvent.status).toBe(400);
    const badData = HTTP.binary(
      new CloudEvent({
        id: 'x',
        type: 'dev.knative.kafka.event',
        source: '/apis/v1/namespaces/demo/kafkasources/barrage-source#barrage-info',
        datacontenttype: 'application/json',
        data: { text: 1 },
      }),
    );
    const response = await deliver(badData);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/not a barrage message/);
    expect(await store.listAfter(undefined, 10)).toEqual([]);
  });

  it('answers 413 for an oversized event and 405 for GET /', async () => {
    const huge = await fetch(url, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
  });

  it('answers 503 (so the event is redelivered) when the store cannot write', async () => {
    await store.close();
    const response = await deliver(HTTP.binary(kafkaEvent(message('01J0000000000000000000000Z'), 1)));
    expect(response.status).toBe(503);
    expect((await fetch(`${url}readyz`)).status).toBe(503);
    expect((await fetch(`${url}healthz`)).status).toBe(200);
  });

  it("continues the producer's trace from the kafkaheadertraceparent extension the KafkaSource writes", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traced = createProcessingServer({
      store,
      tracer: provider.getTracer('test'),
      rules: {
        masker: new SensitiveWordMasker([]),
        maxTextLength: 100,
        rateLimitCount: 9,
        rateLimitWindowMs: 1,
      },
    });
    try {
      const tracedUrl = `http://127.0.0.1:${await listen(traced, 0)}/`;
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentSpanId = '00f067aa0ba902b7';
      const event = cloudEventForKafkaRecord(
        { namespace: 'demo', name: 'barrage-source' },
        {
          topic: 'barrage-info',
          partition: 0,
          offset: '3',
          timestamp: '1700000000000',
          key: Buffer.from('alice'),
          value: Buffer.from(JSON.stringify(message('01J0000000000000000000000T'))),
          headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentSpanId}-01` },
        },
      );
      const response = await fetch(tracedUrl, {
        method: 'POST',
        headers: binaryModeHeaders(event),
        body: Buffer.from(event.data),
      });
      expect(response.status).toBe(200);
      const [span] = exporter.getFinishedSpans();
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.parentSpanContext?.spanId).toBe(parentSpanId);
    } finally {
      await new Promise((resolve) => traced.close(resolve));
      propagation.disable();
      await provider.shutdown();
    }
  });
});
