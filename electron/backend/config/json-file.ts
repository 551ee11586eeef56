// Small JSON files in the engine's config dir (kubeconfig sources, profiles). Writes go to a temp file and are
// renamed into place, so a crash mid-write never leaves half a file; a file that does not parse is reported with its
// path and kept aside (renamed *.corrupt-<time>) instead of being overwritten silently.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function readJsonFile<T>(path: string, fallback: T, validate: (value: unknown) => T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  try {
    return validate(JSON.parse(text));
  } catch (error) {
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    throw new Error(`${path} could not be read (${(error as Error).message}); it was moved to ${aside}`, {
      cause: error,
    });
  }
}

export function writeJsonFile(path: string, value: unknown, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  renameSync(temp, path);
}
