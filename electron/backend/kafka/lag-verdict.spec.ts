import { describe, expect, it } from 'vitest';
import { groupVerdict, isStuck, partitionVerdict, type PartitionObservation } from './lag-verdict';

function window(...points: [committed: string | null, lag: string][]): PartitionObservation[] {
  return points.map(([committed, lag], index) => ({ at: index * 5000, committed, lag }));
}

describe('partitionVerdict (Burrow-style)', () => {
  it('waits for three samples', () => {
    expect(partitionVerdict(window(['1', '5'], ['2', '5']), null)).toEqual({
      status: 'UNKNOWN',
      reason: 'collecting samples (2 of 3)',
    });
  });

  it('waits until the samples cover most of the window', () => {
    expect(partitionVerdict(window(['7', '3'], ['7', '5'], ['7', '9']), true, 60_000)).toEqual({
      status: 'UNKNOWN',
      reason: 'collecting samples (10 s of 60 s)',
    });
  });

  it('is OK when the lag touched zero or shrinks while commits move', () => {
    expect(partitionVerdict(window(['1', '3'], ['4', '0'], ['4', '2']), null).status).toBe('OK');
    expect(partitionVerdict(window(['10', '0'], ['10', '0'], ['10', '0']), null)).toEqual({
      status: 'OK',
      reason: 'caught up',
    });
    expect(partitionVerdict(window(['1', '30'], ['20', '20'], ['40', '10']), null)).toEqual({
      status: 'OK',
      reason: 'commits move and lag shrank from 30 to 10 in 10 s',
    });
  });

  it('is WARN when commits move but the lag does not shrink', () => {
    expect(partitionVerdict(window(['1', '10'], ['5', '12'], ['9', '15']), null)).toEqual({
      status: 'WARN',
      reason: 'commits move but lag grew from 10 to 15 in 10 s',
    });
  });

  it('is STALL with a live consumer and STOP without one when the offset does not move', () => {
    const stuck = window(['7', '3'], ['7', '5'], ['7', '9']);
    expect(isStuck(stuck)).toBe(true);
    expect(partitionVerdict(stuck, true)).toEqual({
      status: 'STALL',
      reason:
        'the consumer is connected but made no progress for 10 s (committed offset 7); 9 records waiting',
    });
    expect(partitionVerdict(stuck, false).status).toBe('STOP');
    expect(partitionVerdict(stuck, false).reason).toMatch(/no consumer is running/);
  });

  it('is REWIND when the committed offset goes back', () => {
    expect(partitionVerdict(window(['50', '1'], ['0', '51'], ['3', '48']), true)).toEqual({
      status: 'REWIND',
      reason: 'the committed offset went back from 50 to 0',
    });
  });
});

describe('groupVerdict', () => {
  it('takes the worst partition and names it', () => {
    const verdicts = new Map([
      [0, { status: 'OK' as const, reason: 'caught up' }],
      [1, { status: 'STALL' as const, reason: 'stuck' }],
      [2, { status: 'STALL' as const, reason: 'stuck too' }],
      [3, { status: 'WARN' as const, reason: 'behind' }],
    ]);
    expect(groupVerdict(verdicts)).toEqual({
      status: 'STALL',
      reason: 'partition 1: stuck (and 1 more partition)',
    });
    expect(groupVerdict(new Map([[0, { status: 'OK' as const, reason: 'caught up' }]]))).toEqual({
      status: 'OK',
      reason: 'every partition is caught up',
    });
    // Still OK, but saying where the lag is.
    expect(
      groupVerdict(
        new Map([
          [0, { status: 'OK' as const, reason: 'caught up' }],
          [1, { status: 'OK' as const, reason: 'caught up within the last 9 s' }],
        ]),
      ),
    ).toEqual({ status: 'OK', reason: 'partition 0: caught up (and 1 more partition)' });
  });
});
