// Idle figures of a playground, shared by the benches that measure it (upstream-serving with one probe Service, e2e
// with the whole demo deployed): CPU of every part and its child processes (pods and FC instances included) from
// /proc, their resident memory, and kube-apiserver's own counters of writes (apiserver_request_total), by resource.
import { readFileSync } from 'node:fs';
import type { PartInfo, PlaygroundInfo } from '../playground/info';
import { kubectl } from '../test/support/kubectl';
import { childrenByParent, rssMiB, withDescendants } from './proc-tree';

const TICKS_PER_SECOND = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pidsOf(info: PlaygroundInfo): number[] {
  const children = childrenByParent();
  return (Object.values(info.parts) as PartInfo[])
    .filter((part) => part.running)
    .flatMap((part) => withDescendants(part.pid, children));
}

function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export const playgroundRss = (info: PlaygroundInfo) =>
  pidsOf(info).reduce((total, pid) => total + rssMiB(pid), 0);

/** kube-apiserver's write counters (apiserver_request_total, verbs that change objects), by resource. */
async function writeCounts(info: PlaygroundInfo): Promise<Map<string, number>> {
  const got = await kubectl(info, ['get', '--raw', '/metrics']);
  if (got.code !== 0) throw new Error(`kube-apiserver /metrics: ${got.stderr}`);
  const counts = new Map<string, number>();
  for (const line of got.stdout.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="(\w+)"/.exec(line)?.[1] ?? '';
    if (!['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'].includes(verb)) continue;
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    counts.set(resource, (counts.get(resource) ?? 0) + value);
  }
  return counts;
}

export interface Idle {
  cpu: number;
  rss: number;
  /** Writes per second, leases (leader election, node heartbeats) excluded. */
  writes: number;
  leaseWrites: number;
  byResource: string;
}

/** Over `seconds` of no traffic: the whole playground's CPU and memory, and kube-apiserver's writes. */
export async function idleFigures(info: PlaygroundInfo, seconds: number): Promise<Idle> {
  const pids = pidsOf(info);
  const before = new Map(pids.map((pid) => [pid, cpuTicks(pid)]));
  const writesBefore = await writeCounts(info);
  await sleep(seconds * 1000);
  const writesAfter = await writeCounts(info);
  const after = pidsOf(info);
  let ticks = 0;
  for (const pid of after) ticks += cpuTicks(pid) - (before.get(pid) ?? 0);
  const delta = [...writesAfter].map(
    ([resource, n]) => [resource, n - (writesBefore.get(resource) ?? 0)] as const,
  );
  const sum = (rows: (readonly [string, number])[]) => rows.reduce((total, [, n]) => total + n, 0);
  return {
    cpu: (100 * ticks) / TICKS_PER_SECOND / seconds,
    rss: after.reduce((total, pid) => total + rssMiB(pid), 0),
    writes: sum(delta.filter(([resource]) => resource !== 'leases')) / seconds,
    leaseWrites: sum(delta.filter(([resource]) => resource === 'leases')) / seconds,
    byResource: delta
      .filter(([, n]) => n > 0)
      .map(([resource, n]) => `${resource} ${n}`)
      .join(', '),
  };
}
