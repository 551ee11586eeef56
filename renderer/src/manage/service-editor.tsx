// Create or edit a Knative Service: the form (image, ECI or FC with its annotations, env with values or Secret keys
// picked from the namespace or new Secrets, port, resources, concurrency, scale bounds, target, window, scale-down
// delay, timeout, cluster-local), or the Service as YAML (edit only), or an import of an export. Each goes through
// the same steps as the templates: preview → diff with the cluster after the server's dry run (webhooks included;
// their errors appear next to the field) → apply with progress. Form edits carry the generation the form was read
// at, so a Service whose spec changed meanwhile answers 409 and nothing is written (status updates by the controller
// are not conflicts); YAML edits carry their resourceVersion, as kubectl edit does.
import { useEffect, useMemo, useState } from 'react';
import { parse } from 'yaml';
import type { DeployEvent } from '../../../electron/common/schemas/deploy';
import {
  serviceForm,
  type EnvEntry,
  type PlanResponse,
  type ServiceForm,
} from '../../../electron/common/schemas/manage';
import { ScreenHeader } from '../components/screen-header';
import { operationGate } from '../components/operation-status';
import { toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { formRows, nestedRows } from '../forms/form-rows';
import { ChangeOutcome } from './change-plan';
import { useAccess } from './use-access';
import { numberLimits, rangeText, withinLimits } from '../../../electron/common/schemas/limits';
import { BusyButton } from '../components/busy-button';

/** The form's numeric limits, from the contract's serviceForm (the engine checks the same schema). */
const formLimits = {
  containerConcurrency: numberLimits(serviceForm.shape.containerConcurrency),
  minScale: numberLimits(serviceForm.shape.minScale),
  maxScale: numberLimits(serviceForm.shape.maxScale),
  initialScale: numberLimits(serviceForm.shape.initialScale),
  timeoutSeconds: numberLimits(serviceForm.shape.timeoutSeconds),
  port: numberLimits(serviceForm.shape.port),
  target: numberLimits(serviceForm.shape.target),
};

type Mode = 'create' | 'edit';
type Tab = 'form' | 'yaml' | 'import';

export function emptyForm(namespace: string): ServiceForm {
  return {
    name: '',
    namespace,
    workloadClass: 'eci',
    image: '',
    fc: { codeSpace: 'image', roleArn: '', customDomain: '', domainPath: '/*' },
    env: [],
    newSecrets: [],
    port: null,
    portProtocol: 'http1',
    cpuRequest: '',
    memoryRequest: '',
    cpuLimit: '',
    memoryLimit: '',
    containerConcurrency: null,
    minScale: null,
    maxScale: null,
    initialScale: null,
    target: null,
    window: '',
    scaleDownDelay: '',
    timeoutSeconds: null,
    clusterLocal: false,
  };
}

/** The form's plain text fields that the generic text row renders. */

export function ServiceEditor({
  context,
  namespace,
  name,
  onDone,
  onCancel,
}: {
  context: string;
  namespace: string;
  /** Absent: create a new Service in `namespace`. */
  name?: string;
  onDone: (namespace: string, name: string) => void;
  onCancel: () => void;
}) {
  const mode: Mode = name ? 'edit' : 'create';
  const engine = useEngine();
  const access = useAccess(context, namespace);
  const live = useOperation(
    'manage:form',
    name ? { context, namespace, name } : null,
    name ? `form:${context}/${namespace}/${name}` : null,
  );
  const secrets = useOperation(
    'manage:secrets',
    access.can('readSecrets') ? { context, namespace } : null,
    access.can('readSecrets') ? `secrets:${context}/${namespace}` : null,
  );
  const [tab, setTab] = useState<Tab>('form');
  const [form, setForm] = useState<ServiceForm>(() => emptyForm(namespace));
  const [yaml, setYaml] = useState('');
  const [importYaml, setImportYaml] = useState('');
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [planning, setPlanning] = useState(false);
  const [progress, setProgress] = useState<DeployEvent[]>([]);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);

  useEffect(() => {
    if (live.data) {
      setForm(live.data.form);
      setYaml(live.data.yaml);
    }
  }, [live.data]);

  const writeAction = mode === 'create' ? 'create' : 'edit';
  const denied = access.whyNot(writeAction);
  const fieldErrors = plan?.fieldErrors ?? {};
  const set = <K extends keyof ServiceForm>(key: K, value: ServiceForm[K]) => {
    setForm((previous) => ({ ...previous, [key]: value }));
    setPlan(null);
  };
  const request = () =>
    tab === 'yaml'
      ? { context, mode: 'edit' as const, yaml }
      : {
          context,
          mode,
          form,
          ...(live.data?.generation !== null && live.data?.generation !== undefined
            ? { generation: live.data.generation }
            : {}),
        };

  async function preview() {
    setPlanning(true);
    setError(null);
    setPlan(null);
    setProgress([]);
    try {
      setPlan(await engine.call('manage:plan', request()));
    } catch (caught) {
      setError(toEngineError(caught));
    } finally {
      setPlanning(false);
    }
  }

  function apply() {
    setApplying(true);
    setProgress([]);
    setError(null);
    const isImport = tab === 'import';
    const onEvent = (event: DeployEvent) => setProgress((previous) => [...previous, event]);
    const handlers = {
      onEvent,
      onError: (caught: EngineError) => {
        setError(caught);
        setApplying(false);
      },
      onEnd: () => setApplying(false),
    };
    if (isImport) engine.subscribe('manage:import', { context, namespace, yaml: importYaml }, handlers);
    else engine.subscribe('manage:apply', request(), handlers);
  }

  const done = progress.find((event) => event.type === 'done');
  const savedName =
    tab === 'yaml' ? (name ?? form.name) : tab === 'import' ? importedName(importYaml) : form.name;

  const reading =
    mode === 'edit' ? operationGate(live, 'Reading the Service…', 'Could not read the Service') : null;
  if (reading) return reading;

  return (
    <section data-testid="service-editor">
      <ScreenHeader
        title={mode === 'create' ? 'New Service' : `Edit ${name}`}
        subtitle={mode === 'create' ? `A Knative Service in ${namespace}` : 'Saving makes a new revision'}
      >
        <button type="button" className="btn" onClick={onCancel}>
          ← Back
        </button>
      </ScreenHeader>
      {denied ? (
        <p className="error" role="alert" data-testid="editor-denied">
          {denied}
        </p>
      ) : null}
      <div
        role="tablist"
        aria-label="How to describe the Service"
        className="row"
        style={{ marginBottom: 10 }}
      >
        {(
          [['form', 'Form'], ...(mode === 'edit' ? [['yaml', 'YAML']] : [['import', 'Import YAML']])] as [
            Tab,
            string,
          ][]
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`btn ${tab === id ? 'primary' : ''}`}
            onClick={() => {
              setTab(id);
              setPlan(null);
              setProgress([]);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'form' ? (
        <FormFields
          form={form}
          mode={mode}
          set={set}
          fieldErrors={fieldErrors}
          secrets={secrets.data?.secrets ?? null}
          secretsNote={access.whyNot('readSecrets')}
          notInForm={live.data?.notInForm ?? []}
        />
      ) : null}
      {tab === 'yaml' ? (
        <div className="panel">
          <label htmlFor="service-yaml">
            The Service as YAML (saved with a replace; resourceVersion guards races)
          </label>
          <YamlText
            id="service-yaml"
            rows={24}
            value={yaml}
            invalid={Boolean(error || plan?.error)}
            onChange={(text) => {
              setYaml(text);
              setPlan(null);
            }}
          />
        </div>
      ) : null}
      {tab === 'import' ? (
        <div className="panel">
          <label htmlFor="import-yaml">
            Paste an export (a Service, or a List from “Export with revisions”); it is created in {namespace}.
          </label>
          <input
            type="file"
            accept=".yaml,.yml,application/yaml,text/yaml"
            aria-label="Import file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then(setImportYaml);
            }}
          />
          <YamlText id="import-yaml" rows={18} value={importYaml} onChange={setImportYaml} />
        </div>
      ) : null}
      <div className="row" style={{ margin: '10px 0' }}>
        {tab !== 'import' ? (
          <BusyButton
            testId="editor-preview"
            busy={planning}
            busyLabel="Checking with the server…"
            onClick={() => void preview()}
          >
            Preview and dry run
          </BusyButton>
        ) : null}
        <button
          type="button"
          className="btn primary"
          data-testid="editor-apply"
          disabled={
            applying ||
            (done?.type === 'done' && done.ok) ||
            Boolean(denied) ||
            (tab !== 'import' && (!plan || Boolean(plan.error))) ||
            (tab === 'import' && !importYaml.trim())
          }
          title={denied ?? (tab !== 'import' && !plan ? 'Preview first: the dry run must pass.' : undefined)}
          onClick={apply}
        >
          {tab === 'import' ? 'Import' : mode === 'create' ? 'Create' : 'Save as new revision'}
        </button>
        {done?.type === 'done' && done.ok && savedName ? (
          <button type="button" className="btn" onClick={() => onDone(namespace, savedName)}>
            Open {savedName}
          </button>
        ) : null}
      </div>
      <ChangeOutcome of={{ error, plan, progress }} failedTitle="Not applied" mainKind="Service" />
    </section>
  );
}

