// The layer rules are checked, not described: each probe below is linted with the repository's own ESLint config
// as if it were a file at that path, and must fail (or, for the allowed imports, pass) the `local/layers` and
// `no-restricted-imports` rules that `npm run -s lint` runs.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as the file `file` (repo-relative). */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const crossings: [string, string, string][] = [
  ['knative imports the contract', 'knative/probe.ts', "import '../electron/common/contract';"],
  ['knative imports a package', 'knative/probe.ts', "import 'zod';"],
  ['knative imports Node', 'knative/probe.ts', "import 'node:fs';"],
  ['common imports the vocabulary', 'electron/common/probe.ts', "import '../../knative/keys';"],
  ['common imports the engine', 'electron/common/probe.ts', "import '../backend/engine';"],
  [
    'common imports Node',
    'electron/common/probe.ts',
    "import { readFileSync } from 'node:fs'; readFileSync;",
  ],
  ['common imports React', 'electron/common/probe.ts', "import 'react';"],
  ['the engine imports the playground', 'electron/backend/probe.ts', "import '../../playground/playground';"],
  [
    'the engine imports playground/info',
    'electron/backend/deploy/probe.ts',
    "import '../../../playground/info';",
  ],
  [
    'the engine imports a template internal',
    'electron/backend/deploy/probe.ts',
    "import '../../../workloads/templates/render';",
  ],
  ['the engine imports the main process', 'electron/backend/probe.ts', "import '../main/window';"],
  [
    'the engine imports the renderer',
    'electron/backend/probe.ts',
    "import '../../renderer/src/engine/engine-client';",
  ],
  ['the engine imports Electron', 'electron/backend/probe.ts', "import 'electron';"],
  ['main imports the engine', 'electron/main/probe.ts', "import '../backend/engine';"],
  ['main imports the preload', 'electron/main/probe.ts', "import '../preload/preload';"],
  ['preload imports main', 'electron/preload/probe.ts', "import '../main/window';"],
  [
    'web imports the renderer (not a test)',
    'electron/web/probe.ts',
    "import '../../renderer/src/engine/engine-client';",
  ],
  ['web imports the playground machinery', 'electron/web/probe.ts', "import '../../playground/playground';"],
  ['the renderer imports the vocabulary', 'renderer/src/probe.ts', "import '../../knative/keys';"],
  ['the renderer imports the engine', 'renderer/src/probe.ts', "import '../../electron/backend/engine';"],
  ['the renderer imports preload', 'renderer/src/probe.ts', "import '../../electron/preload/preload';"],
  ['the renderer imports Node', 'renderer/src/probe.ts', "import 'node:path';"],
  ['workloads import the contract', 'workloads/shared/probe.ts', "import '../../electron/common/contract';"],
  ['workloads import the engine', 'workloads/templates/probe.ts', "import '../../electron/backend/engine';"],
  ['workloads import the playground', 'workloads/templates/probe.ts', "import '../../playground/info';"],
  ['the playground imports the engine', 'playground/probe.ts', "import '../electron/backend/engine';"],
  [
    'the playground imports the contract',
    'playground/runtime/probe.ts',
    "import '../../electron/common/contract';",
  ],
  [
    'the playground imports the renderer',
    'playground/probe.ts',
    "import '../renderer/src/engine/engine-client';",
  ],
  [
    'a dynamic import crosses too',
    'workloads/probe.ts',
    "export const p = import('../playground/playground');",
  ],
  ['a re-export crosses too', 'electron/preload/probe.ts', "export * from '../main/window';"],
];

describe('layer rules (eslint-rules/layers.js + eslint.config.js)', () => {
  it.each(crossings)('fails lint when %s', async (_what, file, code) => {
    const found = await problems(file, code);
    expect(found.filter((id) => id === 'local/layers' || id === 'no-restricted-imports')).not.toEqual([]);
  });

  it.each([
    [
      'the engine uses common, the vocabulary and the templates entry',
      'electron/backend/deploy/probe.ts',
      "import '../../common/contract';\nimport '../../../knative/keys';\nimport '../../../workloads/templates/index';",
    ],
    [
      'the desktop entry reads the playground state',
      'electron/backend/utility-entry.ts',
      "import '../../playground/info';",
    ],
    [
      'the web entry wires the playground port',
      'electron/web/probe.ts',
      "import '../../playground/engine-port';",
    ],
    [
      'a web spec uses the renderer client',
      'electron/web/probe.spec.ts',
      "import '../../renderer/src/engine/engine-client';",
    ],
    ['main and preload use common', 'electron/preload/probe.ts', "import '../common/ipc-channels';"],
    ['the renderer uses the contract', 'renderer/src/probe.ts', "import '../../electron/common/contract';"],
    ['workloads use the vocabulary', 'workloads/shared/probe.ts', "import '../../knative/kafka-cloudevent';"],
    [
      'the playground uses workloads',
      'playground/probe.ts',
      "import '../workloads/images';\nimport '../knative/ask';",
    ],
    [
      'a unit spec uses the test support',
      'workloads/templates/probe.spec.ts',
      "import '../../test/support/unique';",
    ],
    [
      'tests and benches are not a layer',
      'test/probe.ts',
      "import '../playground/playground';\nimport '../electron/backend/engine';",
    ],
  ])('passes lint when %s', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
