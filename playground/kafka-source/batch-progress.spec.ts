// Only the done prefix of a batch may be committed: with unordered delivery later records finish first, and a
// commit past a record still in flight would skip it after a crash.
import { describe, expect, it } from 'vitest';
import { BatchProgress } from './kafka-source-reconciler';

describe('BatchProgress', () => {
  it('counts the records done from the start, not the records done', () => {
    const progress = new BatchProgress(5);
    expect(progress.prefix).toBe(0);
    progress.complete(2);
    progress.complete(1);
    expect(progress.prefix).toBe(0); // record 0 is still in flight
    progress.complete(0);
    expect(progress.prefix).toBe(3);
    progress.complete(4);
    expect(progress.prefix).toBe(3);
    progress.complete(3);
    expect(progress.prefix).toBe(5);
  });

  it('is empty for an empty batch and stays put when a record completes twice', () => {
    expect(new BatchProgress(0).prefix).toBe(0);
    const progress = new BatchProgress(2);
    progress.complete(0);
    progress.complete(0);
    expect(progress.prefix).toBe(1);
  });
});