/** The Service an import makes: the name in the export (a Service, or the first Service of a List). */
export function importedName(yamlText: string): string {
  try {
    const document = parse(yamlText) as {
      kind?: string;
      metadata?: { name?: unknown };
      items?: { metadata?: { name?: unknown } }[];
    } | null;
    const name = document?.kind === 'List' ? document.items?.[0]?.metadata?.name : document?.metadata?.name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

function FormFields({
  form,
  mode,
  set,
  fieldErrors,
  secrets,
  secretsNote,
  notInForm,
}: {
  form: ServiceForm;
  mode: Mode;
  set: <K extends keyof ServiceForm>(key: K, value: ServiceForm[K]) => void;
  fieldErrors: Record<string, string>;
  secrets: { name: string; keys: string[] }[] | null;
  secretsNote: string | null;
  notInForm: string[];
}) {
  const localErrors = useMemo(() => {
    const errors: Record<string, string> = {};
    if (form.name && !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(form.name))
      errors.name = 'lowercase letters, digits and "-", starting with a letter';
    for (const key of [
      'containerConcurrency',
      'minScale',
      'maxScale',
      'initialScale',
      'timeoutSeconds',
      'port',
    ] as const) {
      const value = form[key];
      const limits = formLimits[key];
      if (value !== null && !withinLimits(value, limits))
        errors[key] = `a whole number, ${rangeText(limits)}`;
    }
    if (form.target !== null && !withinLimits(form.target, formLimits.target))
      errors.target = `a number, ${rangeText(formLimits.target)}`;
    if (
      form.minScale !== null &&
      form.maxScale !== null &&
      form.maxScale > 0 &&
      form.minScale > form.maxScale
    )
      errors.minScale = 'must not be above max scale';
    return errors;
  }, [form]);
  const errorOf = (key: string) => localErrors[key] ?? fieldErrors[key] ?? null;
  const rows = formRows(form, set, errorOf);
  const fc = nestedRows(form, 'fc', set, errorOf);
  return (
    <div className="panel" data-testid="service-form">
      <div className="form-grid">
        {rows.text('name', 'Name', { disabled: mode === 'edit' })}
        {rows.text('image', 'Image', { hint: 'e.g. registry.cn-hangzhou.aliyuncs.com/team/app:1.2' })}
        {rows.select('workloadClass', 'Runs on', [
          { value: 'eci', label: 'ECI (pods on elastic container instances)' },
          { value: 'fc', label: 'Function Compute (FC)' },
        ])}
        {rows.checkbox('clusterLocal', 'Cluster-local only (no public URL)', {
          hint: 'networking.knative.dev/visibility: cluster-local',
        })}
      </div>
      {form.workloadClass === 'fc' ? (
        <fieldset className="form-grid">
          <legend>Function Compute</legend>
          {fc.select(
            'codeSpace',
            'Code space',
            (['image', 'inline', 'oss'] as const).map((v) => ({ value: v, label: v })),
          )}
          {fc.text('roleArn', 'RAM role ARN', { hint: 'role-arm annotation' })}
          {fc.text('customDomain', 'Custom domain', { hint: 'empty: the FC default URL' })}
          {fc.text('domainPath', 'Domain path')}
        </fieldset>
      ) : null}
      <fieldset className="form-grid">
        <legend>Autoscaling and requests</legend>
        {rows.number('containerConcurrency', 'Container concurrency', {
          hint: '0 = unlimited; empty = server default',
        })}
        {rows.number('minScale', 'Min scale', { hint: '0 lets it scale to zero' })}
        {rows.number('maxScale', 'Max scale', { hint: '0 = no limit' })}
        {rows.number('initialScale', 'Initial scale', { hint: 'pods when a revision is created' })}
        {rows.number('target', 'Target (concurrency per pod)')}
        {rows.text('window', 'Window', { hint: 'e.g. 60s' })}
        {rows.text('scaleDownDelay', 'Scale-down delay', { hint: 'e.g. 5m' })}
        {rows.number('timeoutSeconds', 'Request timeout (s)', { hint: 'empty = server default (300)' })}
      </fieldset>
      <fieldset className="form-grid">
        <legend>Port and resources</legend>
        {rows.number('port', 'Container port', { hint: 'empty = 8080' })}
        {rows.select('portProtocol', 'Protocol', [
          { value: 'http1', label: 'HTTP/1 (http1)' },
          { value: 'h2c', label: 'HTTP/2 cleartext (h2c, gRPC)' },
        ])}
        {rows.text('cpuRequest', 'CPU request', { hint: 'e.g. 250m' })}
        {rows.text('memoryRequest', 'Memory request', { hint: 'e.g. 256Mi' })}
        {rows.text('cpuLimit', 'CPU limit')}
        {rows.text('memoryLimit', 'Memory limit')}
      </fieldset>
      <EnvEditor
        env={form.env}
        onChange={(env) => set('env', env)}
        secrets={secrets}
        secretsNote={secretsNote}
        newSecrets={form.newSecrets}
        onNewSecrets={(list) => set('newSecrets', list)}
        error={errorOf('env')}
      />
      {notInForm.length > 0 ? (
        <p className="muted" data-testid="not-in-form">
          Kept as they are (not shown in the form; edit them in YAML): {notInForm.join('; ')}.
        </p>
      ) : null}
    </div>
  );
}

function EnvEditor({
  env,
  onChange,
  secrets,
  secretsNote,
  newSecrets,
  onNewSecrets,
  error,
}: {
  env: EnvEntry[];
  onChange: (env: EnvEntry[]) => void;
  secrets: { name: string; keys: string[] }[] | null;
  secretsNote: string | null;
  newSecrets: ServiceForm['newSecrets'];
  onNewSecrets: (list: ServiceForm['newSecrets']) => void;
  error: string | null;
}) {
  const known = [
    ...(secrets ?? []),
    ...newSecrets.map((s) => ({ name: s.name, keys: Object.keys(s.values) })),
  ];
  const update = (index: number, entry: EnvEntry) => onChange(env.map((e, i) => (i === index ? entry : e)));
  // One text input of an entry, labelled "Env <n> <what>" for screen readers.
  const envLabels = { name: 'name', value: 'value', secretName: 'secret', secretKey: 'key' } as const;
  const envInput = (
    entry: EnvEntry,
    index: number,
    key: keyof typeof envLabels,
    placeholder: string,
    list?: string,
  ) => (
    <input
      aria-label={`Env ${index + 1} ${envLabels[key]}`}
      list={list}
      placeholder={placeholder}
      value={(entry as Record<string, string>)[key]}
      onChange={(e) => update(index, { ...entry, [key]: e.target.value } as EnvEntry)}
    />
  );
  return (
    <fieldset data-testid="env-editor">
      <legend>Environment</legend>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {env.map((entry, index) => (
        <div className="row" key={index} style={{ marginBottom: 6 }}>
          {envInput(entry, index, 'name', 'NAME')}
          <select
            aria-label={`Env ${index + 1} source`}
            value={entry.source}
            onChange={(e) =>
              update(
                index,
                e.target.value === 'value'
                  ? { source: 'value', name: entry.name, value: '' }
                  : {
                      source: 'secret',
                      name: entry.name,
                      secretName: known[0]?.name ?? '',
                      secretKey: known[0]?.keys[0] ?? '',
                    },
              )
            }
          >
            <option value="value">value</option>
            <option value="secret">from a Secret</option>
          </select>
          {entry.source === 'value' ? (
            envInput(entry, index, 'value', 'value')
          ) : (
            <>
              {envInput(entry, index, 'secretName', 'secret name', 'known-secrets')}
              {envInput(entry, index, 'secretKey', 'key', `keys-${index}`)}
              <datalist id={`keys-${index}`}>
                {(known.find((s) => s.name === entry.secretName)?.keys ?? []).map((key) => (
                  <option key={key} value={key} />
                ))}
              </datalist>
            </>
          )}
          <button
            type="button"
            className="btn"
            aria-label={`Remove env ${index + 1}`}
            onClick={() => onChange(env.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <datalist id="known-secrets">
        {known.map((s) => (
          <option key={s.name} value={s.name} />
        ))}
      </datalist>
      <div className="row">
        <button
          type="button"
          className="btn"
          data-testid="env-add"
          onClick={() => onChange([...env, { source: 'value', name: '', value: '' }])}
        >
          Add variable
        </button>
        <button
          type="button"
          className="btn"
          data-testid="secret-add"
          onClick={() => onNewSecrets([...newSecrets, { name: '', values: { '': '' } }])}
        >
          New Secret
        </button>
        {secretsNote ? (
          <span className="muted">{secretsNote} Type the Secret name and key instead.</span>
        ) : null}
      </div>
      {newSecrets.map((secret, index) => {
        const [key, value] = Object.entries(secret.values)[0] ?? ['', ''];
        const replace = (next: { name?: string; key?: string; value?: string }) =>
          onNewSecrets(
            newSecrets.map((s, i) =>
              i === index
                ? { name: next.name ?? s.name, values: { [next.key ?? key]: next.value ?? value } }
                : s,
            ),
          );
        return (
          <div className="row" key={index} style={{ marginTop: 6 }} data-testid={`new-secret-${index}`}>
            <span className="muted">New Secret</span>
            <input
              aria-label={`New Secret ${index + 1} name`}
              placeholder="secret-name"
              value={secret.name}
              onChange={(e) => replace({ name: e.target.value })}
            />
            <input
              aria-label={`New Secret ${index + 1} key`}
              placeholder="key"
              value={key}
              onChange={(e) => replace({ key: e.target.value })}
            />
            <input
              aria-label={`New Secret ${index + 1} value`}
              type="password"
              autoComplete="off"
              placeholder="value"
              value={value}
              onChange={(e) => replace({ value: e.target.value })}
            />
            <button
              type="button"
              className="btn"
              aria-label={`Remove new Secret ${index + 1}`}
              onClick={() => onNewSecrets(newSecrets.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A full-width monospace text area for a YAML document (the Service as YAML, an import). */
function YamlText({
  id,
  rows,
  value,
  invalid = false,
  onChange,
}: {
  id: string;
  rows: number;
  value: string;
  invalid?: boolean;
  onChange: (text: string) => void;
}) {
  return (
    <textarea
      id={id}
      className="mono"
      rows={rows}
      style={{ width: '100%' }}
      value={value}
      aria-invalid={invalid}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
