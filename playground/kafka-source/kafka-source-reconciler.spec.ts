import { describe, expect, it } from 'vitest';
import type { KnativeObject } from '../kube';
import {
  backoffFor,
  isClusterLocalHost,
  isRetryable,
  parseIsoDuration,
  resolveSink,
  withWebhookDefaults,
  type KafkaSource,
} from './kafka-source-reconciler';

function source(spec: KafkaSource['spec']): KafkaSource {
  return {
    apiVersion: 'sources.knative.dev/v1',
    kind: 'KafkaSource',
    metadata: { name: 'src', namespace: 'demo', uid: '1b2c' },
    spec,
  };
}

describe('delivery policy', () => {
  it('retries what Knative retries and backs off as upstream, without a cap', () => {
    expect([0, 404, 408, 409, 429, 500, 503].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 413, 422].some(isRetryable)).toBe(false);
    expect(parseIsoDuration('PT0.2S')).toBe(200);
    expect(parseIsoDuration('PT1M30S')).toBe(90_000);
    expect(backoffFor({ backoffPolicy: 'exponential', backoffDelay: 'PT0.2S' }, 3)).toBe(1600);
    expect(backoffFor({ backoffPolicy: 'linear', backoffDelay: 'PT0.5S' }, 3)).toBe(1500);
    expect(backoffFor({ backoffPolicy: 'exponential', backoffDelay: 'PT5S' }, 10)).toBe(5120_000);
    // The defaults (retry 10, exponential, PT0.3S) ride out a sink that is away for about ten minutes.
    const total = Array.from({ length: 10 }, (_, i) => backoffFor(undefined, i + 1)).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(613_800);
  });
});

describe('webhook defaults', () => {
  it('fills consumerGroup, consumers, initialOffset, ordering and the sink ref namespace', () => {
    expect(
      withWebhookDefaults(source({ topics: ['t'], sink: { ref: { kind: 'Service', name: 's' } } })),
    ).toEqual({
      topics: ['t'],
      consumerGroup: 'knative-kafka-source-1b2c',
      consumers: 1,
      initialOffset: 'latest',
      ordering: 'ordered',
      sink: { ref: { kind: 'Service', name: 's', namespace: 'demo' } },
    });
  });

  it('writes nothing once everything is set (no write loop)', () => {
    expect(
      withWebhookDefaults(
        source({
          consumerGroup: 'g',
          consumers: 2,
          initialOffset: 'earliest',
          ordering: 'unordered',
          sink: { uri: 'http://x/' },
        }),
      ),
    ).toBeUndefined();
  });
});

describe('sink resolution', () => {
  const services: Record<string, KnativeObject<unknown, { address?: { url?: string } }>> = {
    'demo/processing': {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'processing', namespace: 'demo' },
      spec: {},
      status: { address: { url: 'http://processing.demo.svc.cluster.local' } },
    },
    'demo/fresh': {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'fresh', namespace: 'demo' },
      spec: {},
    },
  };
  const kube = {
    get: async <T>(_resource: unknown, namespace: string, name: string) =>
      services[`${namespace}/${name}`] as T | undefined,
  } as Parameters<typeof resolveSink>[0];
  const ref = (name: string) => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name });

  it('uses the Service address (cluster-local), with a relative uri appended', async () => {
    expect(await resolveSink(kube, 'demo', { ref: ref('processing') })).toEqual({
      uri: 'http://processing.demo.svc.cluster.local',
    });
    expect(await resolveSink(kube, 'demo', { ref: ref('processing'), uri: '/events' })).toEqual({
      uri: 'http://processing.demo.svc.cluster.local/events',
    });
    expect(await resolveSink(kube, 'demo', { uri: 'http://127.0.0.1:9/x' })).toEqual({
      uri: 'http://127.0.0.1:9/x',
    });
  });

  it('says why a sink does not resolve', async () => {
    expect(await resolveSink(kube, 'demo', { ref: ref('missing') })).toEqual({
      error: 'Knative Service demo/missing not found',
    });
    expect(await resolveSink(kube, 'demo', { ref: ref('fresh') })).toEqual({
      error: 'Knative Service demo/fresh has no address yet',
    });
    expect(await resolveSink(kube, 'demo', { uri: '/relative' })).toEqual({
      error: 'sink uri "/relative" is not an absolute URL',
    });
    expect(
      await resolveSink(kube, 'demo', { ref: { apiVersion: 'v1', kind: 'Service', name: 'k' } }),
    ).toMatchObject({
      error: expect.stringMatching(/not supported/),
    });
  });

  it('routes cluster-local hosts through the gateway', () => {
    expect(isClusterLocalHost('processing.demo.svc.cluster.local')).toBe(true);
    expect(isClusterLocalHost('processing.demo.svc')).toBe(true);
    expect(isClusterLocalHost('127.0.0.1')).toBe(false);
    expect(isClusterLocalHost('processing.demo.localhost')).toBe(false);
  });
});
