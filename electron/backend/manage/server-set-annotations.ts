// Annotations Knative's webhook stamps on a Service and then guards: `serving.knative.dev/creator` may never change
// and `lastModifier` may not be emptied, so a replace (PUT) whose body lacks them is denied ("annotation value is
// immutable: metadata.annotations.serving.knative.dev/creator"). YAML a user edits or pastes (an export, as
// `kn service export` writes it, has neither) means "keep them", so they are carried over from the live object.
// A body that sets another value keeps it: that is a real change the webhook is right to refuse.
import { annotations } from '../../../knative/keys';
import type { KubeObject } from '../workloads/kube-object';

const SERVER_SET = [annotations.creator, annotations.lastModifier] as const;

export function withServerSetAnnotations(object: KubeObject, live: KubeObject | undefined): KubeObject {
  const kept = Object.fromEntries(
    SERVER_SET.flatMap((key) => {
      const value = live?.metadata?.annotations?.[key];
      return value !== undefined && object.metadata?.annotations?.[key] === undefined ? [[key, value]] : [];
    }),
  );
  if (Object.keys(kept).length === 0) return object;
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { ...object.metadata?.annotations, ...kept } },
  };
}
