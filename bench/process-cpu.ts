// CPU time of the processes that belong to one playground — every running part's process and every process below
// it (the pods the virtual node runs, their queue-proxy included, and the FC instances), as bench/idle-figures.ts
// counts them — grouped by what they are.
// On a machine shared with other work, wall-clock latency moves with everyone's load, but CPU seconds per message
// stay a property of our code: the e2e bench reports them per stage. Linux only (/proc); elsewhere, no groups.
import { readFileSync } from 'node:fs';
import type { PartInfo, PlaygroundInfo } from '../playground/info';
import { childrenByParent, withDescendants } from './proc-tree';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSnapshot = Map<number, { group: string; seconds: number }>;

/** How a part's own process is named in the figures. */
const PART_GROUPS: Record<string, string> = {
  kafka: 'Kafka broker',
  'kafka-source': 'KafkaSource dispatcher',
  kingress: 'KIngress',
  fc: 'FC (double, controller)',
  'virtual-node': 'virtual node',
  'knative-net': 'Knative API forward',
};

/**
 * A process below a part that is a workload of its own: a pod's containers (the workload's bundle, or Knative's
 * queue-proxy binary) or an FC instance; undefined for the part's helpers, which count with the part.
 */
export function workloadGroupOf(commandLine: string): string | undefined {
  // A pod or FC instance runs its bundle (`workload-bundles/processing-<hash>/main.mjs`) or, in a checkout, its
  // source (`workloads/processing/main.ts`).
  if (/workloads\/processing\/|workload-bundles\/processing-/.test(commandLine)) return 'processing';
  if (/workloads\/homepage\/|workload-bundles\/homepage-/.test(commandLine)) return 'HomePage';
  if (/knative-queue-/.test(commandLine)) return 'queue-proxy';
  return undefined;
}

export const partGroupOf = (part: string): string =>
  PART_GROUPS[part] ?? part.replace(/^knative-/, 'Knative ');

export function cpuSnapshot(info: PlaygroundInfo): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const children = childrenByParent();
  for (const [name, part] of Object.entries(info.parts) as [string, PartInfo | undefined][]) {
    if (!part?.running) continue;
    for (const pid of withDescendants(part.pid, children)) {
      try {
        const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        // Fields after the command name in parentheses: utime and stime are the 12th and 13th.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        const group = (pid !== part.pid && workloadGroupOf(commandLine)) || partGroupOf(name);
        snapshot.set(pid, { group, seconds: ticks / TICKS_PER_SECOND });
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return snapshot;
}

/** CPU seconds per group between two snapshots (a process that ended in between counts up to the first). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [pid, now] of after) {
    const spent = now.seconds - (before.get(pid)?.seconds ?? 0);
    groups.set(now.group, (groups.get(now.group) ?? 0) + spent);
  }
  return groups;
}
