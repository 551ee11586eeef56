// Knative Services and Revisions read back as kubectl sees them (the admin's object API), so a test checks what the
// cluster stores rather than what the engine said it wrote. The caller types the Service as far as it reads it.
import type { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { expect } from 'vitest';
import type { PlaygroundInfo } from '../../playground/info';
import { kubectlApplyReadyKsvc } from './kubectl';
import { uniqueName } from './unique';

export async function readKsvc<T>(objects: KubernetesObjectApi, namespace: string, name: string): Promise<T> {
  return (await objects.read({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace },
  })) as unknown as T;
}

/** The names of the namespace's Revisions, sorted. */
export async function revisionNames(objects: KubernetesObjectApi, namespace: string): Promise<string[]> {
  const list = await objects.list('serving.knative.dev/v1', 'Revision', namespace);
  return list.items.map((revision) => revision.metadata?.name ?? '').sort();
}

/**
 * A Warning event on a revision, as Knative's controller would write one on a real cluster (the playground's does
 * not), now; `count` is how many times it happened.
 */
export async function warnOnRevision(
  core: CoreV1Api,
  namespace: string,
  revision: string,
  event: { reason: string; message: string; count: number; component: string },
): Promise<void> {
  const now = new Date();
  await core.createNamespacedEvent({
    namespace,
    body: {
      metadata: { name: uniqueName('ev'), namespace },
      involvedObject: { kind: 'Revision', name: revision, namespace, apiVersion: 'serving.knative.dev/v1' },
      reason: event.reason,
      message: event.message,
      type: 'Warning',
      firstTimestamp: now,
      lastTimestamp: now,
      count: event.count,
      source: { component: event.component },
    },
  });
}

/** A merge patch of the Service by another field manager, `writer`: a second client racing the console. */
export async function mergePatchKsvc(
  objects: KubernetesObjectApi,
  namespace: string,
  name: string,
  writer: string,
  patch: { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> },
): Promise<void> {
  await objects.patch(
    {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      ...patch,
      metadata: { ...patch.metadata, name, namespace },
    },
    undefined,
    undefined,
    writer,
    undefined,
    'application/merge-patch+json' as never,
  );
}

/** `kubectl apply` of a Knative Service, then `kubectl wait` (3 min at most) until it is Ready; both must succeed. */
export async function applyReadyKsvc(
  playground: PlaygroundInfo,
  service: { metadata: { name: string; namespace: string } },
): Promise<void> {
  const result = await kubectlApplyReadyKsvc(playground, service);
  expect(result.code, `kubectl ${result.step}: ${result.stderr}`).toBe(0);
}
