// Create or edit a KafkaSource from a form: brokers (from a Kafka profile or typed), topics (picked from the broker,
// or new ones with their partitions, created by the apply), consumer group, initial offset, ordering, consumers,
// delivery (retry, backoff, dead-letter sink), SASL/TLS from Secret keys of the namespace, and the sink (a Knative
// Service of the namespace or a URI). Then the same steps as every change: preview (the engine connects as the
// source will, then the server's dry run and the diff with the live object) → apply with progress. Messages land
// next to their fields. Editing is the same form, filled from the live object and guarded by its generation.
import { useEffect, useState, type ReactNode } from 'react';
import type { KafkaSourceForm, SecretKey, SinkChoice } from '../../../electron/common/schemas/kafka-source';
import { ScreenHeader } from '../components/screen-header';
import { operationGate } from '../components/operation-status';
import { LoadingState } from '../components/state-views';
import { describeError } from '../engine/engine-client';
import { useOperation } from '../engine/engine-context';
import { CheckboxField, SelectField, TextField } from '../forms/fields';
import { formRows, nestedRows } from '../forms/form-rows';
import { ChangeOutcome } from '../manage/change-plan';
import { useAccess } from '../manage/use-access';
import { NewTopicFields, useNewTopic } from './new-topic-fields';
import { useSourceChange } from './use-source-change';

export function emptySourceForm(namespace: string, brokers: string[]): KafkaSourceForm {
  return {
    name: '',
    namespace,
    bootstrapServers: brokers,
    topics: [],
    newTopics: [],
    consumerGroup: '',
    initialOffset: 'latest',
    ordering: 'ordered',
    consumers: 1,
    sink: { kind: 'service', name: '' },
    delivery: { retry: null, backoffPolicy: '', backoffDelay: '', deadLetterSink: null },
    sasl: { enabled: false, typeSecret: null, user: null, password: null },
    tls: { enabled: false, caCert: null, cert: null, key: null },
    skipBrokerCheck: false,
  };
}

type Secrets = { name: string; keys: string[] }[] | null;
/** Side-by-side fieldsets share a height; their rows stay packed at the top instead of spreading out. */
const startAligned = { alignContent: 'start' } as const;
const TYPED = 'typed';
const trim = (value: string) => value.trim();

const initialOffsetChoices = [
  { value: 'latest', label: 'latest (only new records)' },
  { value: 'earliest', label: 'earliest (everything retained)' },
] as const;
const orderingChoices = [
  { value: 'ordered', label: 'ordered' },
  { value: 'unordered', label: 'unordered' },
] as const;
const backoffChoices = [
  { value: '', label: 'default (exponential)' },
  { value: 'exponential', label: 'exponential (delay·2ⁿ)' },
  { value: 'linear', label: 'linear (delay·n)' },
] as const;

