// The Service form ↔ a Knative Service object (pure). Create builds a fresh Service; edit applies the form onto the
// live object, so everything the form does not show (probes, volumes, other annotations, traffic) is kept, and a
// replace with the live resourceVersion either writes exactly that or answers 409.
import type { EnvEntry, ServiceForm } from '../../common/schemas/manage';
import type { KubeObject } from '../workloads/kube-object';
import { arrayOf, intOrNull, recordOf } from '../workloads/kube-object';
import {
  annotations as keys,
  labels,
  legacyAnnotations,
  userContainerName,
  visibilityClusterLocal,
} from '../../../knative/keys';
import { servingApiVersion } from '../../../knative/resources';

type Json = Record<string, unknown>;

function setOrDelete(record: Record<string, string>, key: string, value: string | null): void {
  for (const [legacy, modern] of Object.entries(legacyAnnotations)) if (modern === key) delete record[legacy];
  if (value === null || value === '') delete record[key];
  else record[key] = value;
}

function envOf(entries: EnvEntry[]): Json[] {
  return entries.map((entry) =>
    entry.source === 'value'
      ? { name: entry.name, value: entry.value }
      : { name: entry.name, valueFrom: { secretKeyRef: { name: entry.secretName, key: entry.secretKey } } },
  );
}

function resourcesOf(form: ServiceForm, base: Json): Json | undefined {
  const requests = { ...recordOf(base.requests) } as Record<string, string>;
  const limits = { ...recordOf(base.limits) } as Record<string, string>;
  setOrDelete(requests, 'cpu', form.cpuRequest);
  setOrDelete(requests, 'memory', form.memoryRequest);
  setOrDelete(limits, 'cpu', form.cpuLimit);
  setOrDelete(limits, 'memory', form.memoryLimit);
  const out: Json = { ...base };
  delete out.requests;
  delete out.limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The Service the form describes. With `base` (the live Service) the form is applied onto it: metadata such as
 * resourceVersion, other containers' settings and spec.traffic stay as they are; without it a new Service is built.
 */
export function formToService(form: ServiceForm, base?: KubeObject): KubeObject {
  const service: KubeObject = base
    ? structuredClone(base)
    : {
        apiVersion: servingApiVersion,
        kind: 'Service',
        metadata: { name: form.name, namespace: form.namespace },
      };
  delete service.status;
  const metadata = (service.metadata ??= {});
  delete metadata.managedFields;
  metadata.name = form.name;
  metadata.namespace = form.namespace;
  const serviceAnnotations = { ...(metadata.annotations ?? {}) };
  const serviceLabels = { ...(metadata.labels ?? {}) };
  setOrDelete(serviceAnnotations, keys.workloadClass, form.workloadClass === 'fc' ? 'fc' : null);
  setOrDelete(serviceLabels, labels.visibility, form.clusterLocal ? visibilityClusterLocal : null);
  metadata.annotations = serviceAnnotations;
  metadata.labels = serviceLabels;
  if (Object.keys(serviceAnnotations).length === 0) delete metadata.annotations;
  if (Object.keys(serviceLabels).length === 0) delete metadata.labels;

  const spec = (service.spec ??= {});
  const template = recordOf(spec.template);
  const templateMetadata = { ...recordOf(template.metadata) };
  // A name of one's own ("bring your own revision name") must change with every template change; dropping it lets
  // Knative generate the next `<name>-0000N`.
  delete templateMetadata.name;
  const revisionAnnotations = { ...recordOf(templateMetadata.annotations) } as Record<string, string>;
  setOrDelete(revisionAnnotations, keys.workloadClass, null);
  setOrDelete(revisionAnnotations, keys.minScale, form.minScale === null ? null : String(form.minScale));
  setOrDelete(revisionAnnotations, keys.maxScale, form.maxScale === null ? null : String(form.maxScale));
  setOrDelete(
    revisionAnnotations,
    keys.initialScale,
    form.initialScale === null ? null : String(form.initialScale),
  );
  setOrDelete(revisionAnnotations, keys.target, form.target === null ? null : String(form.target));
  setOrDelete(revisionAnnotations, keys.window, form.window);
  setOrDelete(revisionAnnotations, keys.scaleDownDelay, form.scaleDownDelay);
  const fc = form.workloadClass === 'fc';
  setOrDelete(revisionAnnotations, keys.fcCodeSpace, fc ? form.fc.codeSpace : null);
  setOrDelete(revisionAnnotations, keys.fcRoleArn, fc ? form.fc.roleArn : null);
  setOrDelete(
    revisionAnnotations,
    keys.fcDomain,
    fc && form.fc.customDomain !== ''
      ? JSON.stringify({ domain: form.fc.customDomain, path: form.fc.domainPath || '/*' })
      : null,
  );
  if (Object.keys(revisionAnnotations).length > 0) templateMetadata.annotations = revisionAnnotations;
  else delete templateMetadata.annotations;

  const templateSpec = { ...recordOf(template.spec) };
  const containers = arrayOf(templateSpec.containers).map((c) => ({ ...recordOf(c) }));
  const container = containers[0] ?? { name: userContainerName };
  container.image = form.image;
  const env = envOf(form.env);
  if (env.length > 0) container.env = env;
  else delete container.env;
  if (form.port !== null) container.ports = [{ name: form.portProtocol, containerPort: form.port }];
  else delete container.ports;
  const resources = resourcesOf(form, recordOf(container.resources));
  if (resources) container.resources = resources;
  else delete container.resources;
  containers[0] = container;
  templateSpec.containers = containers;
  if (form.containerConcurrency !== null) templateSpec.containerConcurrency = form.containerConcurrency;
  else delete templateSpec.containerConcurrency;
  if (form.timeoutSeconds !== null) templateSpec.timeoutSeconds = form.timeoutSeconds;
  else delete templateSpec.timeoutSeconds;

  spec.template = {
    ...template,
    ...(Object.keys(templateMetadata).length > 0 ? { metadata: templateMetadata } : {}),
    spec: templateSpec,
  };
  if (Object.keys(templateMetadata).length === 0) delete (spec.template as Json).metadata;
  return service;
}

/** Secrets the form creates before the Service, as `stringData` (the server encodes it). */
export function secretsOf(form: ServiceForm): KubeObject[] {
  return form.newSecrets.map((secret) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secret.name, namespace: form.namespace },
    type: 'Opaque',
    stringData: secret.values,
  })) as KubeObject[];
}

