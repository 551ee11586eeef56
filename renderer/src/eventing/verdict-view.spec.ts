import { describe, expect, it } from 'vitest';
import { catchUpText, formatSeconds } from './verdict-view';

describe('formatSeconds', () => {
  it('reads naturally at every scale', () => {
    expect(formatSeconds(0.44)).toBe('0.4 s');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
    expect(formatSeconds(7300)).toBe('2 h 1 min');
    expect(formatSeconds(null)).toBe('–');
  });
});

describe('catchUpText', () => {
  it('says when the group is not catching up', () => {
    expect(catchUpText(null, '120')).toBe('not catching up');
    expect(catchUpText(30, '120')).toBe('about 30 s');
    expect(catchUpText(null, '0')).toBe('caught up');
  });
});
