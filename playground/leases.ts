// Who is using a playground right now. Test runs that reuse a playground take a lease (a file named by their pid);
// a run that started parts stops them at the end only when no other live run holds a lease, so one engineer's test
// run finishing never pulls the playground from under another's.
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from './info';

function leaseDir(dir: string): string {
  return join(dir, 'leases');
}

export function takeLease(dir: string, pid = process.pid): void {
  mkdirSync(leaseDir(dir), { recursive: true });
  writeFileSync(join(leaseDir(dir), String(pid)), new Date().toISOString());
}

export function dropLease(dir: string, pid = process.pid): void {
  try {
    unlinkSync(join(leaseDir(dir), String(pid)));
  } catch {
    // not held
  }
}

/** Pids of live lease holders other than `pid`; leases of dead processes are removed on the way. */
export function otherLeaseHolders(dir: string, pid = process.pid): number[] {
  let names: string[];
  try {
    names = readdirSync(leaseDir(dir));
  } catch {
    return [];
  }
  const holders: number[] = [];
  for (const name of names) {
    const holder = Number(name);
    if (holder === pid) continue;
    if (isPidAlive(holder)) holders.push(holder);
    else dropLease(dir, holder);
  }
  return holders;
}
