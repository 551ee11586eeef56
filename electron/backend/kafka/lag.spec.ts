import { describe, expect, it } from 'vitest';
import { catchUpSeconds, computeLag, lagTrend, ratesBetween } from './lag';

describe('computeLag', () => {
  /** Lag of group g on topic t from the topic's watermarks and the group's committed offsets. */
  const lagOf = (watermarks: Parameters<typeof computeLag>[2], committed: Parameters<typeof computeLag>[3]) =>
    computeLag('g', 't', watermarks, committed, 1);
  it('subtracts the committed offset from the high watermark', () => {
    const lag = lagOf([{ partition: 0, high: '100', low: '0' }], [{ partition: 0, offset: '40' }]);
    expect(lag.partitions[0]).toEqual({ partition: 0, committed: '40', low: '0', high: '100', lag: '60' });
    expect(lag.totalLag).toBe('60');
  });

  it('counts from the low watermark when nothing is committed, not from 0', () => {
    const lag = lagOf([{ partition: 0, high: '500', low: '450' }], [{ partition: 0, offset: '-1' }]);
    expect(lag.partitions[0]?.lag).toBe('50');
    expect(lag.partitions[0]?.committed).toBeNull();
  });

  it('treats partitions missing from the group offsets as uncommitted', () => {
    const lag = lagOf([{ partition: 1, high: '7', low: '2' }], []);
    expect(lag.totalLag).toBe('5');
  });

  it('stays exact beyond 2^53', () => {
    const high = '9223372036854775000';
    const lag = lagOf([{ partition: 0, high, low: '0' }], [{ partition: 0, offset: '1' }]);
    expect(lag.totalLag).toBe('9223372036854774999');
  });

  it('sums partitions and never goes negative', () => {
    const lag = lagOf(
      [
        { partition: 0, high: '10', low: '0' },
        { partition: 1, high: '5', low: '0' },
      ],
      [
        { partition: 0, offset: '12' },
        { partition: 1, offset: '2' },
      ],
    );
    expect(lag.partitions.map((p) => p.lag)).toEqual(['0', '3']);
    expect(lag.totalLag).toBe('3');
  });
});

describe('rates and trend', () => {
  const snap = (at: number, high: string, committed: string | null) =>
    computeLag(
      'g',
      't',
      [{ partition: 0, high, low: '0' }],
      committed ? [{ partition: 0, offset: committed }] : [],
      at,
    );

  it('derives produce and consume rates from offset deltas', () => {
    const sample = ratesBetween(snap(0, '100', '50'), snap(2000, '140', '80'));
    expect(sample.produceRate).toBe(20);
    expect(sample.consumeRate).toBe(15);
  });

  it('has no consume rate baseline for a first commit', () => {
    expect(ratesBetween(snap(0, '10', null), snap(1000, '10', '5')).consumeRate).toBe(0);
  });

  it('calls growing, shrinking and steady lag', () => {
    const series = (lags: number[]) =>
      lags.map((lag, i) => ({ at: i * 1000, totalLag: String(lag), produceRate: 0, consumeRate: 0 }));
    expect(lagTrend(series([0, 10, 20, 30]))).toBe('growing');
    expect(lagTrend(series([300, 200, 100, 0]))).toBe('shrinking');
    expect(lagTrend(series([100, 101, 100, 100]))).toBe('steady');
    expect(lagTrend(series([1, 2]))).toBe('unknown');
  });

  it('estimates catch-up time only when consuming faster than producing', () => {
    expect(catchUpSeconds({ at: 0, totalLag: '100', produceRate: 5, consumeRate: 15 })).toBe(10);
    expect(catchUpSeconds({ at: 0, totalLag: '100', produceRate: 15, consumeRate: 5 })).toBeNull();
    expect(catchUpSeconds({ at: 0, totalLag: '0', produceRate: null, consumeRate: null })).toBe(0);
  });
});
