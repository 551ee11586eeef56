import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../workloads/kube-object';
import { countFor } from './pod-series';

const pod = (service: string, phase: string, ready: boolean, deleting = false): KubeObject => ({
  metadata: {
    name: `${service}-${Math.random()}`,
    labels: { 'serving.knative.dev/service': service },
    ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('countFor', () => {
  it('splits pods into ready, pending and terminating for one Service only', () => {
    const pods = [
      pod('a', 'Running', true),
      pod('a', 'Running', false),
      pod('a', 'Pending', false),
      pod('a', 'Running', true, true),
      pod('b', 'Running', true),
    ];
    expect(countFor('a', pods, [], 5)).toEqual({
      at: 5,
      ready: 1,
      pending: 2,
      terminating: 1,
      desired: null,
      actual: null,
    });
  });

  it('sums desired and actual scale over revisions and ignores -1 (undecided)', () => {
    const pa = (desired: number, actual: number): KubeObject => ({
      metadata: { labels: { 'serving.knative.dev/service': 'a' } },
      status: { desiredScale: desired, actualScale: actual },
    });
    expect(countFor('a', [], [pa(3, 2), pa(1, 1)], 0)).toMatchObject({ desired: 4, actual: 3 });
    expect(countFor('a', [], [pa(-1, 0)], 0)).toMatchObject({ desired: null, actual: 0 });
  });
});
