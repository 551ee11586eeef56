// The layer rules are checked, not described: each probe below is linted with the repository's own ESLint config
// as if it were a file at that path, and must fail (or, for the allowed imports, pass) the `local/layers` and
// `no-restricted-imports` rules that `npm run -s lint` runs.
import { join, posix } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** `import '<target>';` for each target, relative to the probe file as its author would write it (packages as is). */
function importsOf(file: string, targets: string[]): string {
  const relativeTo = (target: string) => {
    if (!target.includes('/')) return target;
    const path = posix.relative(posix.dirname(file), target);
    return path.startsWith('.') ? path : `./${path}`;
  };
  return targets.map((target) => `import '${relativeTo(target)}';`).join('\n');
}

/** The rule ids ESLint reports for `code` as the file `file` (repo-relative). */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

/** [what, probe file, what it imports: repo paths or packages]; the probe writes each as a relative import. */
const crossings: [string, string, ...string[]][] = [
  ['knative imports the contract', 'knative/probe.ts', 'electron/common/contract'],
  ['knative imports a package', 'knative/probe.ts', 'zod'],
  ['knative imports Node', 'knative/probe.ts', 'node:fs'],
  ['common imports the vocabulary', 'electron/common/probe.ts', 'knative/keys'],
  ['common imports the engine', 'electron/common/probe.ts', 'electron/backend/engine'],
  ['common imports React', 'electron/common/probe.ts', 'react'],
  ['the engine imports the playground', 'electron/backend/probe.ts', 'playground/playground'],
  ['the engine imports playground/info', 'electron/backend/deploy/probe.ts', 'playground/info'],
  [
    'the engine imports a template internal',
    'electron/backend/deploy/probe.ts',
    'workloads/templates/render',
  ],
  ['the engine imports the main process', 'electron/backend/probe.ts', 'electron/main/window'],
  ['the engine imports the renderer', 'electron/backend/probe.ts', 'renderer/src/engine/engine-client'],
  ['the engine imports Electron', 'electron/backend/probe.ts', 'electron'],
  ['main imports the engine', 'electron/main/probe.ts', 'electron/backend/engine'],
  ['main imports the preload', 'electron/main/probe.ts', 'electron/preload/preload'],
  ['preload imports main', 'electron/preload/probe.ts', 'electron/main/window'],
  ['web imports the renderer (not a test)', 'electron/web/probe.ts', 'renderer/src/engine/engine-client'],
  ['web imports the playground machinery', 'electron/web/probe.ts', 'playground/playground'],
  ['the renderer imports the vocabulary', 'renderer/src/probe.ts', 'knative/keys'],
  ['the renderer imports the engine', 'renderer/src/probe.ts', 'electron/backend/engine'],
  ['the renderer imports preload', 'renderer/src/probe.ts', 'electron/preload/preload'],
  ['the renderer imports Node', 'renderer/src/probe.ts', 'node:path'],
  ['workloads import the contract', 'workloads/shared/probe.ts', 'electron/common/contract'],
  ['workloads import the engine', 'workloads/templates/probe.ts', 'electron/backend/engine'],
  ['workloads import the playground', 'workloads/templates/probe.ts', 'playground/info'],
  ['the playground imports the engine', 'playground/probe.ts', 'electron/backend/engine'],
  ['the playground imports the contract', 'playground/kingress/probe.ts', 'electron/common/contract'],
  ['the playground imports the renderer', 'playground/probe.ts', 'renderer/src/engine/engine-client'],
];

/** Crossings that are not a plain import. */
const otherCrossings: [string, string, string][] = [
  [
    'common imports Node',
    'electron/common/probe.ts',
    "import { readFileSync } from 'node:fs'; readFileSync;",
  ],
  [
    'a dynamic import crosses too',
    'workloads/probe.ts',
    "export const p = import('../playground/playground');",
  ],
  ['a re-export crosses too', 'electron/preload/probe.ts', "export * from '../main/window';"],
];

const allowed: [string, string, ...string[]][] = [
  [
    'the engine uses common, the vocabulary and the templates entry',
    'electron/backend/deploy/probe.ts',
    'electron/common/contract',
    'knative/keys',
    'workloads/templates/index',
  ],
  ['the desktop entry reads the playground state', 'electron/backend/utility-entry.ts', 'playground/info'],
  ['the web entry wires the playground port', 'electron/web/probe.ts', 'playground/engine-port'],
  ['a web spec uses the renderer client', 'electron/web/probe.spec.ts', 'renderer/src/engine/engine-client'],
  ['main and preload use common', 'electron/preload/probe.ts', 'electron/common/ipc-channels'],
  ['the renderer uses the contract', 'renderer/src/probe.ts', 'electron/common/contract'],
  ['workloads use the vocabulary', 'workloads/shared/probe.ts', 'knative/kafka-cloudevent'],
  ['the playground uses workloads', 'playground/probe.ts', 'workloads/images', 'knative/ask'],
  ['a unit spec uses the test support', 'workloads/templates/probe.spec.ts', 'test/support/unique'],
  ['tests and benches are not a layer', 'test/probe.ts', 'playground/playground', 'electron/backend/engine'],
];

describe('layer rules (eslint-rules/layers.js + eslint.config.js)', () => {
  it.each([
    ...crossings.map(([what, file, ...targets]) => [what, file, importsOf(file, targets)]),
    ...otherCrossings,
  ])('fails lint when %s', async (_what, file, code) => {
    const found = await problems(file, code);
    expect(found.filter((id) => id === 'local/layers' || id === 'no-restricted-imports')).not.toEqual([]);
  });

  it.each(allowed)('passes lint when %s', async (_what, file, ...targets) => {
    expect(await problems(file, importsOf(file, targets))).toEqual([]);
  });
});
