// Which Kafka and FC profiles the deploy takes its defaults from ("in use" for a deploy). Chosen here, on the
// Deploy screen, and remembered per context: the Connect screen's profiles say what to monitor, which is not
// always where the demo should write. "Connection defaults" (no profile) keeps the defaults the engine derives
// from the context (the playground's broker and store), so the first run needs no choice at all.
// Secrets never reach the UI: the engine reads a profile's stored password / AccessKey secret only when it
// renders, and puts it into a Secret the workloads reference.
import { useCallback, useState } from 'react';
import { SelectField } from '../../forms/fields';
import { useOperation } from '../../engine/engine-context';

export interface DeployProfiles {
  kafka?: string | undefined;
  fc?: string | undefined;
}

const storageKey = 'knative-desk.deploy-profiles';

function load(context: string | null): DeployProfiles {
  if (!context) return {};
  try {
    const all = JSON.parse(window.localStorage.getItem(storageKey) ?? '{}') as Record<string, DeployProfiles>;
    const chosen = all[context];
    return chosen && typeof chosen === 'object' ? chosen : {};
  } catch {
    return {};
  }
}

/** The profiles in use for deploys to `context`, remembered across reloads. */
export function useDeployProfiles(context: string | null): [DeployProfiles, (next: DeployProfiles) => void] {
  const [byContext, setByContext] = useState<Record<string, DeployProfiles>>({});
  const current = context ? (byContext[context] ?? load(context)) : {};
  const set = useCallback(
    (next: DeployProfiles) => {
      if (!context) return;
      setByContext((previous) => ({ ...previous, [context]: next }));
      try {
        const all = JSON.parse(window.localStorage.getItem(storageKey) ?? '{}') as Record<
          string,
          DeployProfiles
        >;
        window.localStorage.setItem(storageKey, JSON.stringify({ ...all, [context]: next }));
      } catch {
        /* kept for this session only */
      }
    },
    [context],
  );
  return [current, set];
}

/** Only the ids that are set, as the contract's `profiles` field (undefined when none). */
export function profilesRequest(profiles: DeployProfiles): { kafka?: string; fc?: string } | undefined {
  const out: { kafka?: string; fc?: string } = {};
  if (profiles.kafka) out.kafka = profiles.kafka;
  if (profiles.fc) out.fc = profiles.fc;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function ProfilePicker({
  value,
  onChange,
  disabled,
}: {
  value: DeployProfiles;
  onChange: (next: DeployProfiles) => void;
  disabled?: boolean;
}) {
  const kafka = useOperation('kafka:profiles', {}, 'deploy-kafka-profiles');
  const fc = useOperation('fc:profiles', {}, 'deploy-fc-profiles');
  const none = { value: '', label: 'None: the connection’s defaults' };
  // A remembered profile that was deleted since shows as missing rather than silently as "none".
  const missing = (id: string | undefined, known: readonly { id: string }[] | undefined) =>
    id && known && !known.some((profile) => profile.id === id)
      ? [{ value: id, label: `(deleted profile ${id})` }]
      : [];
  const kinds = [
    {
      kind: 'kafka',
      label: 'Kafka profile for the defaults',
      hint: 'Brokers, TLS and SASL user; its stored password goes into the Secret <prefix>-kafka.',
      profiles: kafka,
    },
    {
      kind: 'fc',
      label: 'FC profile for the defaults',
      hint: 'Its AccessKey and region are the Tablestore defaults; the secret goes into <prefix>-tablestore.',
      profiles: fc,
    },
  ] as const;
  return (
    <div className="row" data-testid="deploy-profiles" style={{ alignItems: 'flex-start', gap: 16 }}>
      {kinds.map(({ kind, label, hint, profiles }) => (
        <SelectField
          key={kind}
          label={label}
          name={`deploy-${kind}-profile`}
          value={value[kind] ?? ''}
          disabled={disabled}
          hint={hint}
          error={profiles.error ? profiles.error.message : null}
          options={[
            none,
            ...(profiles.data?.profiles ?? []).map((profile) => ({
              value: profile.id,
              label: `${profile.name}${profile.origin === 'playground' ? ' (playground)' : ''}`,
            })),
            ...missing(value[kind], profiles.data?.profiles),
          ]}
          onChange={(id) => onChange({ ...value, [kind]: id || undefined })}
        />
      ))}
    </div>
  );
}
