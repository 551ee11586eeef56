import { HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import {
  binaryModeHeaders,
  cloudEventForKafkaRecord,
  encodeHeaderValue,
  kafkaHeadersOfEvent,
} from './kafka-cloudevent';

const source = { namespace: 'demo', name: 'barrage-source' };
type KafkaRecord = Parameters<typeof cloudEventForKafkaRecord>[1];
/** A record on partition 0 of topic t, with no key, value or headers unless given. */
const record = (fields: Partial<KafkaRecord>): KafkaRecord => ({
  topic: 't',
  partition: 0,
  offset: '0',
  timestamp: '1700000000000',
  key: null,
  value: null,
  headers: {},
  ...fields,
});

describe('cloudEventForKafkaRecord (eventing-kafka-broker v0.49 rules)', () => {
  it('maps a plain record to dev.knative.kafka.event with kafkaheader extensions, key and partitionkey', () => {
    const value = Buffer.from(JSON.stringify({ text: '弹幕 hello', id: 'b-1' }));
    const event = cloudEventForKafkaRecord(source, {
      topic: 'barrage-info',
      partition: 2,
      offset: '41',
      timestamp: '1700000000000',
      key: Buffer.from('room-7'),
      value,
      headers: {
        traceparent: Buffer.from('00-abc-def-01'),
        'x-weird_name!': 'w',
        'Content-Type': Buffer.from('Application/JSON'),
      },
    });
    expect(event.attributes).toEqual({
      specversion: '1.0',
      id: 'partition:2/offset:41',
      type: 'dev.knative.kafka.event',
      source: '/apis/v1/namespaces/demo/kafkasources/barrage-source#barrage-info',
      subject: 'partition:2#41',
      time: '2023-11-14T22:13:20.000Z',
      key: 'room-7',
      partitionkey: 'room-7',
      kafkaheadertraceparent: '00-abc-def-01',
      kafkaheaderxweirdname: 'w',
      datacontenttype: 'application/json',
      knativekafkapartition: '2',
      knativekafkaoffset: '41',
    });
    expect(Buffer.from(event.data).equals(value)).toBe(true);

    const headers = binaryModeHeaders(event);
    expect(headers['ce-kafkaheadertraceparent']).toBe('00-abc-def-01');
    expect(headers['content-type']).toBe('application/json');
    // The cloudevents SDK (what processing uses) reads it back as a valid event with the same extensions.
    const parsed = HTTP.toEvent({ headers, body: Buffer.from(event.data).toString('utf8') });
    expect(Array.isArray(parsed)).toBe(false);
    const single = parsed as unknown as Record<string, unknown> & { validate(): boolean };
    expect(single.validate()).toBe(true);
    expect(single.id).toBe('partition:2/offset:41');
    expect(kafkaHeadersOfEvent(single)).toEqual({ traceparent: '00-abc-def-01', xweirdname: 'w' });
  });

  it('leaves datacontenttype out when the record has no content-type header, and keeps an empty value', () => {
    const event = cloudEventForKafkaRecord(source, record({ offset: '6' }));
    expect(event.attributes.datacontenttype).toBeUndefined();
    expect(event.attributes.key).toBeUndefined();
    expect(event.attributes.partitionkey).toBeUndefined();
    expect(event.data.length).toBe(0);
    expect(binaryModeHeaders(event)['content-type']).toBeUndefined();
  });

  it('keeps a record that already is a binary CloudEvent, adding only the partition and offset', () => {
    const event = cloudEventForKafkaRecord(
      source,
      record({
        offset: '5',
        value: Buffer.from('{"a":1}'),
        headers: {
          ce_specversion: Buffer.from('1.0'),
          ce_id: Buffer.from('barrage-123'),
          ce_type: Buffer.from('barrage.sent'),
          ce_source: Buffer.from('/homepage'),
          'content-type': Buffer.from('application/json'),
        },
      }),
    );
    expect(binaryModeHeaders(event)).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'barrage-123',
      'ce-type': 'barrage.sent',
      'ce-source': '/homepage',
      'content-type': 'application/json',
      'ce-knativekafkapartition': '0',
      'ce-knativekafkaoffset': '5',
    });
  });

  it('percent-encodes what cannot be an HTTP header value', () => {
    expect(encodeHeaderValue('room 7')).toBe('room 7');
    expect(encodeHeaderValue('弹')).toBe('%E5%BC%B9');
    expect(encodeHeaderValue('100%')).toBe('100%25');
    expect(encodeHeaderValue('a\nb')).toBe('a%0Ab');
  });
});
