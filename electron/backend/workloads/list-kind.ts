// Reading objects of one kind, shared by the workload rows, the manage and eventing services and the resilient
// watch: every object of a kind (empty when the cluster does not serve it), or one object (not-found named).
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import { apiVersionOf, type ResourceType } from '../../../knative/resources';
import { EngineError } from '../errors';
import type { KubeObject } from './kube-object';

/** One page of every object of a kind (client-node's list takes its options positionally). */
export function listKind(
  api: KubernetesObjectApi,
  apiVersion: string,
  kind: string,
  namespace?: string,
  labelSelector?: string,
) {
  return api.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
}

/** Like listKind, but a kind the cluster does not serve (its CRD is missing) lists as empty. */
export async function listKindOrNone(
  api: KubernetesObjectApi,
  apiVersion: string,
  kind: string,
  namespace?: string,
  labelSelector?: string,
): Promise<KubeObject[]> {
  try {
    return (await listKind(api, apiVersion, kind, namespace, labelSelector)).items as KubeObject[];
  } catch (error) {
    // Missing CRD: discovery finds no such kind (client-node throws a plain Error naming it) or the path 404s.
    const message = String((error as Error)?.message ?? '');
    if ((error as { code?: number }).code === 404 || /Unrecognized API version and kind/.test(message))
      return [];
    throw error;
  }
}

/** One object, or a not-found EngineError that names it (`what`: how the user calls the kind). */
export async function readOrNotFound(
  api: KubernetesObjectApi,
  type: ResourceType,
  namespace: string,
  name: string,
  what: string,
): Promise<KubeObject> {
  try {
    return (await api.read({
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: { name, namespace },
    })) as KubeObject;
  } catch (error) {
    if ((error as { code?: number }).code === 404) {
      throw new EngineError('not-found', `No ${what} "${name}" in namespace ${namespace}.`, {
        kind: type.kind,
        name,
        namespace,
      });
    }
    throw error;
  }
}
