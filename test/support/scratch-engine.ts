// The real engine for specs that need no cluster: its config in a fresh temp folder and KUBECONFIG pointing at a
// file that does not exist, so nothing reads or writes the user's own config or kubeconfig.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../electron/backend/engine';
import type { Engine } from '../../electron/backend/engine';

/** A fresh folder under the OS temp dir, named after `prefix`. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `knd-${prefix}-`));
}

/** An engine whose config lives in `dir`/config; engines made on the same `dir` share it (an engine restart). */
export function scratchEngine(mode: 'web' | 'electron', dir: string): Engine {
  return createEngine({
    mode,
    configDir: join(dir, 'config'),
    env: { KUBECONFIG: join(dir, 'no-kubeconfig') },
  });
}
