// A select beside its label in a toolbar row (the Monitor's Window, Service and Lag of; the Logs tab's filters):
// compact, unlike SelectField's form layout with hint and error. Given `empty`, it is disabled and shows that text
// while there is nothing to choose; given `all`, its first choice (value '') means no filter.
import { Options, type Choice } from './options';

export function ToolbarSelect({
  id,
  label,
  value,
  choices,
  onChange,
  empty,
  all,
  maxWidth,
}: {
  id: string;
  label: string;
  value: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
  empty?: string;
  all?: string;
  maxWidth?: number;
}) {
  const nothing = empty !== undefined && choices.length === 0;
  return (
    <span className="control-pair">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={nothing}
        style={maxWidth ? { maxWidth } : undefined}
      >
        {nothing ? <option value="">{empty}</option> : null}
        {all !== undefined ? <option value="">{all}</option> : null}
        <Options choices={choices} />
      </select>
    </span>
  );
}
