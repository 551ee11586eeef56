import { monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { pooledRandom } from './pooled-random';

describe('pooledRandom', () => {
  it('hands out every byte of a fill once, as byte / 256, and refills only when the pool is used up', () => {
    let fills = 0;
    const random = pooledRandom(4, (pool) => {
      fills += 1;
      pool.set([0, 64, 128, 255].map((byte) => (byte + fills - 1) % 256));
    });
    const draws = Array.from({ length: 9 }, () => random());
    expect(fills).toBe(3);
    expect(draws.slice(0, 4)).toEqual([0, 0.25, 0.5, 255 / 256]);
    expect(draws.slice(4, 8)).toEqual([1 / 256, 65 / 256, 129 / 256, 0]);
    expect(draws[8]).toBe(2 / 256);
  });

  it('draws from the OS by default: values in [0, 1), every character of a ULID in use', () => {
    const random = pooledRandom(64);
    const values = Array.from({ length: 20_000 }, () => random());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const nextId = monotonicFactory(random);
    // Ids a millisecond apart each get a fresh random part (16 characters of Crockford's base32).
    const ids = Array.from({ length: 2_000 }, (_, index) => nextId(1_700_000_000_000 + index));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const characters = new Set(ids.flatMap((id) => [...id.slice(10)]));
    expect(characters.size).toBe(32);
  });
});
