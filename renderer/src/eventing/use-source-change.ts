// The preview → apply steps of a KafkaSource change (the form, or moving its sink): the engine's broker check, dry
// run and diff (eventing:planSource), then the apply's progress (eventing:applySource). A request the contract
// refuses (a malformed URI, a bad duration) comes back with its field causes; they are mapped to the form's fields
// like the server's, so every message lands next to its field.
import { useState } from 'react';
import type { DeployEvent } from '../../../electron/common/schemas/deploy';
import type { SourceChangeRequest } from '../../../electron/common/schemas/kafka-source';
import type { PlanResponse } from '../../../electron/common/schemas/manage';
import { toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine } from '../engine/engine-context';

/** `form.delivery.backoffDelay` → `delivery.backoffDelay`, `form.sink.uri` → `sink`, `form.topics.0` → `topics`. */
export function formFieldOfCause(field: string): string {
  const path = field.replace(/^form\./, '').split('.');
  if (path[0] === 'delivery' && path[1]) return `delivery.${path[1]}`;
  return path[0] ?? field;
}

export function useSourceChange() {
  const engine = useEngine();
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [planning, setPlanning] = useState(false);
  const [progress, setProgress] = useState<DeployEvent[]>([]);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const [requestErrors, setRequestErrors] = useState<Record<string, string>>({});

  function reset() {
    setPlan(null);
    setProgress([]);
    setError(null);
    setRequestErrors({});
  }

  async function preview(request: SourceChangeRequest) {
    reset();
    setPlanning(true);
    try {
      setPlan(await engine.call('eventing:planSource', request));
    } catch (caught) {
      const failure = toEngineError(caught);
      const fields: Record<string, string> = {};
      for (const cause of failure.details.causes ?? []) {
        if (cause.field) fields[formFieldOfCause(cause.field)] ??= cause.message;
      }
      setRequestErrors(fields);
      setError(failure);
    } finally {
      setPlanning(false);
    }
  }

  function apply(request: SourceChangeRequest) {
    setApplying(true);
    setProgress([]);
    setError(null);
    engine.subscribe('eventing:applySource', request, {
      onEvent: (event) => setProgress((previous) => [...previous, event]),
      onError: (caught) => {
        setError(caught);
        setApplying(false);
      },
      onEnd: () => setApplying(false),
    });
  }

  const done = progress.find((event) => event.type === 'done');
  return {
    plan,
    planning,
    progress,
    applying,
    error,
    /** The server's and the contract's messages by form field. */
    fieldErrors: { ...requestErrors, ...(plan?.fieldErrors ?? {}) },
    applied: done?.type === 'done' && done.ok,
    preview,
    apply,
    reset,
  };
}
