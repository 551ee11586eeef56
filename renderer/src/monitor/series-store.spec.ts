import { describe, expect, it } from 'vitest';
import { SeriesStore } from './series-store';

describe('SeriesStore', () => {
  it('keeps each key bounded and in time order', () => {
    const store = new SeriesStore(3);
    for (let t = 1; t <= 5; t += 1) store.append('a', t * 1000, t);
    expect(store.get('a').map((p) => p.v)).toEqual([3, 4, 5]);
  });
  it('ignores points that are not newer (a re-sent history) and nulls', () => {
    const store = new SeriesStore(10);
    store.append('a', 1000, 1);
    store.append('a', 2000, 2);
    store.append('a', 1000, 9);
    store.append('a', 2000, 9);
    store.append('a', 3000, null);
    expect(store.get('a')).toEqual([
      { t: 1000, v: 1 },
      { t: 2000, v: 2 },
    ]);
  });
  it('reports the time span across keys and exports raw data', () => {
    const store = new SeriesStore(10);
    store.append('a', 5000, 1);
    store.append('b', 2000, 1);
    store.append('b', 9000, 1);
    expect(store.earliestTime()).toBe(2000);
    expect(store.latestTime()).toBe(9000);
    expect(Object.keys(store.toJSON())).toEqual(['a', 'b']);
  });
});
