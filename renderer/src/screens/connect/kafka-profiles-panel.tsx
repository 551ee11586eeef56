// Kafka profiles: brokers, TLS and SASL. The password goes to the engine once and never comes back. "Test" lists
// topics, which is where an unreachable broker (Kafka down) shows up.
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session';
import { Badge } from '../../components/badge';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, LoadingState } from '../../components/state-views';
import { causesByField, describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine, useOperation } from '../../engine/engine-context';
import { CheckboxField, SecretField, SelectField, TextField } from '../../forms/fields';

type Mechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
const emptyForm = {
  name: '',
  brokers: '',
  ssl: false,
  mechanism: '' as Mechanism | '',
  username: '',
  password: '',
};

export function KafkaProfilesPanel() {
  const engine = useEngine();
  const { session, update } = useSession();
  const profiles = useOperation('kafka:profiles', {}, 'kafka-profiles');
  // A profile just saved becomes the one in use; until the reloaded list has it, the fallback below must not
  // switch back to the default.
  const savedId = useRef<string | null>(null);
  // With no profile chosen yet, use the playground's (or the only) one: the demo works without a detour.
  useEffect(() => {
    const list = profiles.data?.profiles ?? [];
    if (savedId.current) {
      if (!list.some((p) => p.id === savedId.current)) return;
      savedId.current = null;
    }
    if (list.length === 0 || list.some((p) => p.id === session.kafkaProfileId)) return;
    const preferred =
      list.find((p) => p.origin === 'playground') ?? (list.length === 1 ? list[0] : undefined);
    if (preferred) update({ kafkaProfileId: preferred.id });
  }, [profiles.data, session.kafkaProfileId, update]);
  const [form, setForm] = useState(emptyForm);
  const [saveError, setSaveError] = useState<EngineError | null>(null);
  const [test, setTest] = useState<{ id: string; state: 'running' | 'ok' | 'failed'; text: string }>();

  async function save(): Promise<void> {
    setSaveError(null);
    try {
      const brokers = form.brokers
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean);
      const { profile } = await engine.call('kafka:saveProfile', {
        name: form.name.trim(),
        brokers,
        ssl: form.ssl,
        ...(form.mechanism
          ? {
              sasl: {
                mechanism: form.mechanism,
                username: form.username,
                ...(form.password ? { password: form.password } : {}),
              },
            }
          : {}),
      });
      setForm(emptyForm);
      savedId.current = profile.id;
      update({ kafkaProfileId: profile.id });
      profiles.reload();
    } catch (error) {
      setSaveError(toEngineError(error));
    }
  }

  async function runTest(id: string): Promise<void> {
    setTest({ id, state: 'running', text: 'Listing topics…' });
    try {
      const { topics } = await engine.call('kafka:topics', { profileId: id });
      setTest({ id, state: 'ok', text: `OK: ${topics.length} topics.` });
    } catch (error) {
      const engineError = toEngineError(error);
      setTest({ id, state: 'failed', text: `${engineError.code}: ${engineError.message}` });
    }
  }

  const { byField, general } = causesByField(saveError, ['name', 'brokers', 'username', 'password', 'sasl']);
  return (
    <div className="panel" data-testid="kafka-panel">
      <h2>Kafka profiles</h2>
      {profiles.loading && !profiles.data ? <LoadingState label="Loading Kafka profiles…" /> : null}
      {profiles.error ? (
        <ErrorState
          title="Could not load Kafka profiles"
          error={describeError(profiles.error)}
          onRetry={profiles.reload}
        />
      ) : null}
      {profiles.data && profiles.data.profiles.length === 0 ? (
        <EmptyState title="No Kafka profile">
          Lag charts need one; the playground adds its own when it runs.
        </EmptyState>
      ) : null}
      {profiles.data && profiles.data.profiles.length > 0 ? (
        <DataTable
          caption="Kafka profiles"
          testId="kafka-profiles-table"
          rows={profiles.data.profiles}
          rowKey={(p) => p.id}
          selectedKey={session.kafkaProfileId}
          onOpen={(p) => update({ kafkaProfileId: p.id })}
          columns={[
            {
              key: 'name',
              header: 'Profile',
              render: (p) => (
                <span className="row" style={{ gap: 6 }}>
                  <strong>{p.name}</strong>
                  {p.id === session.kafkaProfileId ? <Badge tone="info">in use</Badge> : null}
                  {p.origin === 'playground' ? <Badge tone="neutral">playground</Badge> : null}
                </span>
              ),
            },
            {
              key: 'brokers',
              header: 'Brokers',
              render: (p) => <span className="mono">{p.brokers.join(', ')}</span>,
            },
            {
              key: 'security',
              header: 'Security',
              render: (p) =>
                `${p.ssl ? 'TLS' : 'plaintext'}${p.sasl ? ` · SASL ${p.sasl.mechanism} (${p.sasl.username})` : ''}`,
            },
            {
              key: 'test',
              header: 'Check',
              render: (p) => (
                <button
                  type="button"
                  className="btn"
                  data-testid={`kafka-test-${p.name}`}
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
          role={test.state === 'failed' ? 'alert' : 'status'}
          style={{
            color: test.state === 'failed' ? 'var(--bad)' : test.state === 'ok' ? 'var(--ok)' : undefined,
          }}
        >
          <strong>{profiles.data?.profiles.find((p) => p.id === test.id)?.name ?? test.id}:</strong>{' '}
          <span data-testid="kafka-test-result">{test.text}</span>
        </p>
      ) : null}
      <h3>Add or update a profile</h3>
      <form
        data-testid="kafka-profile-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <TextField
            label="Name"
            name="name"
            value={form.name}
            onChange={(name) => setForm((f) => ({ ...f, name }))}
            error={byField.name}
          />
          <TextField
            label="Brokers"
            name="brokers"
            value={form.brokers}
            placeholder="127.0.0.1:9092, other:9092"
            onChange={(brokers) => setForm((f) => ({ ...f, brokers }))}
            error={byField.brokers}
          />
          <SelectField
            label="SASL"
            name="mechanism"
            value={form.mechanism}
            options={[
              { value: '', label: 'none' },
              { value: 'plain', label: 'PLAIN' },
              { value: 'scram-sha-256', label: 'SCRAM-SHA-256' },
              { value: 'scram-sha-512', label: 'SCRAM-SHA-512' },
            ]}
            onChange={(mechanism) => setForm((f) => ({ ...f, mechanism: mechanism as Mechanism | '' }))}
            error={byField.sasl}
          />
          <TextField
            label="SASL user"
            name="username"
            value={form.username}
            disabled={!form.mechanism}
            onChange={(username) => setForm((f) => ({ ...f, username }))}
            error={byField.username}
          />
          <SecretField
            label="SASL password"
            name="password"
            value={form.password}
            disabled={!form.mechanism}
            onChange={(password) => setForm((f) => ({ ...f, password }))}
            error={byField.password}
          />
          <CheckboxField
            label="TLS"
            name="ssl"
            checked={form.ssl}
            onChange={(ssl) => setForm((f) => ({ ...f, ssl }))}
          />
        </div>
        {saveError && (general.length > 0 || Object.keys(byField).length === 0) ? (
          <ErrorState title="Profile not saved" error={{ ...describeError(saveError), details: general }} />
        ) : null}
        <button type="submit" className="btn primary">
          Save Kafka profile
        </button>
      </form>
    </div>
  );
}
