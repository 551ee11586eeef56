import { describe, expect, it } from 'vitest';
import { GoDurationError, parseGoDuration } from './go-duration';

describe('parseGoDuration', () => {
  it('reads the units Knative writes, alone and combined', () => {
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('60s')).toBe(60_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration(' 1h ')).toBe(3_600_000);
    expect(parseGoDuration('0.5s')).toBe(500);
  });

  it('refuses what is not a Go duration, naming it', () => {
    expect(() => parseGoDuration('60')).toThrow(GoDurationError);
    expect(() => parseGoDuration('PT1M')).toThrow(/"PT1M" is not a duration/);
    expect(() => parseGoDuration('')).toThrow(GoDurationError);
  });
});