function annotation(record: Record<string, string>, key: string): string | null {
  if (record[key] !== undefined) return record[key]!;
  for (const [legacy, modern] of Object.entries(legacyAnnotations)) {
    if (modern === key && record[legacy] !== undefined) return record[legacy]!;
  }
  return null;
}

const shownAnnotations = new Set<string>([
  keys.minScale,
  keys.maxScale,
  keys.initialScale,
  keys.target,
  keys.window,
  keys.scaleDownDelay,
  keys.fcCodeSpace,
  keys.fcRoleArn,
  keys.fcDomain,
  keys.workloadClass,
  ...Object.keys(legacyAnnotations),
]);

/** The form prefilled from a live Service, and the parts of it the form does not show (kept on save). */
export function serviceToForm(service: KubeObject): { form: ServiceForm; notInForm: string[] } {
  const metadata = service.metadata ?? {};
  const template = recordOf(service.spec?.template);
  const templateMetadata = recordOf(template.metadata);
  const revisionAnnotations = recordOf(templateMetadata.annotations) as Record<string, string>;
  const templateSpec = recordOf(template.spec);
  const containers = arrayOf(templateSpec.containers).map(recordOf);
  const container = containers[0] ?? {};
  const requests = recordOf(recordOf(container.resources).requests) as Record<string, string>;
  const limits = recordOf(recordOf(container.resources).limits) as Record<string, string>;
  const port = recordOf(arrayOf(container.ports)[0]);
  const classValue =
    metadata.annotations?.[keys.workloadClass] ?? revisionAnnotations[keys.workloadClass] ?? 'eci';
  let customDomain = '';
  let domainPath = '/*';
  const domain = revisionAnnotations[keys.fcDomain];
  if (domain) {
    try {
      const parsed = recordOf(JSON.parse(domain));
      customDomain = typeof parsed.domain === 'string' ? parsed.domain : '';
      domainPath = typeof parsed.path === 'string' ? parsed.path : '/*';
    } catch {
      customDomain = domain;
    }
  }
  const env: EnvEntry[] = [];
  const notInForm: string[] = [];
  for (const raw of arrayOf(container.env).map(recordOf)) {
    const name = typeof raw.name === 'string' ? raw.name : '';
    const ref = recordOf(recordOf(raw.valueFrom).secretKeyRef);
    if (typeof ref.name === 'string' && typeof ref.key === 'string') {
      env.push({ source: 'secret', name, secretName: ref.name, secretKey: ref.key });
    } else if (raw.valueFrom) {
      notInForm.push(
        `env ${name} (valueFrom other than secretKeyRef; written back as a plain value would lose it)`,
      );
      env.push({ source: 'value', name, value: '' });
    } else {
      env.push({ source: 'value', name, value: typeof raw.value === 'string' ? raw.value : '' });
    }
  }
  const number = (value: string | null) => (value === null || value === '' ? null : Number(value));
  const form: ServiceForm = {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    workloadClass: classValue.toLowerCase() === 'fc' ? 'fc' : 'eci',
    image: typeof container.image === 'string' ? container.image : '',
    fc: {
      codeSpace:
        (['image', 'inline', 'oss'] as const).find((c) => c === revisionAnnotations[keys.fcCodeSpace]) ??
        'image',
      roleArn: revisionAnnotations[keys.fcRoleArn] ?? '',
      customDomain,
      domainPath,
    },
    env,
    newSecrets: [],
    port: intOrNull(port.containerPort),
    portProtocol: port.name === 'h2c' ? 'h2c' : 'http1',
    cpuRequest: requests.cpu ?? '',
    memoryRequest: requests.memory ?? '',
    cpuLimit: limits.cpu ?? '',
    memoryLimit: limits.memory ?? '',
    containerConcurrency: intOrNull(templateSpec.containerConcurrency),
    minScale: intOrNull(annotation(revisionAnnotations, keys.minScale)),
    maxScale: intOrNull(annotation(revisionAnnotations, keys.maxScale)),
    initialScale: intOrNull(annotation(revisionAnnotations, keys.initialScale)),
    target: number(annotation(revisionAnnotations, keys.target)),
    window: annotation(revisionAnnotations, keys.window) ?? '',
    scaleDownDelay: annotation(revisionAnnotations, keys.scaleDownDelay) ?? '',
    timeoutSeconds: intOrNull(templateSpec.timeoutSeconds),
    clusterLocal: metadata.labels?.[labels.visibility] === visibilityClusterLocal,
  };
  if (containers.length > 1) notInForm.push(`${containers.length - 1} more container(s)`);
  for (const field of [
    'readinessProbe',
    'livenessProbe',
    'startupProbe',
    'command',
    'args',
    'volumeMounts',
  ]) {
    if (container[field] !== undefined) notInForm.push(`container ${field}`);
  }
  for (const field of ['volumes', 'serviceAccountName', 'imagePullSecrets', 'nodeSelector', 'tolerations']) {
    if (templateSpec[field] !== undefined) notInForm.push(`spec ${field}`);
  }
  for (const key of Object.keys(revisionAnnotations)) {
    if (!shownAnnotations.has(key)) notInForm.push(`revision annotation ${key}`);
  }
  if (service.spec?.traffic !== undefined) notInForm.push('traffic (edited in the traffic form)');
  return { form, notInForm };
}

