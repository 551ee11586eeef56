import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps items oldest-first until full', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
    expect(ring.last()).toBe(2);
  });

  it('overwrites the oldest item when full and returns it', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.at(0)).toBe(3);
    expect(ring.at(3)).toBeUndefined();
    expect(ring.size).toBe(3);
  });

  it('never grows past its capacity over a long stream', () => {
    const ring = new RingBuffer<number>(600);
    for (let i = 0; i < 10_000; i += 1) ring.push(i);
    expect(ring.size).toBe(600);
    expect(ring.at(0)).toBe(9_400);
    expect(ring.last()).toBe(9_999);
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
  });

  it('counts the overwritten items', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.dropped).toBe(2);
  });

  it('drains oldest first and empties', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.push('b');
    expect(ring.drain()).toEqual(['a', 'b']);
    expect(ring.size).toBe(0);
    ring.push('c');
    expect(ring.toArray()).toEqual(['c']);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
    expect(() => new RingBuffer(2.5)).toThrow(/positive integer/);
  });
});
