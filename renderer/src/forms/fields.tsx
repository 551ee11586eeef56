// Labelled inputs with their hint and inline error tied together for screen readers (aria-describedby) and marked
// invalid (aria-invalid) so the error shows next to the field it concerns.
import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { Options } from './options';

interface FieldShellProps {
  label: string;
  hint?: string | null;
  error?: string | null;
  children: (ids: ShellIds) => ReactNode;
}

function FieldShell({ label, hint, error, children }: FieldShellProps) {
  const inputId = useId();
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {children({ inputId, describedBy, invalid: Boolean(error) })}
      {hint ? (
        <div id={hintId} className="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={errorId} className="error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

type ShellIds = { inputId: string; describedBy: string | undefined; invalid: boolean };

/** What every input and select of a field carries: its id and name, its value, and the hint/error wiring. */
function controlProps(
  { inputId, describedBy, invalid }: ShellIds,
  {
    name,
    value,
    disabled,
    onChange,
  }: { name: string; value: string; disabled?: boolean; onChange: (value: string) => void },
) {
  return {
    id: inputId,
    name,
    'data-field': name,
    value,
    disabled,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange(event.target.value),
  };
}

export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | null;
  error?: string | null;
  type?: 'text' | 'number' | 'url';
  placeholder?: string;
  disabled?: boolean;
}

export function TextField(props: TextFieldProps) {
  const { type = 'text', placeholder } = props;
  return (
    <FieldShell {...props}>
      {(ids) => (
        <input
          {...controlProps(ids, props)}
          // Numbers are typed into a text input: a number input silently empties itself on "ten", which would
          // hide exactly the mistake the inline check is there to report.
          type={type === 'number' ? 'text' : type}
          inputMode={type === 'number' ? 'decimal' : undefined}
          placeholder={placeholder}
        />
      )}
    </FieldShell>
  );
}

/** A secret: hidden by default, never autocompleted or spell-checked, with a show/hide toggle. */
export function SecretField(props: TextFieldProps) {
  const { label, placeholder } = props;
  const [shown, setShown] = useState(false);
  return (
    <FieldShell {...props}>
      {(ids) => (
        <div className="field-inline">
          <input
            {...controlProps(ids, props)}
            type={shown ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            placeholder={placeholder}
          />
          <button
            type="button"
            className="btn"
            aria-pressed={shown}
            aria-label={shown ? `Hide ${label}` : `Show ${label}`}
            onClick={() => setShown((value) => !value)}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
      )}
    </FieldShell>
  );
}

export function SelectField({
  label,
  name,
  value,
  options,
  onChange,
  hint,
  error,
  disabled,
}: {
  label: string;
  name: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  hint?: string | null;
  error?: string | null;
  disabled?: boolean;
}) {
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(ids) => (
        <select {...controlProps(ids, { name, value, disabled, onChange })}>
          <Options choices={options} />
        </select>
      )}
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  name,
  checked,
  onChange,
  hint,
}: {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string | null;
}) {
  const id = useId();
  return (
    <div className="field">
      <div className="row">
        <input
          id={id}
          name={name}
          data-field={name}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}
