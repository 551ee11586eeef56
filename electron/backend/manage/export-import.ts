// Export and import of a Service as `kn service export` does it (pure). Without revisions: the Service alone, server
// bookkeeping removed. With revisions (kn's "replay" mode): a `List` of Services, one per routed revision, oldest
// first, each naming its revision (template.metadata.name) so that applying them in order recreates the same
// revisions; only the last carries the traffic. Import reads either form back.
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../workloads/kube-object';
import { intOrNull, recordOf } from '../workloads/kube-object';
import { EngineError } from '../errors';
import { serverBookkeeping } from '../deploy/run-events';
import { generatedRevisionKeys, labels } from '../../../knative/keys';
import { servingApiVersion } from '../../../knative/resources';

const serverMetadata = [
  ...serverBookkeeping,
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

function withoutGenerated(record: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(recordOf(record))) {
    if (!generatedRevisionKeys.has(key) && typeof value === 'string') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A Service as a user would write it: no status, no server bookkeeping, no Knative-written annotations. */
export function cleanService(service: KubeObject): KubeObject {
  const copy = structuredClone(service);
  delete copy.status;
  const metadata = copy.metadata ?? {};
  for (const key of serverMetadata) delete (metadata as Record<string, unknown>)[key];
  const annotations = withoutGenerated(metadata.annotations);
  if (annotations) metadata.annotations = annotations;
  else delete metadata.annotations;
  copy.metadata = metadata;
  return copy;
}

/** The Service template that made `revision`, named after it. */
export function templateOfRevision(revision: KubeObject): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: revision.metadata?.name };
  const revisionLabels = withoutGenerated(revision.metadata?.labels);
  const revisionAnnotations = withoutGenerated(revision.metadata?.annotations);
  if (revisionLabels) metadata.labels = revisionLabels;
  if (revisionAnnotations) metadata.annotations = revisionAnnotations;
  return { metadata, spec: structuredClone(revision.spec ?? {}) };
}

export function generationOf(revision: KubeObject): number {
  return intOrNull(revision.metadata?.labels?.[labels.configurationGeneration]) ?? 0;
}

export function exportYaml(
  service: KubeObject,
  revisions: readonly KubeObject[],
  routed: ReadonlySet<string>,
  withRevisions: boolean,
): { yaml: string; revisions: string[] } {
  const clean = cleanService(service);
  if (!withRevisions) return { yaml: stringify(clean), revisions: [] };
  const chosen = revisions
    .filter((revision) => routed.has(revision.metadata?.name ?? ''))
    .sort((a, b) => generationOf(a) - generationOf(b));
  if (chosen.length === 0) return { yaml: stringify(clean), revisions: [] };
  const items = chosen.map((revision, index) => {
    const item = structuredClone(clean);
    const spec = { ...(item.spec ?? {}) };
    spec.template = templateOfRevision(revision);
    if (index < chosen.length - 1) delete spec.traffic;
    item.spec = spec;
    return item;
  });
  return {
    yaml: stringify({ apiVersion: 'v1', kind: 'List', items }),
    revisions: chosen.map((revision) => revision.metadata?.name ?? ''),
  };
}

/** The Services an export holds, in apply order, moved to `namespace`. Anything else is refused with its place. */
export function parseImport(yaml: string, namespace: string): KubeObject[] {
  const documents = parseAllDocuments(yaml);
  const objects: KubeObject[] = [];
  documents.forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new EngineError('invalid-request', `YAML document ${index + 1}: ${document.errors[0]!.message}`, {
        causes: document.errors.map((error) => ({ field: 'yaml', message: error.message })),
      });
    }
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) return;
    const record = recordOf(value);
    if (record.kind === 'List')
      objects.push(...(Array.isArray(record.items) ? (record.items as KubeObject[]) : []));
    else objects.push(record as KubeObject);
  });
  if (objects.length === 0) throw new EngineError('invalid-request', 'The YAML holds no Service.');
  const name = objects[0]?.metadata?.name;
  objects.forEach((object, index) => {
    if (object.apiVersion !== servingApiVersion || object.kind !== 'Service') {
      throw new EngineError(
        'invalid-request',
        `Item ${index + 1} is ${object.kind ?? 'an object without kind'} (${object.apiVersion ?? 'no apiVersion'}); an export holds only serving.knative.dev/v1 Services.`,
      );
    }
    if (object.metadata?.name !== name) {
      throw new EngineError(
        'invalid-request',
        `Item ${index + 1} is Service "${object.metadata?.name ?? ''}", not "${name ?? ''}": an export holds one Service.`,
      );
    }
  });
  return objects.map((object) => {
    const clean = cleanService(object);
    clean.metadata = { ...clean.metadata, namespace };
    return clean;
  });
}
