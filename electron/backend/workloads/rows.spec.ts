import { describe, expect, it } from 'vitest';
import { kafkaSourceRow, podState, revisionRow, serviceRow } from './rows';

const fcService = {
  metadata: {
    name: 'demo-barrage',
    namespace: 'default',
    uid: 'u1',
    creationTimestamp: '2026-01-01T00:00:00Z',
    generation: 2,
    annotations: { 'workload.serving.knative.aliyun.com/class': 'fc' },
  },
  spec: {},
  status: {
    url: 'https://barrage.demo.knative.top',
    observedGeneration: 2,
    latestCreatedRevisionName: 'demo-barrage-00002',
    latestReadyRevisionName: 'demo-barrage-00001',
    traffic: [{ revisionName: 'demo-barrage-00001', latestRevision: true, percent: 100 }],
    conditions: [{ type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'image pull failed' }],
  },
};

describe('serviceRow', () => {
  it('maps kn columns and classifies FC by the Alibaba annotation', () => {
    expect(serviceRow(fcService)).toEqual({
      uid: 'u1',
      name: 'demo-barrage',
      namespace: 'default',
      kind: 'FC',
      url: 'https://barrage.demo.knative.top',
      ready: 'False',
      reason: 'RevisionFailed',
      message: 'image pull failed',
      latestCreatedRevision: 'demo-barrage-00002',
      latestReadyRevision: 'demo-barrage-00001',
      traffic: [
        { revisionName: 'demo-barrage-00001', latestRevision: true, percent: 100, tag: null, url: null },
      ],
      createdAt: '2026-01-01T00:00:00Z',
      generation: 2,
      observedGeneration: 2,
    });
  });

  it('calls a plain Service ECI and a Service without status Unknown, with no URL', () => {
    const row = serviceRow({
      metadata: { name: 'p', namespace: 'n', creationTimestamp: '2026-01-01T00:00:00Z' },
    });
    expect(row).toMatchObject({ kind: 'ECI', ready: 'Unknown', url: null, traffic: [] });
  });
});

describe('revisions, pods, sources', () => {
  it('gives a revision its share of traffic, including "latest" targets', () => {
    const revision = {
      metadata: {
        name: 'r1',
        creationTimestamp: '2026-01-01T00:00:00Z',
        annotations: { 'autoscaling.knative.dev/max-scale': '10' },
      },
      spec: { containerConcurrency: 2, containers: [{ image: 'img:1' }] },
    };
    const traffic = [
      { revisionName: null, latestRevision: true, percent: 80, tag: null, url: null },
      { revisionName: 'r1', latestRevision: false, percent: 20, tag: 'old', url: null },
    ];
    expect(revisionRow(revision, traffic, 'r1')).toMatchObject({
      trafficPercent: 100,
      maxScale: 10,
      containerConcurrency: 2,
      image: 'img:1',
    });
  });

  it('reads pod states as the console shows them', () => {
    expect(podState({ metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } })).toBe(
      'terminating',
    );
    expect(podState({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } })).toBe(
      'ready',
    );
    expect(podState({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } })).toBe(
      'pending',
    );
    expect(podState({ status: { phase: 'Failed' } })).toBe('failed');
  });

  it('names a KafkaSource sink', () => {
    const row = kafkaSourceRow({
      metadata: { name: 's', namespace: 'n' },
      spec: { topics: ['t'], bootstrapServers: ['b:9092'], sink: { ref: { kind: 'Service', name: 'proc' } } },
    });
    expect(row).toMatchObject({ sink: 'Service/proc', topics: ['t'], ready: 'Unknown' });
  });
});
