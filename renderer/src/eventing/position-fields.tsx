// Where in a topic to start or reset to: the choice (PositionPicker, in the same words wherever it is asked), then
// for "an offset" or "a time" the field for it (the records browser and the offsets reset ask it the same way).
import { SelectField, TextField } from '../forms/fields';

const positionLabels = {
  end: 'The end (newest records)',
  earliest: 'Earliest retained record',
  latest: 'Latest (skip everything waiting)',
  time: 'A time',
  offset: 'An offset',
} as const;
export type PositionKind = keyof typeof positionLabels;

type PositionFieldsProps = Parameters<typeof PositionFields>[0];

/** A select of the positions `kinds` offers, followed by the offset or time field the chosen one needs. */
export function PositionPicker<K extends PositionKind>({
  label,
  name,
  kinds,
  kind,
  onKind,
  ...fields
}: Omit<PositionFieldsProps, 'kind'> & {
  label: string;
  name: string;
  kinds: readonly K[];
  kind: K;
  onKind: (kind: K) => void;
}) {
  return (
    <>
      <SelectField
        label={label}
        name={name}
        value={kind}
        options={kinds.map((value) => ({ value, label: positionLabels[value] }))}
        onChange={(value) => onKind(value as K)}
      />
      <PositionFields kind={kind} {...fields} />
    </>
  );
}

export function PositionFields({
  prefix,
  kind,
  offset,
  time,
  onOffset,
  onTime,
  timeHint,
}: {
  /** Names the inputs `<prefix>-offset` and `<prefix>-time`. */
  prefix: string;
  kind: string;
  offset: string;
  time: string;
  onOffset: (offset: string) => void;
  onTime: (time: string) => void;
  timeHint?: string;
}) {
  if (kind === 'offset')
    return (
      <TextField label="Offset" name={`${prefix}-offset`} type="number" value={offset} onChange={onOffset} />
    );
  if (kind === 'time')
    return (
      <TextField
        label="Time"
        name={`${prefix}-time`}
        value={time}
        placeholder="2026-11-28 06:00:00"
        hint={timeHint}
        onChange={onTime}
      />
    );
  return null;
}
