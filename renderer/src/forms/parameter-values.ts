// Turning what a user typed into template parameter values, and saying what is wrong as they type. The engine
// validates again with the template's zod schema (it has rules we do not know, e.g. patterns); this check gives
// immediate feedback for what the contract tells us: required, numeric type, whole numbers, min and max, options.
import type { TemplateParameter } from '../../../electron/common/schemas/deploy';

export type ParameterValue = string | number | boolean;
/** Raw form state: text fields hold what was typed, checkboxes hold booleans. */
export type FormValues = Record<string, string | boolean>;

export function initialFormValues(
  parameters: readonly TemplateParameter[],
  current: FormValues = {},
): FormValues {
  const values: FormValues = {};
  for (const parameter of parameters) {
    if (parameter.name in current) values[parameter.name] = current[parameter.name] as string | boolean;
    else if (parameter.type === 'boolean') values[parameter.name] = parameter.default === true;
    else values[parameter.name] = parameter.default === null ? '' : String(parameter.default);
  }
  return values;
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
  const errors: Record<string, string> = {};
  for (const parameter of parameters) {
    const problem = validateParameter(parameter, values[parameter.name]);
    if (problem) errors[parameter.name] = problem;
  }
  return errors;
}

/**
 * Form state → the values sent to the engine. Empty optional fields are left out so the template's default
 * applies; numbers become numbers. Call only after validateAll found nothing.
 */
export function toParameterValues(
  parameters: readonly TemplateParameter[],
  values: FormValues,
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const parameter of parameters) {
    const raw = values[parameter.name];
    if (parameter.type === 'boolean') {
      out[parameter.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') continue;
    out[parameter.name] = parameter.type === 'integer' || parameter.type === 'number' ? Number(text) : text;
  }
  return out;
}
