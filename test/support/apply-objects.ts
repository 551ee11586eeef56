// Writing rendered templates the way the console's deploy does: server-side apply, forced, under a field manager;
// and removing the barrage demo's objects again after a test.
import type { KubernetesObjectApi } from '@kubernetes/client-node';

export { serverSideApply } from '../../playground/kube-writes';

/** Deletes the barrage demo's KafkaSource and both Services in `namespace` (what is not there is skipped). */
export async function deleteBarrageDemo(api: KubernetesObjectApi, namespace: string): Promise<void> {
  for (const [apiVersion, kind, name] of [
    ['sources.knative.dev/v1', 'KafkaSource', 'barrage-source'],
    ['serving.knative.dev/v1', 'Service', 'barrage-processing'],
    ['serving.knative.dev/v1', 'Service', 'barrage-homepage'],
  ] as const) {
    await api.delete({ apiVersion, kind, metadata: { name, namespace } }).catch(() => undefined);
  }
}
