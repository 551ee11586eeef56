// Cold starts seen from pod timestamps (pure): a pod that a revision started while it had no other ready pod was
// started for a request at zero; the time from its creation (the autoscaler asked for it when the activator held
// the request) to its Ready condition is the cold start the user waited, minus the routing after it.
import type { z } from 'zod';
import type { coldStart } from '../../common/schemas/manage';
import type { KubeObject } from '../workloads/kube-object';
import { arrayOf, isoOf, recordOf } from '../workloads/kube-object';
import { labels } from '../../../knative/keys';

export type ColdStart = z.infer<typeof coldStart>;

function readyAt(pod: KubeObject): string | null {
  const condition = arrayOf(pod.status?.conditions)
    .map(recordOf)
    .find((c) => c.type === 'Ready' && c.status === 'True');
  const time = condition?.lastTransitionTime;
  return typeof time === 'string' ? time : time instanceof Date ? time.toISOString() : null;
}

export const coldStartMethod =
  'Pod created → pod Ready, for pods a revision started while none of its pods was ready (from pod timestamps; the request waited this long plus routing).';

export function coldStartsOf(pods: readonly KubeObject[]): ColdStart[] {
  const byRevision = new Map<
    string,
    { pod: string; created: number; createdAt: string; readyAt: string | null }[]
  >();
  for (const pod of pods) {
    const revision = pod.metadata?.labels?.[labels.revision];
    if (!revision) continue;
    const createdAt = isoOf(pod.metadata?.creationTimestamp);
    const list = byRevision.get(revision) ?? [];
    list.push({
      pod: pod.metadata?.name ?? '',
      created: Date.parse(createdAt),
      createdAt,
      readyAt: readyAt(pod),
    });
    byRevision.set(revision, list);
  }
  const out: ColdStart[] = [];
  for (const [revision, list] of byRevision) {
    list.sort((a, b) => a.created - b.created);
    for (const entry of list) {
      // From zero: no earlier pod of the revision was ready when this one was created.
      const warm = list.some(
        (other) => other !== entry && other.readyAt !== null && Date.parse(other.readyAt) <= entry.created,
      );
      if (warm) continue;
      out.push({
        revision,
        pod: entry.pod,
        createdAt: entry.createdAt,
        readyAt: entry.readyAt,
        ms: entry.readyAt === null ? null : Math.max(0, Date.parse(entry.readyAt) - entry.created),
      });
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
