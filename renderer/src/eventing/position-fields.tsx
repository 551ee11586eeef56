// Where in a topic to start or reset to, when it is "an offset" or "a time": the field for that choice (the
// records browser and the offsets reset both ask it the same way).
import { TextField } from '../forms/fields';

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
