// The rows of a form bound to its state: `rows.text('image', 'Image', { hint })` is a TextField showing form.image,
// its error and writing back through `set`, so an editor lists its fields instead of repeating the same five props
// for each. Nested groups (`form.fc`, `form.delivery`) bind with `nestedRows`, whose names and error keys carry the
// group's prefix (`fc.roleArn`), as the engine's field causes name them.
import type { ReactElement } from 'react';
import { CheckboxField, SelectField, TextField } from './fields';

type KeysOf<F, V> = { [K in keyof F]-?: F[K] extends V ? K : never }[keyof F] & string;

export type FormSetter<F> = <K extends keyof F>(key: K, value: F[K]) => void;

export interface RowOptions {
  /** The input's name (and data-field) when it is not the key. */
  name?: string;
  hint?: string;
  placeholder?: string;
  disabled?: boolean;
}

export interface FormRows<F> {
  /** A text field; `type: 'number'` keeps the value a string but shows a number input. */
  text<K extends KeysOf<F, string>>(
    key: K,
    label: string,
    options?: RowOptions & { parse?: (value: string) => F[K]; type?: 'number' },
  ): ReactElement;
  /** A number field typed as text; empty is null unless `parse` says otherwise. */
  number<K extends KeysOf<F, number | null>>(
    key: K,
    label: string,
    options?: RowOptions & { parse?: (value: string) => F[K] },
  ): ReactElement;
  select<K extends KeysOf<F, string>>(
    key: K,
    label: string,
    choices: readonly { value: F[K] & string; label: string }[],
    options?: RowOptions,
  ): ReactElement;
  checkbox<K extends KeysOf<F, boolean>>(key: K, label: string, options?: RowOptions): ReactElement;
}

/** A typed number or null for an empty field (the check beside the field reports what is not a number). */
export function numberOrNull(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

export function formRows<F>(
  form: F,
  set: FormSetter<F>,
  errorOf: (key: string) => string | null,
  prefix = '',
): FormRows<F> {
  const common = (key: string, label: string, options: RowOptions) => ({
    label,
    name: options.name ?? `${prefix}${key}`,
    hint: options.hint,
    disabled: options.disabled,
    error: errorOf(`${prefix}${key}`),
  });
  return {
    text: (key, label, options = {}) => (
      <TextField
        {...common(key, label, options)}
        {...(options.type ? { type: options.type } : {})}
        placeholder={options.placeholder}
        value={form[key] as string}
        onChange={(value) => set(key, options.parse ? options.parse(value) : (value as F[typeof key]))}
      />
    ),
    number: (key, label, options = {}) => (
      <TextField
        {...common(key, label, options)}
        type="number"
        placeholder={options.placeholder}
        value={form[key] === null || form[key] === undefined ? '' : String(form[key])}
        onChange={(value) =>
          set(key, options.parse ? options.parse(value) : (numberOrNull(value) as F[typeof key]))
        }
      />
    ),
    select: (key, label, choices, options = {}) => (
      <SelectField
        {...common(key, label, options)}
        value={form[key] as string}
        options={choices}
        onChange={(value) => set(key, value as F[typeof key])}
      />
    ),
    checkbox: (key, label, options = {}) => {
      const { error: _error, disabled: _disabled, ...props } = common(key, label, options);
      return (
        <CheckboxField
          {...props}
          checked={form[key] as boolean}
          onChange={(value) => set(key, value as F[typeof key])}
        />
      );
    },
  };
}

/** Rows of a nested group `form[group]`: each change writes a copy of the group back. */
export function nestedRows<F, G extends keyof F & string>(
  form: F,
  group: G,
  set: FormSetter<F>,
  errorOf: (key: string) => string | null,
): FormRows<F[G]> {
  const value = form[group];
  return formRows(value, (key, next) => set(group, { ...value, [key]: next }), errorOf, `${group}.`);
}
