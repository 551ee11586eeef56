import { describe, expect, it } from 'vitest';
import { downsampleMinMax, sliceWindow, withinDomain, type SeriesPoint } from './downsample';

function series(values: number[]): SeriesPoint[] {
  return values.map((v, i) => ({ t: i * 1000, v }));
}

describe('downsampleMinMax', () => {
  it('returns short series unchanged', () => {
    const input = series([1, 2, 3]);
    expect(downsampleMinMax(input, 100)).toEqual(input);
  });

  it('bounds the output to the pixel budget', () => {
    const input = series(Array.from({ length: 6000 }, (_, i) => Math.sin(i / 50)));
    const out = downsampleMinMax(input, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.length).toBeGreaterThan(100);
  });

  it('keeps a single-sample spike and dip visible', () => {
    const values = Array.from({ length: 5000 }, () => 10);
    values[1234] = 999;
    values[4321] = -5;
    const out = downsampleMinMax(series(values), 200);
    expect(Math.max(...out.map((p) => p.v))).toBe(999);
    expect(Math.min(...out.map((p) => p.v))).toBe(-5);
  });

  it('keeps the first and last sample and time order', () => {
    const input = series(Array.from({ length: 1000 }, (_, i) => i % 7));
    const out = downsampleMinMax(input, 40);
    expect(out[0]).toEqual(input[0]);
    expect(out[out.length - 1]).toEqual(input[input.length - 1]);
    for (let i = 1; i < out.length; i += 1) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
  });
});

describe('sliceWindow', () => {
  it('keeps points inside the window, inclusive', () => {
    const out = sliceWindow(series([0, 1, 2, 3, 4]), 1000, 3000);
    expect(out.map((p) => p.v)).toEqual([1, 2, 3]);
  });
});

describe('withinDomain (chart edges)', () => {
  it('keeps one point on each side of the window so lines cross its edges', () => {
    const points = [0, 1, 2, 3, 4, 5].map((i) => ({ t: i * 1000, v: i }));
    expect(withinDomain(points, [2500, 3500]).map((p) => p.v)).toEqual([2, 3, 4]);
    expect(withinDomain(points, [10_000, 20_000]).map((p) => p.v)).toEqual([5]);
    expect(withinDomain(points, [-5000, -1000]).map((p) => p.v)).toEqual([0]);
    expect(withinDomain([], [0, 1])).toEqual([]);
  });
});
