// The numeric limits of a contract field, read from its zod schema, so a form can say "from 1 to 500" before it
// sends anything without keeping a copy of the numbers (the engine validates again with the same schema).
import type { z } from 'zod';

export interface NumberLimits {
  min: number | null;
  max: number | null;
  integer: boolean;
}

interface NumberSchemaFacts {
  minValue: number | null;
  maxValue: number | null;
  isInt: boolean;
}

/** Limits of a number field, looking through `.optional()`, `.nullable()` and `.default()`. */
export function numberLimits(schema: z.ZodType): NumberLimits {
  let inner: unknown = schema;
  while (inner && typeof inner === 'object' && 'unwrap' in inner && typeof inner.unwrap === 'function') {
    inner = (inner as { unwrap: () => unknown }).unwrap();
  }
  const facts = inner as Partial<NumberSchemaFacts> & { type?: string };
  if (facts.type !== 'number') throw new Error('numberLimits: not a number schema');
  const finite = (value: number | null | undefined) =>
    value === null || value === undefined || !Number.isFinite(value) ? null : value;
  return { min: finite(facts.minValue), max: finite(facts.maxValue), integer: facts.isInt === true };
}

/** True when `value` is within the limits (and whole where the field wants whole numbers). */
export function withinLimits(value: number, limits: NumberLimits): boolean {
  if (!Number.isFinite(value)) return false;
  if (limits.integer && !Number.isInteger(value)) return false;
  return (limits.min === null || value >= limits.min) && (limits.max === null || value <= limits.max);
}

/** "1 to 500", "0 or more", "at most 9" — the range in words (empty when unbounded). */
export function rangeText(limits: NumberLimits): string {
  const { min, max } = limits;
  if (min !== null && max !== null) return `${min} to ${max}`;
  if (min !== null) return `${min} or more`;
  if (max !== null) return `at most ${max}`;
  return '';
}
