// One `up`/`down` at a time per playground dir: several engineers' test runs may start the playground at once, and
// two racing `up`s would start two etcds on one data dir. The lock file holds the owner's pid; a lock whose owner
// died is taken over.
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from './info';
import type { Progress } from './progress';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withDirLock<T>(
  dir: string,
  progress: Progress,
  action: () => Promise<T>,
  timeoutMs = 20 * 60_000,
): Promise<T> {
  const path = join(dir, 'up.lock');
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(path));
      if (!isPidAlive(owner) || owner === process.pid) {
        unlinkSafe(path); // stale (owner gone) or our own leftover
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`${path} is held by pid ${owner} for too long; is an \`up\` stuck?`, {
          cause: error,
        });
      if (!told) progress(`waiting for another up/down on ${dir} (pid ${owner})`);
      told = true;
      await sleep(500);
    }
  }
  try {
    return await action();
  } finally {
    unlinkSafe(path);
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function unlinkSafe(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
