// One panel for every kind of connection profile (FC, Kafka): the list with the profile in use, a Test button per
// row, and the add-or-update form. What differs between kinds (fields, columns, the save request, the check) is
// described in profile-kinds.tsx; the form logic that needs no DOM is in profile-form.ts.
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session';
import { Badge } from '../../components/badge';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState } from '../../components/state-views';
import { causesByField, describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine } from '../../engine/engine-context';
import { CheckboxField, SecretField, SelectField, TextField } from '../../forms/fields';
import {
  errorFieldNames,
  errorNameOf,
  fallbackProfileId,
  isEnabled,
  type ProfileField,
  type ProfileFormValues,
} from './profile-form';
import type { ProfileKind } from './profile-kinds';
import { OperationStatus } from '../../components/operation-status';

interface TestRun {
  id: string;
  state: 'running' | 'ok' | 'failed';
  text: string;
}

/** The failed check as one line: the error code first, then the server's own reason, then the message. */
export function failedCheckLine(error: EngineError): string {
  return `${error.code}: ${error.details.reason ? `${error.details.reason}: ` : ''}${error.message}`;
}

export function ProfilesPanel<
  P extends { id: string; name: string; origin: 'user' | 'playground' },
  F extends ProfileFormValues,
>({ kind }: { kind: ProfileKind<P, F> }) {
  const engine = useEngine();
  const { session, update } = useSession();
  const profiles = kind.useProfiles();
  const currentId = session[kind.sessionKey];
  // A profile just saved becomes the one in use; until the reloaded list has it, the fallback below must not
  // switch back to the default.
  const savedId = useRef<string | null>(null);
  useEffect(() => {
    const list = profiles.data?.profiles ?? [];
    if (savedId.current) {
      if (!list.some((p) => p.id === savedId.current)) return;
      savedId.current = null;
    }
    const fallback = fallbackProfileId(list, currentId);
    if (fallback) update({ [kind.sessionKey]: fallback });
  }, [profiles.data, currentId, kind.sessionKey, update]);
  const [form, setForm] = useState<F>(kind.emptyForm);
  const [saveError, setSaveError] = useState<EngineError | null>(null);
  const [test, setTest] = useState<TestRun>();

  async function save(): Promise<void> {
    setSaveError(null);
    try {
      const { profile } = await kind.save(engine, form);
      setForm(kind.emptyForm);
      savedId.current = profile.id;
      update({ [kind.sessionKey]: profile.id });
      profiles.reload();
    } catch (error) {
      setSaveError(toEngineError(error));
    }
  }

  async function runTest(id: string): Promise<void> {
    setTest({ id, state: 'running', text: kind.testing });
    try {
      setTest({ id, state: 'ok', text: await kind.test(engine, id, session) });
    } catch (error) {
      setTest({ id, state: 'failed', text: failedCheckLine(toEngineError(error)) });
    }
  }

  const { byField, general } = causesByField(saveError, errorFieldNames(kind.fields));
  const set = (key: keyof F & string) => (value: string | boolean) =>
    setForm((f) => ({ ...f, [key]: value }));

  return (
    <div className="panel" data-testid={`${kind.id}-panel`}>
      <h2>{kind.title}</h2>
      <OperationStatus
        operation={profiles}
        loading={`Loading ${kind.noun} profiles…`}
        failed={`Could not load ${kind.noun} profiles`}
      />
      {profiles.data ? (
        <DataTable
          empty={<EmptyState title={`No ${kind.noun} profile`}>{kind.emptyHint}</EmptyState>}
          caption={`${kind.noun} profiles`}
          testId={`${kind.id}-profiles-table`}
          rows={profiles.data.profiles}
          rowKey={(p) => p.id}
          selectedKey={currentId}
          onOpen={(p) => update({ [kind.sessionKey]: p.id })}
          columns={[
            {
              key: 'name',
              header: 'Profile',
              render: (p) => (
                <span className="row" style={{ gap: 6 }}>
                  <strong>{p.name}</strong>
                  {p.id === currentId ? <Badge tone="info">in use</Badge> : null}
                  {p.origin === 'playground' ? <Badge tone="neutral">playground</Badge> : null}
                </span>
              ),
            },
            ...kind.columns,
            {
              key: 'test',
              header: 'Check',
              render: (p) => (
                <button
                  type="button"
                  className="btn"
                  data-testid={`${kind.id}-test-${p.name}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    void runTest(p.id);
                  }}
                >
                  Test
                </button>
              ),
            },
          ]}
        />
      ) : null}
      {test ? (
        <p
          style={{
            color: test.state === 'failed' ? 'var(--bad)' : test.state === 'ok' ? 'var(--ok)' : undefined,
          }}
        >
          <strong>{profiles.data?.profiles.find((p) => p.id === test.id)?.name ?? test.id}:</strong>{' '}
          <span data-testid={`${kind.id}-test-result`} role={test.state === 'failed' ? 'alert' : 'status'}>
            {test.text}
          </span>
        </p>
      ) : null}
      <h3>Add or update a profile</h3>
      <form
        data-testid={`${kind.id}-profile-form`}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          {kind.fields.map((field) => (
            <ProfileFieldInput
              key={field.key}
              field={field}
              form={form}
              error={byField[errorNameOf(field)]}
              onChange={set(field.key)}
            />
          ))}
        </div>
        {saveError && (general.length > 0 || Object.keys(byField).length === 0) ? (
          <ErrorState title="Profile not saved" error={{ ...describeError(saveError), details: general }} />
        ) : null}
        <button type="submit" className="btn primary">
          Save {kind.noun} profile
        </button>
      </form>
    </div>
  );
}

function ProfileFieldInput<F extends ProfileFormValues>({
  field,
  form,
  error,
  onChange,
}: {
  field: ProfileField<F>;
  form: F;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const value = form[field.key];
  const common = { label: field.label, name: field.key, hint: field.hint, onChange };
  // Text-like inputs also show the field's error and follow its enabling rule; a checkbox does neither.
  const input = { ...common, value: String(value), disabled: !isEnabled(field, form), error };
  switch (field.type) {
    case 'checkbox':
      return <CheckboxField {...common} checked={value === true} />;
    case 'select':
      return <SelectField {...input} options={field.options} />;
    case 'secret':
      return <SecretField {...input} />;
    case 'text':
      return <TextField {...input} placeholder={field.placeholder} />;
  }
}
