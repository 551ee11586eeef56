// `npm start`: the desktop app when Electron's binary is installed, otherwise web mode (the binary is downloaded by
// electron's own install step, which cannot reach its download host on machines like CI's; say so plainly).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');

/** The Electron executable, or a sentence saying why there is none. */
export function findElectronBinary(root: string = repoRoot): { path: string } | { missing: string } {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(packageDir)) return { missing: 'the electron package is not installed (run npm ci)' };
  if (!existsSync(pathFile)) {
    return { missing: 'the Electron binary was not downloaded (node_modules/electron/path.txt is absent)' };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary is missing at ${binary}` };
}

async function main(): Promise<void> {
  const electron = findElectronBinary();
  if ('path' in electron) {
    const main = join(repoRoot, 'dist', 'electron', 'main.js');
    if (!existsSync(main)) {
      console.error(
        'error: dist/electron/main.js is missing; build it with `npm run -s build && npm run -s build:electron`',
      );
      process.exit(1);
    }
    const child = spawn(electron.path, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.error(`Electron cannot start here: ${electron.missing}. Running web mode instead.`);
  const { runWebMode } = await import('../electron/web/serve');
  await runWebMode(process.argv.slice(2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
