// CPU time of the processes that belong to one private playground (those whose command line or environment names
// its directory: its etcd, kube-apiserver, Kafka, Knative Serving, KIngress, virtual node and the pods it runs),
// grouped by part.
// On a machine shared with other work, wall-clock latency moves with everyone's load, but CPU seconds per message
// stay a property of our code: the e2e bench reports them per stage. Linux only (/proc); elsewhere, no groups.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type CpuSnapshot = Map<number, { group: string; seconds: number }>;

function groupOf(commandLine: string): string {
  // A pod or FC instance runs its source (`workloads/processing/main.ts`) or its bundle
  // (`workload-bundles/processing-<hash>/main.mjs`).
  if (/workloads\/processing\/|workload-bundles\/processing-/.test(commandLine)) return 'processing';
  if (/workloads\/homepage\/|workload-bundles\/homepage-/.test(commandLine)) return 'HomePage';
  if (commandLine.includes('kafka-source')) return 'KafkaSource dispatcher';
  if (commandLine.includes('kingress-main')) return 'KIngress';
  if (commandLine.includes('fc-main')) return 'FC (double, controller)';
  const knative = /knative-(queue|activator|autoscaler|controller|webhook)-/.exec(commandLine)?.[1];
  if (knative) return knative === 'queue' ? 'queue-proxy' : `Knative ${knative}`;
  if (commandLine.includes('virtual-node')) return 'virtual node';
  if (commandLine.startsWith('java')) return 'Kafka broker';
  if (commandLine.includes('kube-apiserver')) return 'kube-apiserver';
  if (commandLine.includes('etcd')) return 'etcd';
  return 'other playground parts';
}

export function cpuSnapshot(playgroundDir: string): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
  }
  for (const pid of pids) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!commandLine.includes(playgroundDir)) {
        const environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
        if (!environment.includes(playgroundDir)) continue;
      }
      // Fields after the command name in parentheses: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      snapshot.set(Number(pid), { group: groupOf(commandLine), seconds: ticks / TICKS_PER_SECOND });
    } catch {
      // Gone meanwhile, or not ours to read.
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
