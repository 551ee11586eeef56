import { describe, expect, it } from 'vitest';
import { kafkaSourceForm } from '../../common/schemas/kafka-source';
import { formToSource, sourceFieldOf, sourceToForm } from './kafka-source-form';

const form = kafkaSourceForm.parse({
  name: 'orders',
  namespace: 'shop',
  bootstrapServers: ['kafka:9092'],
  topics: ['orders'],
  consumerGroup: 'orders-group',
  initialOffset: 'earliest',
  sink: { kind: 'service', name: 'processing' },
  delivery: {
    retry: 4,
    backoffPolicy: 'linear',
    backoffDelay: 'PT1S',
    deadLetterSink: { kind: 'uri', uri: 'http://dls.example/' },
  },
  sasl: { enabled: true, user: { name: 'creds', key: 'user' }, password: { name: 'creds', key: 'password' } },
});

describe('KafkaSource form', () => {
  it('writes the object as upstream spells it', () => {
    expect(formToSource(form)).toEqual({
      apiVersion: 'sources.knative.dev/v1',
      kind: 'KafkaSource',
      metadata: { name: 'orders', namespace: 'shop' },
      spec: {
        bootstrapServers: ['kafka:9092'],
        topics: ['orders'],
        consumerGroup: 'orders-group',
        initialOffset: 'earliest',
        ordering: 'ordered',
        consumers: 1,
        net: {
          sasl: {
            enable: true,
            user: { secretKeyRef: { name: 'creds', key: 'user' } },
            password: { secretKeyRef: { name: 'creds', key: 'password' } },
          },
        },
        delivery: {
          retry: 4,
          backoffPolicy: 'linear',
          backoffDelay: 'PT1S',
          deadLetterSink: { uri: 'http://dls.example/' },
        },
        sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'processing' } },
      },
    });
  });

  it('reads back what it wrote', () => {
    expect(sourceToForm(formToSource(form))).toEqual({ form, notInForm: [] });
  });

  it('keeps what the form does not show on edit', () => {
    const live = formToSource(form);
    live.metadata = { ...live.metadata, labels: { team: 'a' }, resourceVersion: '7' };
    (live.spec as Record<string, unknown>).extensions = { x: '1' };
    (live.spec!.delivery as Record<string, unknown>).timeout = 'PT30S';
    live.status = { conditions: [] };
    const edited = formToSource(
      { ...form, sasl: { ...form.sasl, enabled: false }, delivery: { ...form.delivery, retry: null } },
      live,
    );
    expect(edited.metadata).toMatchObject({ labels: { team: 'a' }, resourceVersion: '7' });
    expect(edited.spec).toMatchObject({
      extensions: { x: '1' },
      delivery: { timeout: 'PT30S', backoffPolicy: 'linear' },
    });
    expect(edited.spec).not.toHaveProperty('net');
    expect(edited.spec!.delivery).not.toHaveProperty('retry');
    expect(edited).not.toHaveProperty('status');
    expect(sourceToForm(live).notInForm).toEqual(['spec.extensions', 'spec.delivery.timeout']);
  });

  it('maps server field paths to form fields', () => {
    expect(sourceFieldOf('spec.topics: Required value')).toBe('topics');
    expect(sourceFieldOf('invalid value: spec.delivery.backoffDelay')).toBe('delivery.backoffDelay');
    expect(sourceFieldOf('missing field(s): spec.sink')).toBe('sink');
  });
});
