// The two kinds of connection profile the Connect screen manages, as descriptions the one profiles panel renders:
// - Function Compute: account, region, endpoint and AccessKey. The secret goes to the engine once and never comes
//   back (the list only says whether one is stored). "Test" lists FC services with the profile, which is where a
//   wrong key shows up (InvalidAccessKeyID / SignatureNotMatch).
// - Kafka: brokers, TLS and SASL. The password goes to the engine once and never comes back. "Test" lists topics,
//   which is where an unreachable broker (Kafka down) shows up.
import type { FcProfile } from '../../../../electron/common/schemas/fc';
import type { KafkaProfile } from '../../../../electron/common/schemas/kafka';
import type { RequestInput } from '../../../../electron/common/contract';
import type { Session } from '../../app/session';
import type { Column } from '../../components/data-table';
import type { EngineClient } from '../../engine/engine-client';
import { useOperation, type OperationState } from '../../engine/engine-context';
import { listOf, type ProfileField, type ProfileFormValues } from './profile-form';

export interface ProfileKind<P extends { id: string; name: string }, F extends ProfileFormValues> {
  /** Prefix of every test id (`<id>-panel`, `<id>-profiles-table`, `<id>-test-<name>`, …). */
  id: string;
  title: string;
  /** As in "Loading <noun> profiles…", "No <noun> profile", "Save <noun> profile". */
  noun: string;
  emptyHint: string;
  sessionKey: 'fcProfileId' | 'kafkaProfileId';
  /** The profile list as a hook (each kind reads its own contract operation). */
  useProfiles: () => OperationState<{ profiles: P[] }>;
  /** Columns between the name and the Test button. */
  columns: readonly Column<P>[];
  fields: readonly ProfileField<F>[];
  emptyForm: F;
  save: (engine: EngineClient, form: F) => Promise<{ profile: { id: string } }>;
  testing: string;
  /** Runs the check; resolves to the line shown when it passes. */
  test: (engine: EngineClient, id: string, session: Session) => Promise<string>;
}

export interface FcForm extends ProfileFormValues {
  name: string;
  accountId: string;
  region: string;
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export function fcSaveRequest(form: FcForm): RequestInput<'fc:saveProfile'> {
  return {
    name: form.name.trim(),
    accountId: form.accountId.trim(),
    region: form.region.trim(),
    accessKeyId: form.accessKeyId.trim(),
    ...(form.endpoint.trim() ? { endpoint: form.endpoint.trim() } : {}),
    ...(form.accessKeySecret ? { accessKeySecret: form.accessKeySecret } : {}),
  };
}

export const fcProfileKind: ProfileKind<FcProfile, FcForm> = {
  id: 'fc',
  title: 'Function Compute profiles',
  noun: 'FC',
  emptyHint: 'FC-class Services are listed without their FC function until you add one.',
  sessionKey: 'fcProfileId',
  useProfiles: () => useOperation('fc:profiles', {}, 'fc-profiles'),
  columns: [
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
  ],
  fields: [
    { key: 'name', label: 'Name', type: 'text' },
    { key: 'accountId', label: 'Account ID', type: 'text' },
    { key: 'region', label: 'Region', type: 'text' },
    {
      key: 'endpoint',
      label: 'Endpoint (optional)',
      type: 'text',
      placeholder: 'https://<account>.<region>.fc.aliyuncs.com',
    },
    { key: 'accessKeyId', label: 'AccessKey ID', type: 'text' },
    {
      key: 'accessKeySecret',
      label: 'AccessKey secret',
      type: 'secret',
      hint: 'Stored by the engine; never shown again.',
    },
  ],
  emptyForm: {
    name: '',
    accountId: '',
    region: 'cn-shanghai',
    endpoint: '',
    accessKeyId: '',
    accessKeySecret: '',
  },
  save: (engine, form) => engine.call('fc:saveProfile', fcSaveRequest(form)),
  testing: 'Listing FC services…',
  test: async (engine, id, session) => {
    const result = await engine.call('fc:list', {
      profileId: id,
      ...(session.context ? { context: session.context } : {}),
      ...(session.namespace ? { namespace: session.namespace } : {}),
    });
    const functions = result.services.reduce((sum, service) => sum + service.functions.length, 0);
    return `OK: ${result.services.length} services, ${functions} functions, ${result.customDomains.length} custom domains.`;
  },
};

type SaslMechanism = NonNullable<RequestInput<'kafka:saveProfile'>['sasl']>['mechanism'];

export interface KafkaForm extends ProfileFormValues {
  name: string;
  brokers: string;
  ssl: boolean;
  /** '' = no SASL. */
  mechanism: SaslMechanism | '';
  username: string;
  password: string;
}

export function kafkaSaveRequest(form: KafkaForm): RequestInput<'kafka:saveProfile'> {
  return {
    name: form.name.trim(),
    brokers: listOf(form.brokers),
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
  };
}

export const kafkaProfileKind: ProfileKind<KafkaProfile, KafkaForm> = {
  id: 'kafka',
  title: 'Kafka profiles',
  noun: 'Kafka',
  emptyHint: 'Lag charts need one; the playground adds its own when it runs.',
  sessionKey: 'kafkaProfileId',
  useProfiles: () => useOperation('kafka:profiles', {}, 'kafka-profiles'),
  columns: [
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
  ],
  fields: [
    { key: 'name', label: 'Name', type: 'text' },
    { key: 'brokers', label: 'Brokers', type: 'text', placeholder: '127.0.0.1:9092, other:9092' },
    {
      key: 'mechanism',
      label: 'SASL',
      type: 'select',
      errorKey: 'sasl',
      options: [
        { value: '', label: 'none' },
        { value: 'plain', label: 'PLAIN' },
        { value: 'scram-sha-256', label: 'SCRAM-SHA-256' },
        { value: 'scram-sha-512', label: 'SCRAM-SHA-512' },
      ],
    },
    { key: 'username', label: 'SASL user', type: 'text', enabledBy: 'mechanism' },
    { key: 'password', label: 'SASL password', type: 'secret', enabledBy: 'mechanism' },
    { key: 'ssl', label: 'TLS', type: 'checkbox' },
  ],
  emptyForm: { name: '', brokers: '', ssl: false, mechanism: '', username: '', password: '' },
  save: (engine, form) => engine.call('kafka:saveProfile', kafkaSaveRequest(form)),
  testing: 'Listing topics…',
  test: async (engine, id) => {
    const { topics } = await engine.call('kafka:topics', { profileId: id });
    return `OK: ${topics.length} topics.`;
  },
};
