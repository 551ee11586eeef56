// The loose shape of objects read from the apiserver. Knative CRDs have no generated types in client-node, so the
// mapping code reads fields defensively through these helpers instead of trusting casts.
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string }[];
    managedFields?: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export function conditionOf(object: KubeObject, type = 'Ready'): Condition | undefined {
  const conditions = object.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((condition: Condition) => condition?.type === type) as Condition | undefined;
}

export function conditionStatus(condition: Condition | undefined): 'True' | 'False' | 'Unknown' {
  return condition?.status === 'True' || condition?.status === 'False' ? condition.status : 'Unknown';
}

export function keyOf(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export function isoOf(time: string | Date | undefined): string {
  if (!time) return new Date(0).toISOString();
  return time instanceof Date ? time.toISOString() : time;
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function intOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

/** What an edit form sends back with its change, so the engine can refuse it when someone changed the object since. */
export function editVersion(object: KubeObject): { resourceVersion: string; generation: number | null } {
  return {
    resourceVersion: object.metadata?.resourceVersion ?? '',
    generation: intOrNull(object.metadata?.generation),
  };
}

export function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
