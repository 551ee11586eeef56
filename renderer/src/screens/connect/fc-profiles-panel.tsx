// Function Compute profiles: account, region, endpoint and AccessKey. The secret goes to the engine once and
// never comes back (the list only says whether one is stored). "Test" lists FC services with the profile, which
// is where a wrong key shows up (InvalidAccessKeyID / SignatureNotMatch).
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session';
import { Badge } from '../../components/badge';
import { DataTable } from '../../components/data-table';
import { EmptyState, ErrorState, LoadingState } from '../../components/state-views';
import { causesByField, describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine, useOperation } from '../../engine/engine-context';
import { SecretField, TextField } from '../../forms/fields';

const emptyForm = {
  name: '',
  accountId: '',
  region: 'cn-shanghai',
  endpoint: '',
  accessKeyId: '',
  accessKeySecret: '',
};
const formFields = Object.keys(emptyForm);

export function FcProfilesPanel() {
  const engine = useEngine();
  const { session, update } = useSession();
  const profiles = useOperation('fc:profiles', {}, 'fc-profiles');
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
    if (list.length === 0 || list.some((p) => p.id === session.fcProfileId)) return;
    const preferred =
      list.find((p) => p.origin === 'playground') ?? (list.length === 1 ? list[0] : undefined);
    if (preferred) update({ fcProfileId: preferred.id });
  }, [profiles.data, session.fcProfileId, update]);
  const [form, setForm] = useState(emptyForm);
  const [saveError, setSaveError] = useState<EngineError | null>(null);
  const [test, setTest] = useState<{
    id: string;
    state: 'running' | 'ok' | 'failed';
    text: string;
    error?: EngineError;
  }>();

  async function save(): Promise<void> {
    setSaveError(null);
    try {
      const { profile } = await engine.call('fc:saveProfile', {
        name: form.name.trim(),
        accountId: form.accountId.trim(),
        region: form.region.trim(),
        accessKeyId: form.accessKeyId.trim(),
        ...(form.endpoint.trim() ? { endpoint: form.endpoint.trim() } : {}),
        ...(form.accessKeySecret ? { accessKeySecret: form.accessKeySecret } : {}),
      });
      setForm(emptyForm);
      savedId.current = profile.id;
      update({ fcProfileId: profile.id });
      profiles.reload();
    } catch (error) {
      setSaveError(toEngineError(error));
    }
  }

  async function runTest(id: string): Promise<void> {
    setTest({ id, state: 'running', text: 'Listing FC services…' });
    try {
      const result = await engine.call('fc:list', {
        profileId: id,
        ...(session.context ? { context: session.context } : {}),
        ...(session.namespace ? { namespace: session.namespace } : {}),
      });
      const functions = result.services.reduce((sum, service) => sum + service.functions.length, 0);
      setTest({
        id,
        state: 'ok',
        text: `OK: ${result.services.length} services, ${functions} functions, ${result.customDomains.length} custom domains.`,
      });
    } catch (error) {
      const engineError = toEngineError(error);
      setTest({ id, state: 'failed', text: engineError.message, error: engineError });
    }
  }

  const { byField, general } = causesByField(saveError, formFields);
  const set = (key: keyof typeof emptyForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <div className="panel" data-testid="fc-panel">
      <h2>Function Compute profiles</h2>
      {profiles.loading && !profiles.data ? <LoadingState label="Loading FC profiles…" /> : null}
      {profiles.error ? (
        <ErrorState
          title="Could not load FC profiles"
          error={describeError(profiles.error)}
          onRetry={profiles.reload}
        />
      ) : null}
      {profiles.data && profiles.data.profiles.length === 0 ? (
        <EmptyState title="No FC profile">
          FC-class Services are listed without their FC function until you add one.
        </EmptyState>
      ) : null}
      {profiles.data && profiles.data.profiles.length > 0 ? (
        <DataTable
          caption="FC profiles"
          testId="fc-profiles-table"
          rows={profiles.data.profiles}
          rowKey={(p) => p.id}
          selectedKey={session.fcProfileId}
          onOpen={(p) => update({ fcProfileId: p.id })}
          columns={[
            {
              key: 'name',
              header: 'Profile',
              render: (p) => (
                <span className="row" style={{ gap: 6 }}>
                  <strong>{p.name}</strong>
                  {p.id === session.fcProfileId ? <Badge tone="info">in use</Badge> : null}
                  {p.origin === 'playground' ? <Badge tone="neutral">playground</Badge> : null}
                </span>
              ),
            },
            { key: 'account', header: 'Account / region', render: (p) => `${p.accountId} / ${p.region}` },
            {
              key: 'key',
              header: 'AccessKey',
              render: (p) => (
                <span className="mono">
                  {p.accessKeyId}
                  {p.hasSecret ? '' : ' (no secret)'}
                </span>
              ),
            },
            {
              key: 'test',
              header: 'Check',
              render: (p) => (
                <button
                  type="button"
                  className="btn"
                  data-testid={`fc-test-${p.name}`}
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
          data-testid="fc-test-result"
          role={test.state === 'failed' ? 'alert' : 'status'}
          style={{
            color: test.state === 'failed' ? 'var(--bad)' : test.state === 'ok' ? 'var(--ok)' : undefined,
          }}
        >
          <strong>{profiles.data?.profiles.find((p) => p.id === test.id)?.name ?? test.id}:</strong>{' '}
          {test.error?.details.reason ? `${test.error.details.reason}: ` : ''}
          {test.text}
        </p>
      ) : null}
      <h3>Add or update a profile</h3>
      <form
        data-testid="fc-profile-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <TextField label="Name" name="name" value={form.name} onChange={set('name')} error={byField.name} />
          <TextField
            label="Account ID"
            name="accountId"
            value={form.accountId}
            onChange={set('accountId')}
            error={byField.accountId}
          />
          <TextField
            label="Region"
            name="region"
            value={form.region}
            onChange={set('region')}
            error={byField.region}
          />
          <TextField
            label="Endpoint (optional)"
            name="endpoint"
            value={form.endpoint}
            placeholder="https://<account>.<region>.fc.aliyuncs.com"
            onChange={set('endpoint')}
            error={byField.endpoint}
          />
          <TextField
            label="AccessKey ID"
            name="accessKeyId"
            value={form.accessKeyId}
            onChange={set('accessKeyId')}
            error={byField.accessKeyId}
          />
          <SecretField
            label="AccessKey secret"
            name="accessKeySecret"
            value={form.accessKeySecret}
            onChange={set('accessKeySecret')}
            error={byField.accessKeySecret}
            hint="Stored by the engine; never shown again."
          />
        </div>
        {saveError && (general.length > 0 || Object.keys(byField).length === 0) ? (
          <ErrorState title="Profile not saved" error={{ ...describeError(saveError), details: general }} />
        ) : null}
        <button type="submit" className="btn primary">
          Save FC profile
        </button>
      </form>
    </div>
  );
}
