// The processes of a playground part — its pid and every process below it — and their resident memory, read from
// /proc (Linux): how the playground benches count a part's or a whole playground's footprint.
import { readFileSync, readdirSync } from 'node:fs';

/** Every process's children, by parent pid. */
export function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** `pid` and every process below it. */
export function withDescendants(pid: number, children = childrenByParent()): number[] {
  const all: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    all.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return all;
}

/** A process's resident memory in MiB (0 once it is gone). */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
