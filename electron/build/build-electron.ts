// Bundles the desktop shell into dist/electron: main.js (ESM, Electron main), engine.js (ESM, utility process)
// and preload.cjs (CommonJS: sandboxed preloads cannot load ES modules or require other files, so it carries zod
// and the contract inside it). npm packages stay external for main and engine: electron-builder ships
// node_modules, and bundling kafkajs/client-node/autocannon would break their dynamic requires.
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist', 'electron');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron'],
};

export async function buildElectron(): Promise<void> {
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron/main/main.ts')],
      outfile: join(out, 'main.js'),
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron/backend/utility-entry.ts')],
      outfile: join(out, 'engine.js'),
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron/preload/preload.ts')],
      outfile: join(out, 'preload.cjs'),
      format: 'cjs',
      platform: 'browser',
      target: 'chrome130',
    }),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildElectron().then(
    () => console.log(`built ${out}/{main.js,engine.js,preload.cjs}`),
    (error: Error) => {
      console.error(`error: ${error.message}`);
      process.exit(1);
    },
  );
}
