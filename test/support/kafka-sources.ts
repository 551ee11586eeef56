// KafkaSources for integration tests: create one with a spec, and remove every KafkaSource of a test namespace
// (the test playground has no finalizers to wait for; the dispatcher stops a deleted source's consumer).
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';

const coordinates = { group: 'sources.knative.dev', version: 'v1', plural: 'kafkasources' } as const;

export async function createKafkaSource(
  kc: KubeConfig,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...coordinates,
    namespace,
    body: { apiVersion: 'sources.knative.dev/v1', kind: 'KafkaSource', metadata: { name, namespace }, spec },
  });
}

export async function deleteKafkaSources(kc: KubeConfig, namespace: string): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = (await custom.listNamespacedCustomObject({ ...coordinates, namespace })) as {
    items: { metadata: { name: string } }[];
  };
  for (const item of list.items) {
    await custom.deleteNamespacedCustomObject({ ...coordinates, namespace, name: item.metadata.name });
  }
}
