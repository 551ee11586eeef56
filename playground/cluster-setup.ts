// Idempotent setup of the playground cluster after kube-apiserver answers: namespaces, the viewer's RBAC, and the
// Knative CRDs (waited on until Established). Server-side apply makes every run converge to the same objects.
import {
  ApiException,
  ApiextensionsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { ADMIN_CONTEXT, VIEWER_NAMESPACE } from './info';
import { VIEWER_USER } from './kube-credentials';
import { knativeCrds } from './knative-crds';
import { serverSideApply } from './kube-writes';
import type { Progress } from './progress';
import type { Versions } from './versions';

const FIELD_MANAGER = 'knative-desk-playground';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function adminKubeConfig(kubeconfig: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(ADMIN_CONTEXT);
  return kc;
}

/** The viewer may get/list/watch everything in its namespace and nothing else (discovery comes from the defaults). */
export function viewerRbac(): KubernetesObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'knative-desk-viewer', namespace: VIEWER_NAMESPACE },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'knative-desk-viewer', namespace: VIEWER_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'knative-desk-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: VIEWER_USER }],
    } as KubernetesObject,
  ];
}

export async function setUpCluster(options: { kubeconfig: string; versions: Versions; progress: Progress }) {
  const kc = adminKubeConfig(options.kubeconfig);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const apply = (object: KubernetesObject) => serverSideApply(objects, [object], FIELD_MANAGER);

  for (const name of ['default', VIEWER_NAMESPACE]) {
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  for (const object of viewerRbac()) await apply(object);

  const crds = knativeCrds(options.versions);
  options.progress(`applying ${crds.length} Knative CRDs`);
  for (const crd of crds) await apply(crd as unknown as KubernetesObject);
  await waitEstablished(
    kc.makeApiClient(ApiextensionsV1Api),
    crds.map((crd) => crd.metadata.name),
  );
}

export async function waitEstablished(
  api: ApiextensionsV1Api,
  names: string[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name }).catch((error: unknown) => {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      });
      const established = crd?.status?.conditions?.some(
        (c) => c.type === 'Established' && c.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${name} was not Established within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
}
