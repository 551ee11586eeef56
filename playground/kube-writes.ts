// The two writes the playground's set-up and its stand-in controllers make, written once: server-side apply of
// objects it owns (forced, under a field manager, so every run converges to the same objects whoever touched them
// last), and a merge patch of a status subresource (what a controller writes after reconciling, as Knative's own
// reconcilers do with UpdateStatus).
import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type CustomObjectsApi,
  type KubernetesObject,
  type KubernetesObjectApi,
} from '@kubernetes/client-node';

/** Server-side applies each object in order, as `fieldManager`, taking over fields others own (force). */
export async function serverSideApply(
  api: KubernetesObjectApi,
  objects: readonly KubernetesObject[],
  fieldManager: string,
): Promise<void> {
  for (const object of objects) {
    await api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
  }
}

/** The group, version and plural of a custom resource, as `playground/../knative/resources` lists them. */
export interface CustomResource {
  group: string;
  version: string;
  plural: string;
}

/** Merge-patches `status` of a namespaced custom object (the other status fields stay as they are). */
export async function patchCustomStatus(
  custom: CustomObjectsApi,
  resource: CustomResource,
  at: { namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<void> {
  await custom.patchNamespacedCustomObjectStatus(
    { group: resource.group, version: resource.version, plural: resource.plural, ...at, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** Merge-patches `status` of a core Service (a LoadBalancer's address, as a cloud controller writes it). */
export async function patchServiceStatus(
  core: CoreV1Api,
  at: { namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<void> {
  await core.patchNamespacedServiceStatus(
    { ...at, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}
