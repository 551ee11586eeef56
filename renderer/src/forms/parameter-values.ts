// Turning what a user typed into template parameter values, and saying what is wrong as they type. The engine
// validates again with the template's zod schema (it has rules we do not know, e.g. patterns); this check gives
// immediate feedback for what the contract tells us: required, numeric type, whole numbers, min and max, options.
import type { TemplateParameter } from '../../../electron/common/schemas/deploy';

export type ParameterValue = string | number | boolean;
/** Raw form state: text fields hold what was typed, checkboxes hold booleans. */
export type FormValues = Record<string, string | boolean>;

/** A record keyed by parameter name of what `valueOf` says for each parameter; undefined leaves it out. */
function byName<T>(
  parameters: readonly TemplateParameter[],
  valueOf: (parameter: TemplateParameter) => T | undefined,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const parameter of parameters) {
    const value = valueOf(parameter);
    if (value !== undefined) out[parameter.name] = value;
  }
  return out;
}

export function initialFormValues(
  parameters: readonly TemplateParameter[],
  current: FormValues = {},
): FormValues {
  return byName(parameters, (parameter) => {
    if (parameter.name in current) return current[parameter.name] as string | boolean;
    if (parameter.type === 'boolean') return parameter.default === true;
    return parameter.default === null ? '' : String(parameter.default);
  });
}

/** The problem with one field's value, or null when it is acceptable. */
export function validateParameter(
  parameter: TemplateParameter,
  raw: string | boolean | undefined,
): string | null {
  if (parameter.type === 'boolean') return null;
  const text = typeof raw === 'string' ? raw : '';
  if (text.trim() === '') return parameter.required ? 'Required.' : null;
  if (parameter.type === 'integer' || parameter.type === 'number') {
    const value = Number(text);
    if (!Number.isFinite(value)) return 'Must be a number.';
    if (parameter.type === 'integer' && !Number.isInteger(value)) return 'Must be a whole number.';
    if (parameter.min !== null && value < parameter.min) return `Must be at least ${parameter.min}.`;
    if (parameter.max !== null && value > parameter.max) return `Must be at most ${parameter.max}.`;
    return null;
  }
  if (parameter.type === 'enum' && parameter.options && !parameter.options.includes(text)) {
    return `Must be one of ${parameter.options.join(', ')}.`;
  }
  // For strings the contract's min/max are lengths.
  if (parameter.min !== null && text.length < parameter.min)
    return `Must be at least ${parameter.min} characters.`;
  if (parameter.max !== null && text.length > parameter.max)
    return `Must be at most ${parameter.max} characters.`;
  return null;
}

export function validateAll(
  parameters: readonly TemplateParameter[],
  values: FormValues,
): Record<string, string> {
  return byName(parameters, (parameter) => validateParameter(parameter, values[parameter.name]) ?? undefined);
}

/**
 * Form state → the values sent to the engine. Empty optional fields are left out so the template's default
 * applies; numbers become numbers. Call only after validateAll found nothing.
 */
export function toParameterValues(
  parameters: readonly TemplateParameter[],
  values: FormValues,
): Record<string, ParameterValue> {
  return byName<ParameterValue>(parameters, (parameter) => {
    const raw = values[parameter.name];
    if (parameter.type === 'boolean') return raw === true;
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') return undefined;
    return parameter.type === 'integer' || parameter.type === 'number' ? Number(text) : text;
  });
}