/**
 * Which form field a server error is about, from a Kubernetes cause field or the path a webhook names at the end of
 * its message (`validation failed: expected 1 <= 0 <= 1000: spec.template.spec.containerConcurrency`).
 */
export function formFieldOf(text: string): keyof ServiceForm | null {
  const rules: [RegExp, keyof ServiceForm][] = [
    [/containers\[\d+\]\.image|\.image\b|image/i, 'image'],
    [/containerConcurrency/, 'containerConcurrency'],
    [/timeoutSeconds/, 'timeoutSeconds'],
    [/min-?scale/i, 'minScale'],
    [/max-?scale/i, 'maxScale'],
    [/initial-?scale/i, 'initialScale'],
    [/scale-?down-?delay/i, 'scaleDownDelay'],
    [/autoscaling\.knative\.dev\/window/, 'window'],
    [/autoscaling\.knative\.dev\/target/, 'target'],
    [/\.env\b|env\[|\benv\b/, 'env'],
    [/ports|containerPort/, 'port'],
    [/requests\.cpu|requests\[cpu\]/, 'cpuRequest'],
    [/requests\.memory|requests\[memory\]/, 'memoryRequest'],
    [/limits\.cpu|limits\[cpu\]/, 'cpuLimit'],
    [/limits\.memory|limits\[memory\]/, 'memoryLimit'],
    [/metadata\.name|\bname\b/, 'name'],
    [/visibility/, 'clusterLocal'],
  ];
  // The webhook puts the path last; try the text after the last ": " first so the message's words do not mislead.
  const tail = text.slice(text.lastIndexOf(': ') + 2);
  for (const candidate of [tail, text]) {
    for (const [pattern, field] of rules) if (pattern.test(candidate)) return field;
  }
  return null;
}