export function SourceEditor({
  context,
  namespace,
  profileId,
  name,
  onDone,
  onCancel,
}: {
  context: string;
  namespace: string;
  /** The session's Kafka profile: its brokers prefill the form and its topics are offered. */
  profileId: string;
  /** Absent: create a new KafkaSource in `namespace`. */
  name?: string;
  onDone: (name: string) => void;
  onCancel: () => void;
}) {
  const mode: 'create' | 'edit' = name ? 'edit' : 'create';
  const access = useAccess(context, namespace);
  const live = useOperation(
    'eventing:sourceForm',
    name ? { context, namespace, name } : null,
    name ? `source-form:${context}/${namespace}/${name}` : null,
  );
  const profiles = useOperation('kafka:profiles', {}, 'kafka-profiles');
  const [brokersFrom, setBrokersFrom] = useState<string>(name ? TYPED : profileId);
  const topics = useOperation(
    'kafka:topics',
    brokersFrom === TYPED ? { profileId } : { profileId: brokersFrom },
    `topics:${brokersFrom === TYPED ? profileId : brokersFrom}`,
  );
  const services = useOperation('workloads:list', { context, namespace }, `ksvc:${context}/${namespace}`);
  const secrets = useOperation(
    'manage:secrets',
    access.can('readSecrets') ? { context, namespace } : null,
    access.can('readSecrets') ? `secrets:${context}/${namespace}` : null,
  );
  const [form, setForm] = useState<KafkaSourceForm>(() => emptySourceForm(namespace, []));
  const change = useSourceChange();

  useEffect(() => {
    if (live.data) setForm(live.data.form);
  }, [live.data]);
  // A new source starts from the session profile's brokers.
  const profileList = profiles.data?.profiles ?? [];
  useEffect(() => {
    if (brokersFrom === TYPED) return;
    const profile = profileList.find((candidate) => candidate.id === brokersFrom);
    if (profile) setForm((previous) => ({ ...previous, bootstrapServers: profile.brokers }));
  }, [brokersFrom, profiles.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = <K extends keyof KafkaSourceForm>(key: K, value: KafkaSourceForm[K]) => {
    setForm((previous) => ({ ...previous, [key]: value }));
    change.reset();
  };
  const request = () => ({
    context,
    mode,
    form,
    ...(typeof live.data?.generation === 'number' ? { generation: live.data.generation } : {}),
  });
  const errorOf = (key: string) => change.fieldErrors[key] ?? null;
  const rows = formRows(form, set, errorOf);
  const delivery = nestedRows(form, 'delivery', set, errorOf);

  const reading =
    mode === 'edit'
      ? operationGate(live, 'Reading the KafkaSource…', 'Could not read the KafkaSource')
      : null;
  if (reading) return reading;

  const serviceNames = (services.data?.rows ?? []).map((row) => row.name);
  const brokerTopics = (topics.data?.topics ?? []).filter((topic) => !topic.name.startsWith('__'));

  return (
    <section data-testid="source-editor">
      <ScreenHeader
        title={mode === 'create' ? 'New KafkaSource' : `Edit ${name}`}
        subtitle={`Kafka topics → CloudEvents to a sink, in ${namespace}`}
      >
        <button type="button" className="btn" onClick={onCancel}>
          ← Back
        </button>
      </ScreenHeader>
      <div className="grid-2">
        <fieldset className="panel form-grid" style={startAligned} data-testid="source-form-basics">
          <legend>Source</legend>
          {rows.text('name', 'Name', { name: 'source-name', disabled: mode === 'edit', parse: trim })}
          <SelectField
            label="Brokers from"
            name="brokers-from"
            value={brokersFrom}
            options={[
              ...profileList.map((profile) => ({
                value: profile.id,
                label: `${profile.name} (${profile.brokers.join(', ')})`,
              })),
              { value: TYPED, label: 'Typed below' },
            ]}
            onChange={(value) => {
              setBrokersFrom(value);
              change.reset();
            }}
          />
          <TextField
            label="Bootstrap servers"
            name="bootstrap-servers"
            value={form.bootstrapServers.join(', ')}
            disabled={brokersFrom !== TYPED}
            hint="host:port, comma-separated; the addresses the dispatcher connects to"
            error={errorOf('bootstrapServers')}
            onChange={(value) =>
              set(
                'bootstrapServers',
                value
                  .split(',')
                  .map((part) => part.trim())
                  .filter(Boolean),
              )
            }
          />
          {rows.checkbox('skipBrokerCheck', 'Skip the broker check', {
            name: 'skip-broker-check',
            hint: 'Only when the brokers are reachable from inside the cluster and not from here',
          })}
        </fieldset>
        <TopicsPicker
          form={form}
          set={set}
          topics={brokerTopics}
          loading={topics.loading}
          loadError={topics.error ? describeError(topics.error).message : null}
          errorOf={errorOf}
        />
      </div>
      <div className="grid-2">
        <fieldset className="panel form-grid" style={startAligned} data-testid="source-form-sink">
          <legend>Sink and consumer</legend>
          <SinkPicker
            label="Sink"
            name="sink"
            value={form.sink}
            services={serviceNames}
            error={errorOf('sink')}
            onChange={(sink) => sink && set('sink', sink)}
          />
          {rows.text('consumerGroup', 'Consumer group', {
            name: 'consumer-group',
            hint: 'Empty: knative-kafka-source-<uid>, as the webhook defaults it',
            parse: trim,
          })}
          {rows.select('initialOffset', 'Initial offset', initialOffsetChoices, { name: 'initial-offset' })}
          {rows.select('ordering', 'Ordering', orderingChoices, {
            hint: 'ordered: one record in flight per partition',
          })}
          {rows.number('consumers', 'Consumers', {
            hint: '0 stops the source (its offsets can then be reset)',
            parse: Number,
          })}
        </fieldset>
        <fieldset className="panel form-grid" style={startAligned} data-testid="source-form-delivery">
          <legend>Delivery</legend>
          {delivery.number('retry', 'Retries', {
            name: 'delivery-retry',
            hint: "Empty: Knative's default (10)",
          })}
          {delivery.select('backoffPolicy', 'Backoff policy', backoffChoices, {
            name: 'delivery-backoff-policy',
          })}
          {delivery.text('backoffDelay', 'Backoff delay', {
            name: 'delivery-backoff-delay',
            hint: 'ISO-8601, e.g. PT0.3S (the default)',
            parse: trim,
          })}
          <SinkPicker
            label="Dead-letter sink"
            name="dead-letter"
            value={form.delivery.deadLetterSink}
            services={serviceNames}
            optional
            error={errorOf('delivery.deadLetterSink')}
            onChange={(deadLetterSink) => set('delivery', { ...form.delivery, deadLetterSink })}
          />
        </fieldset>
      </div>
      <SecurityFields
        form={form}
        set={set}
        secrets={secrets.data?.secrets ?? null}
        secretsNote={access.whyNot('readSecrets')}
        errorOf={errorOf}
      />
      {live.data && live.data.notInForm.length > 0 ? (
        <p className="hint">Kept as they are (not in the form): {live.data.notInForm.join(', ')}</p>
      ) : null}
      <div className="row" style={{ margin: '10px 0' }}>
        <button
          type="button"
          className="btn"
          data-testid="source-preview"
          disabled={change.planning}
          onClick={() => void change.preview(request())}
        >
          {change.planning ? 'Checking the brokers and the server…' : 'Preview and dry run'}
        </button>
        <button
          type="button"
          className="btn primary"
          data-testid="source-apply"
          disabled={change.applying || change.applied || !change.plan || Boolean(change.plan.error)}
          title={!change.plan ? 'Preview first: the checks and the dry run must pass.' : undefined}
          onClick={() => change.apply(request())}
        >
          {mode === 'create' ? 'Create KafkaSource' : 'Save'}
        </button>
        {change.applied ? (
          <button type="button" className="btn" onClick={() => onDone(form.name)}>
            Open {form.name}
          </button>
        ) : null}
      </div>
      <ChangeOutcome of={change} failedTitle="Not applied" mainKind="KafkaSource" />
    </section>
  );
}

type Setter = <K extends keyof KafkaSourceForm>(key: K, value: KafkaSourceForm[K]) => void;

function TopicsPicker({
  form,
  set,
  topics,
  loading,
  loadError,
  errorOf,
}: {
  form: KafkaSourceForm;
  set: Setter;
  topics: { name: string; partitions: number }[];
  loading: boolean;
  loadError: string | null;
  errorOf: (key: string) => string | null;
}) {
  const newTopic = useNewTopic();
  const [filter, setFilter] = useState('');
  const chosen = new Set(form.topics);
  const toggle = (topic: string, on: boolean) =>
    set('topics', on ? [...form.topics, topic] : form.topics.filter((t) => t !== topic));
  const error = errorOf('topics') ?? errorOf('newTopics');
  // The chosen topics first, then the others matching the filter.
  const needle = filter.trim().toLowerCase();
  const shown = [
    ...topics.filter((topic) => chosen.has(topic.name)),
    ...topics.filter((topic) => !chosen.has(topic.name) && topic.name.toLowerCase().includes(needle)),
  ];
  return (
    <fieldset className="panel" data-testid="source-form-topics" aria-invalid={Boolean(error)}>
      <legend>Topics</legend>
      {loading ? <LoadingState label="Reading the broker's topics…" /> : null}
      {loadError ? <p className="hint">Topics unavailable from the profile: {loadError}</p> : null}
      {topics.length > 0 ? (
        <TextField label="Filter topics" name="topic-filter" value={filter} onChange={setFilter} />
      ) : null}
      <div
        className="stack"
        style={{ maxHeight: 180, overflowY: 'auto' }}
        role="group"
        aria-label="Topics on the broker"
      >
        {shown.map((topic) => (
          <CheckboxField
            key={topic.name}
            label={`${topic.name} (${topic.partitions} partition${topic.partitions === 1 ? '' : 's'})`}
            name={`topic-${topic.name}`}
            checked={chosen.has(topic.name)}
            onChange={(on) => toggle(topic.name, on)}
          />
        ))}
        {form.newTopics.map((topic) => (
          <div key={topic.name} className="row">
            <span className="grow">
              <strong>{topic.name}</strong> — new, {topic.partitions} partitions (created by the apply)
            </span>
            <button
              type="button"
              className="btn"
              aria-label={`Remove new topic ${topic.name}`}
              onClick={() => {
                set(
                  'newTopics',
                  form.newTopics.filter((t) => t.name !== topic.name),
                );
                set(
                  'topics',
                  form.topics.filter((t) => t !== topic.name),
                );
              }}
            >
              ✕
            </button>
          </div>
        ))}
      </div>
      <div className="row">
        <NewTopicFields topic={newTopic} nameInput="new-topic-name" />
        <button
          type="button"
          className="btn"
          data-testid="add-new-topic"
          disabled={newTopic.name.trim() === '' || chosen.has(newTopic.name.trim())}
          onClick={() => {
            const topicName = newTopic.name.trim();
            set('newTopics', [
              ...form.newTopics,
              { name: topicName, partitions: Number(newTopic.partitions) || 1 },
            ]);
            set('topics', [...form.topics, topicName]);
            newTopic.setName('');
          }}
        >
          Add topic
        </button>
      </div>
      {error ? (
        <p className="error" role="alert" data-testid="topics-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A Knative Service of the namespace, or a URI; `optional` adds "none" (the dead-letter sink). */
function SinkPicker({
  label,
  name,
  value,
  services,
  optional,
  error,
  onChange,
}: {
  label: string;
  name: string;
  value: SinkChoice | null;
  services: string[];
  optional?: boolean;
  error: string | null;
  onChange: (sink: SinkChoice | null) => void;
}) {
  const kind = value?.kind ?? 'none';
  const choices: { value: string; label: string }[] = [
    ...(optional ? [{ value: 'none', label: 'none (drop after the retries)' }] : []),
    ...services.map((service) => ({ value: `service:${service}`, label: `Knative Service ${service}` })),
    { value: 'uri', label: 'A URI…' },
  ];
  const selected = value?.kind === 'service' ? `service:${value.name}` : kind;
  return (
    <>
      <SelectField
        label={label}
        name={name}
        value={selected}
        options={selected === 'service:' ? [{ value: 'service:', label: 'Choose…' }, ...choices] : choices}
        error={kind === 'uri' ? null : error}
        onChange={(choice) => {
          if (choice === 'none') onChange(null);
          else if (choice === 'uri') onChange({ kind: 'uri', uri: value?.kind === 'uri' ? value.uri : '' });
          else onChange({ kind: 'service', name: choice.slice('service:'.length) });
        }}
      />
      {value?.kind === 'uri' ? (
        <TextField
          label={`${label} URI`}
          name={`${name}-uri`}
          value={value.uri}
          hint="http(s)://…"
          error={error}
          onChange={(uri) => onChange({ kind: 'uri', uri: uri.trim() })}
        />
      ) : null}
    </>
  );
}

function SecretKeyPicker({
  label,
  name,
  value,
  secrets,
  hint,
  onChange,
}: {
  label: string;
  name: string;
  value: SecretKey | null;
  secrets: Secrets;
  hint?: string;
  onChange: (value: SecretKey | null) => void;
}) {
  const current = value ? `${value.name}/${value.key}` : '';
  const parse = (text: string): SecretKey | null => {
    const slash = text.indexOf('/');
    return slash > 0 ? { name: text.slice(0, slash), key: text.slice(slash + 1) } : null;
  };
  if (!secrets) {
    return (
      <TextField
        label={label}
        name={name}
        value={current}
        hint={hint ?? 'secret-name/key'}
        onChange={(text) => onChange(parse(text.trim()))}
      />
    );
  }
  const options = secrets.flatMap((secret) =>
    secret.keys.map((key) => ({ value: `${secret.name}/${key}`, label: `${secret.name} › ${key}` })),
  );
  if (current && !options.some((option) => option.value === current))
    options.unshift({ value: current, label: `${value!.name} › ${value!.key} (not found)` });
  return (
    <SelectField
      label={label}
      name={name}
      value={current}
      hint={hint}
      options={[{ value: '', label: 'none' }, ...options]}
      onChange={(text) => onChange(parse(text))}
    />
  );
}

/** One `spec.net` group (SASL or TLS): its switch, then a Secret key picker per key while it is on. */
interface SecretGroupSpec<G extends 'sasl' | 'tls'> {
  group: G;
  label: string;
  keys: readonly {
    key: Exclude<keyof KafkaSourceForm[G], 'enabled'>;
    label: string;
    name: string;
    hint?: string;
  }[];
}

const saslGroup: SecretGroupSpec<'sasl'> = {
  group: 'sasl',
  label: 'SASL',
  keys: [
    { key: 'user', label: 'User', name: 'sasl-user' },
    { key: 'password', label: 'Password', name: 'sasl-password' },
    {
      key: 'typeSecret',
      label: 'Mechanism',
      name: 'sasl-type',
      hint: 'A key holding PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; none = PLAIN',
    },
  ],
};

const tlsGroup: SecretGroupSpec<'tls'> = {
  group: 'tls',
  label: 'TLS',
  keys: [
    { key: 'caCert', label: 'CA certificate', name: 'tls-ca', hint: "none = the system's CAs" },
    { key: 'cert', label: 'Client certificate', name: 'tls-cert' },
    { key: 'key', label: 'Client key', name: 'tls-key' },
  ],
};

function SecretGroup<G extends 'sasl' | 'tls'>({
  spec,
  form,
  set,
  secrets,
  errorOf,
}: {
  spec: SecretGroupSpec<G>;
  form: KafkaSourceForm;
  set: Setter;
  secrets: Secrets;
  errorOf: (key: string) => string | null;
}) {
  const value = form[spec.group] as { enabled: boolean } & Record<string, SecretKey | null | boolean>;
  const update = (key: string, next: SecretKey | boolean | null) =>
    set(spec.group, { ...value, [key]: next } as KafkaSourceForm[G]);
  const error = errorOf(spec.group);
  return (
    <div className="form-grid">
      <CheckboxField
        label={spec.label}
        name={`${spec.group}-enabled`}
        checked={value.enabled}
        hint={`spec.net.${spec.group}`}
        onChange={(enabled) => update('enabled', enabled)}
      />
      {value.enabled
        ? spec.keys.map((entry) => (
            <SecretKeyPicker
              key={String(entry.key)}
              label={entry.label}
              name={entry.name}
              value={value[entry.key as string] as SecretKey | null}
              secrets={secrets}
              hint={entry.hint}
              onChange={(next) => update(entry.key as string, next)}
            />
          ))
        : null}
      {error ? (
        <p className="error" role="alert" data-testid={`${spec.group}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function SecurityFields({
  form,
  set,
  secrets,
  secretsNote,
  errorOf,
}: {
  form: KafkaSourceForm;
  set: Setter;
  secrets: Secrets;
  secretsNote: string | null;
  errorOf: (key: string) => string | null;
}): ReactNode {
  return (
    <fieldset className="panel" data-testid="source-form-security">
      <legend>Security (Secret keys of the namespace)</legend>
      {secretsNote ? <p className="hint">{secretsNote} Type secret-name/key instead.</p> : null}
      <div className="grid-2">
        <SecretGroup spec={saslGroup} form={form} set={set} secrets={secrets} errorOf={errorOf} />
        <SecretGroup spec={tlsGroup} form={form} set={set} secrets={secrets} errorOf={errorOf} />
      </div>
    </fieldset>
  );
}
