// Listing every object of one kind, shared by the workload rows, the manage screens and the resilient watch.
import type { KubernetesObjectApi } from '@kubernetes/client-node';
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
