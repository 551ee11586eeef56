// A template's parameters as a form. Client-side problems show as soon as a field was touched; problems the
// engine reports for a field (render/apply errors with causes) show next to that field too.
import { useState } from 'react';
import type { TemplateParameter } from '../../../electron/common/schemas/deploy';
import { CheckboxField, SecretField, SelectField, TextField } from './fields';
import { validateParameter, type FormValues } from './parameter-values';

export function ParameterForm({
  parameters,
  values,
  onChange,
  serverErrors,
  showAllErrors,
}: {
  parameters: readonly TemplateParameter[];
  values: FormValues;
  onChange: (name: string, value: string | boolean) => void;
  /** Engine-reported problems by parameter name. */
  serverErrors: Record<string, string>;
  /** After a submit attempt every problem shows, touched or not. */
  showAllErrors: boolean;
}) {
  const [touched, setTouched] = useState<Set<string>>(new Set());

  function change(name: string, value: string | boolean): void {
    setTouched((previous) => (previous.has(name) ? previous : new Set(previous).add(name)));
    onChange(name, value);
  }

  return (
    <div className="form-grid">
      {parameters.map((parameter) => {
        const raw = values[parameter.name];
        const local = touched.has(parameter.name) || showAllErrors ? validateParameter(parameter, raw) : null;
        const error = local ?? serverErrors[parameter.name] ?? null;
        const label = parameter.required ? `${parameter.label} *` : parameter.label;
        const common = { label, name: parameter.name, hint: parameter.description, error };
        if (parameter.type === 'boolean') {
          return (
            <CheckboxField
              key={parameter.name}
              label={parameter.label}
              name={parameter.name}
              hint={parameter.description}
              checked={raw === true}
              onChange={(checked) => change(parameter.name, checked)}
            />
          );
        }
        const text = typeof raw === 'string' ? raw : '';
        if (parameter.type === 'enum' && parameter.options) {
          return (
            <SelectField
              key={parameter.name}
              {...common}
              value={text}
              options={parameter.options.map((option) => ({ value: option, label: option }))}
              onChange={(value) => change(parameter.name, value)}
            />
          );
        }
        if (parameter.type === 'secret') {
          return (
            <SecretField
              key={parameter.name}
              {...common}
              value={text}
              placeholder="stored in a Secret, never shown in previews"
              onChange={(value) => change(parameter.name, value)}
            />
          );
        }
        return (
          <TextField
            key={parameter.name}
            {...common}
            type={parameter.type === 'integer' || parameter.type === 'number' ? 'number' : 'text'}
            value={text}
            onChange={(value) => change(parameter.name, value)}
          />
        );
      })}
    </div>
  );
}
