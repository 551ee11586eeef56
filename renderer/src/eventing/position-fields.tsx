// Where in a topic to start or reset to: the choice (PositionPicker, in the same words wherever it is asked), then
// for "an offset" or "a time" the field for it, and one reading of what was typed (chosenPosition). The records
// browser and the offsets reset ask it the same way, each keeping its choice in usePosition.
import { useState } from 'react';
import { SelectField, TextField } from '../forms/fields';

const positionLabels = {
  end: 'The end (newest records)',
  earliest: 'Earliest retained record',
  latest: 'Latest (skip everything waiting)',
  time: 'A time',
  offset: 'An offset',
} as const;
export type PositionKind = keyof typeof positionLabels;

/** A position as the engine takes it: an offset as typed (int64 as a string), a time in epoch ms, or a named end. */
export type ChosenPosition<K extends PositionKind> =
  { kind: Exclude<K, 'offset' | 'time'> } | { kind: 'offset'; offset: string } | { kind: 'time'; at: number };

/** What the fields say, or in words what is wrong with them (an offset that is not a whole number, no time). */
export function chosenPosition<K extends PositionKind>(
  kind: K,
  offset: string,
  time: string,
): { position: ChosenPosition<K> } | { problem: string } {
  if (kind === 'offset') {
    const typed = offset.trim();
    if (!/^\d{1,19}$/.test(typed)) return { problem: 'The offset is a whole number (0 or more).' };
    return { position: { kind: 'offset', offset: typed } };
  }
  if (kind === 'time') {
    // "2026-11-28 06:00:00" as typed: local time, as the placeholder shows it.
    const at = Date.parse(time.trim().replace(' ', 'T'));
    if (Number.isNaN(at)) return { problem: 'Pick a date and time, such as 2026-11-28 06:00:00.' };
    return { position: { kind: 'time', at } };
  }
  return { position: { kind } as ChosenPosition<K> };
}

/** The picker's state: the kind chosen and the offset and time typed (kept when the kind changes back). */
export function usePosition<K extends PositionKind>(initial: K) {
  const [kind, setKind] = useState<K>(initial);
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  return {
    kind,
    offset,
    time,
    setKind,
    setOffset,
    setTime,
    chosen: () => chosenPosition(kind, offset, time),
  };
}
export type PositionState<K extends PositionKind> = ReturnType<typeof usePosition<K>>;

/** A select of the positions `kinds` offers, followed by the offset or time field the chosen one needs. */
export function PositionPicker<K extends PositionKind>({
  label,
  name,
  kinds,
  position,
  prefix,
  timeHint,
}: {
  label: string;
  name: string;
  kinds: readonly K[];
  position: PositionState<K>;
  /** Names the inputs `<prefix>-offset` and `<prefix>-time`. */
  prefix: string;
  timeHint?: string;
}) {
  return (
    <>
      <SelectField
        label={label}
        name={name}
        value={position.kind}
        options={kinds.map((value) => ({ value, label: positionLabels[value] }))}
        onChange={(value) => position.setKind(value as K)}
      />
      <PositionFields
        prefix={prefix}
        kind={position.kind}
        offset={position.offset}
        time={position.time}
        onOffset={position.setOffset}
        onTime={position.setTime}
        timeHint={timeHint}
      />
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
