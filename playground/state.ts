// `<dir>/state.json`: written after every part becomes healthy (so a part that starts later, like the KIngress, can
// read the ones before it) and atomically (temp file + rename), so a reader never sees half a file.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { PlaygroundInfo } from './info';
import { stateFilePath } from './info';

export function writeState(info: PlaygroundInfo): void {
  const path = stateFilePath(info.dir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(temp, path);
}

/**
 * The raw recorded state, or undefined when there is none. A corrupt file is moved aside (kept, not deleted) and
 * reported, and the playground starts over from its data dirs.
 */
export function readRawState(
  dir: string,
  warn: (message: string) => void,
): Partial<PlaygroundInfo> | undefined {
  const path = stateFilePath(dir);
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Partial<PlaygroundInfo>;
    throw new Error('not a JSON object');
  } catch (error) {
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    warn(`${path} was unreadable (${(error as Error).message}); kept it as ${aside} and starting fresh`);
    return undefined;
  }
}
