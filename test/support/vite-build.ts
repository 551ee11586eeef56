// Builds the renderer with this checkout's vite, quietly but for warnings: the e2e global setup (the shipped UI,
// dist/renderer) and the UI benches (`mode` 'bench': renderer/bench.html into dist/renderer-bench).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

export function viteBuildRenderer(mode?: string): void {
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      ...(mode ? ['--mode', mode] : []),
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
}
