import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../workloads/kube-object';
import { coldStartsOf } from './cold-start';

const pod = (name: string, revision: string, created: string, ready: string | null): KubeObject => ({
  metadata: { name, creationTimestamp: created, labels: { 'serving.knative.dev/revision': revision } },
  status: { conditions: ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: ready }] : [] },
});

describe('coldStartsOf', () => {
  it('counts pods started while the revision had no ready pod, from creation to Ready', () => {
    const starts = coldStartsOf([
      pod('a', 'r-1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z'),
      pod('b', 'r-1', '2026-01-01T00:00:05Z', '2026-01-01T00:00:06Z'),
      pod('c', 'r-2', '2026-01-01T00:01:00Z', null),
    ]);
    expect(starts).toEqual([
      { revision: 'r-2', pod: 'c', createdAt: '2026-01-01T00:01:00Z', readyAt: null, ms: null },
      {
        revision: 'r-1',
        pod: 'a',
        createdAt: '2026-01-01T00:00:00Z',
        readyAt: '2026-01-01T00:00:02Z',
        ms: 2000,
      },
    ]);
  });
});
