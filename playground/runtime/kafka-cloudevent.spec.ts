import { HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { cloudEventForRecord } from './kafka-cloudevent';

const source = { namespace: 'demo', name: 'barrage-source' };

describe('cloudEventForRecord', () => {
  it('maps a plain record to a binary-mode dev.knative.kafka.event with Knative attributes', () => {
    const value = Buffer.from(JSON.stringify({ text: '弹幕 hello', id: 'b-1' }));
    const request = cloudEventForRecord(source, {
      topic: 'barrage-info',
      partition: 2,
      offset: '41',
      timestamp: '1700000000000',
      key: Buffer.from('room-7'),
      value,
      headers: { 'Trace-Parent': Buffer.from('00-abc-def-01'), 'x-weird_name!': 'w' },
    });
    expect(request.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': 'partition:2/offset:41',
      'ce-type': 'dev.knative.kafka.event',
      'ce-source': '/apis/v1/namespaces/demo/kafkasources/barrage-source#barrage-info',
      'ce-subject': 'partition:2#41',
      'ce-time': '2023-11-14T22:13:20.000Z',
      'ce-key': 'room-7',
      'ce-traceparent': '00-abc-def-01',
      'ce-xweirdname': 'w',
      'content-type': 'application/json',
    });
    expect(request.body.equals(value)).toBe(true);
    // The cloudevents SDK reads it back as the same event.
    const parsed = HTTP.toEvent({ headers: request.headers, body: request.body.toString('utf8') });
    expect(Array.isArray(parsed)).toBe(false);
    expect((parsed as { id: string }).id).toBe('partition:2/offset:41');
  });

  it('forwards a record that already is a binary CloudEvent unchanged', () => {
    const request = cloudEventForRecord(source, {
      topic: 't',
      partition: 0,
      offset: '5',
      timestamp: '1700000000000',
      key: null,
      value: Buffer.from('{"a":1}'),
      headers: {
        ce_specversion: Buffer.from('1.0'),
        ce_id: Buffer.from('barrage-123'),
        ce_type: Buffer.from('barrage.sent'),
        ce_source: Buffer.from('/homepage'),
        'content-type': Buffer.from('application/json'),
      },
    });
    expect(request.id).toBe('barrage-123');
    expect(request.headers).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'barrage-123',
      'ce-type': 'barrage.sent',
      'ce-source': '/homepage',
      'content-type': 'application/json',
    });
  });

  it('marks non-JSON payloads as octet-stream and keeps an empty value', () => {
    const request = cloudEventForRecord(source, {
      topic: 't',
      partition: 0,
      offset: '6',
      timestamp: '1700000000000',
      key: null,
      value: null,
      headers: {},
    });
    expect(request.headers['content-type']).toBe('application/octet-stream');
    expect(request.body.length).toBe(0);
    expect(request.headers['ce-key']).toBeUndefined();
  });
});

describe('delivery policy', () => {
  it('retries what Knative retries and backs off as the delivery spec says', async () => {
    const { backoffFor, isRetryable, parseIsoDuration } = await import('./kafka-source-reconciler');
    expect([0, 404, 408, 409, 429, 500, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 413, 422].some(isRetryable)).toBe(false);
    expect(parseIsoDuration('PT0.2S')).toBe(200);
    expect(parseIsoDuration('PT1M30S')).toBe(90_000);
    expect(backoffFor({ backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' }, 3)).toBe(800);
    expect(backoffFor({ backoffPolicy: 'linear', backoffDelay: 'PT0.5S' }, 3)).toBe(1500);
    expect(backoffFor({ backoffPolicy: 'exponential', backoffDelay: 'PT5S' }, 10)).toBe(10_000);
  });
});
