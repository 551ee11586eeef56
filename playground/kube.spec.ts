// When the playground's own controllers skip a status write: an unchanged status is not rewritten on every pass
// (idle API writes), whatever order its keys come in.
import { describe, expect, it } from 'vitest';
import { sameStatus } from './kube';

describe('sameStatus', () => {
  // As the API server answers: keys sorted (Go's encoding/json of the stored object).
  const stored = {
    conditions: [
      {
        lastTransitionTime: '2026-11-29T02:00:00Z',
        message: 'joining',
        reason: 'Connecting',
        status: 'Unknown',
        type: 'ConsumerGroup',
      },
      { lastTransitionTime: '2026-11-29T02:00:00Z', status: 'True', type: 'SinkProvided' },
    ],
    observedGeneration: 2,
    sinkUri: 'http://processing.demo.svc.cluster.local',
  };

  it('takes the same status in another key order, and with other transition times, as unchanged', () => {
    const computed = {
      sinkUri: 'http://processing.demo.svc.cluster.local',
      observedGeneration: 2,
      conditions: [
        {
          type: 'ConsumerGroup',
          status: 'Unknown',
          reason: 'Connecting',
          message: 'joining',
          lastTransitionTime: 'later',
        },
        { type: 'SinkProvided', status: 'True', reason: undefined },
      ],
    };
    expect(sameStatus(stored, computed)).toBe(true);
  });

  it('sees a changed condition, a changed field, and a reordered list', () => {
    const flipped = structuredClone(stored);
    flipped.conditions[0]!.status = 'True';
    expect(sameStatus(stored, flipped)).toBe(false);
    expect(sameStatus(stored, { ...stored, observedGeneration: 3 })).toBe(false);
    expect(sameStatus(stored, { ...stored, conditions: [...stored.conditions].reverse() })).toBe(false);
  });
});
