// Vitest globalSetup for e2e: builds the renderer once (web mode serves dist/renderer), so the tests always drive
// the UI of this checkout rather than a stale build.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const repoRoot = join(import.meta.dirname, '..', '..', '..');
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
}
