import { describe, expect, it } from 'vitest';
import { chosenPosition } from './position-fields';

describe('chosenPosition (one reading of "where in the topic" for the browser and the reset)', () => {
  it('passes named ends through', () => {
    expect(chosenPosition('end', 'x', 'y')).toEqual({ position: { kind: 'end' } });
    expect(chosenPosition('earliest', '', '')).toEqual({ position: { kind: 'earliest' } });
  });

  it('takes an offset as typed, trimmed, and refuses what is not a whole number', () => {
    expect(chosenPosition('offset', ' 42 ', '')).toEqual({ position: { kind: 'offset', offset: '42' } });
    expect(chosenPosition('offset', '9223372036854775807', '')).toEqual({
      position: { kind: 'offset', offset: '9223372036854775807' },
    });
    for (const typed of ['-1', '1.5', '', 'ten', '12345678901234567890']) {
      expect(chosenPosition('offset', typed, '')).toEqual({
        problem: 'The offset is a whole number (0 or more).',
      });
    }
  });

  it('reads a time as typed in the placeholder (local time) and refuses an empty or unreadable one', () => {
    const at = new Date(2026, 10, 28, 6, 0, 0).getTime();
    expect(chosenPosition('time', '', '2026-11-28 06:00:00')).toEqual({ position: { kind: 'time', at } });
    expect(chosenPosition('time', '', '2026-11-28T06:00:00')).toEqual({ position: { kind: 'time', at } });
    for (const typed of ['', 'tomorrow']) {
      expect(chosenPosition('time', '', typed)).toEqual({
        problem: 'Pick a date and time, such as 2026-11-28 06:00:00.',
      });
    }
  });
});
