// Quick action: point a KafkaSource at another Knative Service of the namespace. It reads the source as the form
// does, changes only the sink, and goes through the same preview (diff with the cluster after the server's dry run)
// and apply as the full form; the edit is guarded by the generation read, so a source changed meanwhile is a 409.
import { useState } from 'react';
import { ErrorState } from '../components/state-views';
import { describeError } from '../engine/engine-client';
import { useOperation } from '../engine/engine-context';
import { SelectField } from '../forms/fields';
import { ChangeOutcome } from '../manage/change-plan';
import { useSourceChange } from './use-source-change';

export function MoveSinkPanel({
  context,
  namespace,
  name,
  currentSink,
  onMoved,
}: {
  context: string;
  namespace: string;
  name: string;
  currentSink: string | null;
  onMoved: () => void;
}) {
  const live = useOperation('eventing:sourceForm', { context, namespace, name }, `move:${namespace}/${name}`);
  const services = useOperation('workloads:list', { context, namespace }, `ksvc:${context}/${namespace}`);
  const [target, setTarget] = useState('');
  const change = useSourceChange();
  const choices = (services.data?.rows ?? [])
    .map((row) => row.name)
    .filter((service) => `Service/${service}` !== currentSink);
  const request = () =>
    live.data
      ? {
          context,
          mode: 'edit' as const,
          form: { ...live.data.form, sink: { kind: 'service' as const, name: target } },
          ...(typeof live.data.generation === 'number' ? { generation: live.data.generation } : {}),
        }
      : null;

  return (
    <div className="panel" data-testid="move-sink">
      <h2>Move the sink</h2>
      <p className="hint">Now: {currentSink ?? 'none'}. The source keeps its group and offsets.</p>
      {live.error ? <ErrorState title="Source unavailable" error={describeError(live.error)} /> : null}
      <div className="row">
        <SelectField
          label="To Knative Service"
          name="move-sink-target"
          value={target}
          options={[{ value: '', label: 'Choose…' }, ...choices.map((c) => ({ value: c, label: c }))]}
          onChange={(value) => {
            setTarget(value);
            change.reset();
          }}
        />
        <button
          type="button"
          className="btn"
          data-testid="move-sink-preview"
          disabled={!target || !live.data || change.planning}
          onClick={() => {
            const built = request();
            if (built) void change.preview(built);
          }}
        >
          Preview
        </button>
        <button
          type="button"
          className="btn primary"
          data-testid="move-sink-apply"
          disabled={!change.plan || Boolean(change.plan.error) || change.applying || change.applied}
          onClick={() => {
            const built = request();
            if (built) change.apply(built);
          }}
        >
          Move
        </button>
        {change.applied ? (
          <button type="button" className="btn" onClick={onMoved}>
            Done
          </button>
        ) : null}
      </div>
      <ChangeOutcome of={change} failedTitle="Not moved" mainKind="KafkaSource" />
    </div>
  );
}
