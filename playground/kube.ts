// Thin access to the playground's kube-apiserver for its own controllers: typed shapes of the Knative objects they
// read and write, and the few verbs they need (list, get, replace, replace status) with conflict retries.
// Status is only ever written through the /status subresource, as Knative's controllers do.

import { isDeepStrictEqual } from 'node:util';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1ObjectMeta,
} from '@kubernetes/client-node';
import { withTransitionTimes, type Condition } from '../knative/condition-set';
import { resources, type ResourceType } from '../knative/resources';

export type { Condition } from '../knative/condition-set';

export interface KnativeObject<Spec = unknown, Status = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: Spec;
  status?: Status & { conditions?: Condition[]; observedGeneration?: number };
}

export type Resource = ResourceType;

export const SERVICES: Resource = resources.service;
export const KAFKASOURCES: Resource = resources.kafkaSource;

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}
function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    try {
      const parsed = JSON.parse(body) as { message?: string };
      return `HTTP ${error.code}: ${parsed.message ?? body}`;
    } catch {
      return `HTTP ${error.code}: ${body}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** The same condition list with `lastTransitionTime` kept where the status did not change. */
export const mergeConditions = withTransitionTimes;

/**
 * Status equality that ignores transition times and key order (so an unchanged status is not rewritten every pass:
 * the API server answers with sorted keys, while a computed status has them in the order it was written).
 */
export function sameStatus(a: unknown, b: unknown): boolean {
  // Through JSON: transition times and undefined fields drop out; isDeepStrictEqual ignores key order.
  const strip = (value: unknown): unknown =>
    value === undefined
      ? undefined
      : JSON.parse(
          JSON.stringify(value, (key, inner: unknown) => (key === 'lastTransitionTime' ? undefined : inner)),
        );
  return isDeepStrictEqual(strip(a), strip(b));
}

export class Kube {
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;

  constructor(readonly config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
  }

  static fromFile(kubeconfigPath: string, context?: string): Kube {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    if (context) config.setCurrentContext(context);
    return new Kube(config);
  }

  async list<T extends KnativeObject>(resource: Resource): Promise<T[]> {
    const result = (await this.custom.listClusterCustomObject({
      group: resource.group,
      version: resource.version,
      plural: resource.plural,
    })) as { items?: T[] };
    return result.items ?? [];
  }

  async get<T extends KnativeObject>(
    resource: Resource,
    namespace: string,
    name: string,
  ): Promise<T | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...coords(resource), namespace, name })) as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async replace<T extends KnativeObject>(resource: Resource, body: T): Promise<T> {
    return (await this.custom.replaceNamespacedCustomObject({
      ...coords(resource),
      namespace: body.metadata.namespace,
      name: body.metadata.name,
      body,
    })) as T;
  }

  /**
   * Writes `status` through the /status subresource: reads the latest object, applies `compute`, skips the write
   * when nothing changed, retries on a conflict. Returns the object as stored afterwards (undefined if gone).
   */
  async updateStatus<T extends KnativeObject>(
    resource: Resource,
    namespace: string,
    name: string,
    compute: (current: T) => NonNullable<T['status']>,
  ): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<T>(resource, namespace, name);
      if (!current) return undefined;
      const status = compute(current);
      if (sameStatus(current.status, status)) return current;
      try {
        return (await this.custom.replaceNamespacedCustomObjectStatus({
          ...coords(resource),
          namespace,
          name,
          body: { ...current, status },
        })) as T;
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error;
      }
    }
  }
}

function coords(resource: Resource) {
  return { group: resource.group, version: resource.version, plural: resource.plural };
}
