// Where the engine keeps its own files: `$KNATIVE_DESK_CONFIG_DIR`, else the platform's config dir (Electron passes
// its userData path in). Tests point it at a temp dir.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultConfigDir(): string {
  if (process.env.KNATIVE_DESK_CONFIG_DIR) return process.env.KNATIVE_DESK_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'knative-desk');
}
