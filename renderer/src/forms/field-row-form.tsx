// A one-line form: a text field that takes the width and its buttons beside the input (bottom-aligned, so a label
// above the input does not push them up). Enter submits. Used where one value is typed and acted on at once: a
// kubeconfig path to add, a gateway address to use.
import type { CSSProperties, FormEvent, ReactNode } from 'react';
import { TextField, type TextFieldProps } from './fields';

export function FieldRowForm({
  label,
  field,
  onSubmit,
  children,
  style,
}: {
  /** The form's accessible name. */
  label: string;
  field: TextFieldProps;
  onSubmit: () => void;
  /** The buttons (the first of type submit). */
  children: ReactNode;
  style?: CSSProperties;
}) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form className="row" style={{ alignItems: 'flex-end', ...style }} onSubmit={submit} aria-label={label}>
      <div style={{ flex: 1 }}>
        <TextField {...field} />
      </div>
      <div className="row" style={{ marginBottom: 10 }}>
        {children}
      </div>
    </form>
  );
}
