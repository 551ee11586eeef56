import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { numberLimits, rangeText, withinLimits } from './limits';
import { barrageSendParams as sendParams } from './barrage';
import { serviceForm } from './manage';

describe('numberLimits', () => {
  it('reads min, max and wholeness through optional, nullable and default wrappers', () => {
    expect(numberLimits(z.number().int().min(1).max(500).default(10))).toEqual({
      min: 1,
      max: 500,
      integer: true,
    });
    expect(numberLimits(z.number().min(0.01).max(10_000).nullable().default(null))).toEqual({
      min: 0.01,
      max: 10_000,
      integer: false,
    });
    expect(numberLimits(z.number().optional())).toEqual({ min: null, max: null, integer: false });
    expect(() => numberLimits(z.string())).toThrow(/not a number/);
  });

  it('gives what the contract says, e.g. the sender and the service form', () => {
    expect(numberLimits(sendParams.shape.concurrency)).toMatchObject({ min: 1, integer: true });
    expect(numberLimits(serviceForm.shape.timeoutSeconds)).toMatchObject({ min: 1, integer: true });
  });

  it('agrees with the schema on what it accepts', () => {
    const schema = z.number().int().min(1).max(500);
    const limits = numberLimits(schema);
    for (const value of [0, 1, 1.5, 250, 500, 501, Number.NaN, Infinity]) {
      expect(withinLimits(value, limits), String(value)).toBe(schema.safeParse(value).success);
    }
  });

  it('says the range in words', () => {
    expect(rangeText({ min: 1, max: 600, integer: true })).toBe('1 to 600');
    expect(rangeText({ min: 0, max: null, integer: true })).toBe('0 or more');
    expect(rangeText({ min: null, max: 9, integer: true })).toBe('at most 9');
    expect(rangeText({ min: null, max: null, integer: false })).toBe('');
  });
});
