// KafkaSources for integration tests: create one with a spec, and remove every KafkaSource of a test namespace
// (the test playground has no finalizers to wait for; the dispatcher stops a deleted source's consumer).
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { resources } from '../../knative/resources';
import { deleteAllOf } from './runtime-helpers';

const { group, version, plural } = resources.kafkaSource;
const coordinates = { group, version, plural };

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
  await deleteAllOf(kc, resources.kafkaSource, namespace);
}
