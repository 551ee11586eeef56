// The architecture as a lint rule, in the style of VS Code's `code-layering` / `code-import-patterns`: every folder
// of ours is a layer with an ALLOWLIST of the layers (or single public files) it may import; anything else is an
// error. Only our own files are checked here (relative imports, resolved against the importing file); which npm
// packages and Node built-ins a layer may use is said with `no-restricted-imports` in eslint.config.js.
import path from 'node:path';

/** A layer: its folder, and what it may import besides itself (a folder ends in `/`, anything else is one file). */
export const layers = [
  {
    folder: 'knative/',
    may: [],
    why: 'knative/ is the dependency-free Knative/ASK vocabulary: it imports only its own files.',
  },
  {
    folder: 'electron/common/',
    may: [],
    why: 'electron/common is the contract shared by every runtime: it imports nothing of ours.',
  },
  {
    folder: 'electron/backend/',
    may: ['electron/common/', 'knative/', 'workloads/templates/index.ts'],
    // The desktop engine's entry reads a running playground's state file (fs only, no spawning).
    fileExceptions: { 'electron/backend/utility-entry.ts': ['playground/info.ts'] },
    why: "The engine imports only electron/common, knative/ and the templates' public entry (workloads/templates/index.ts); the playground reaches it through PlaygroundPort, wired by an entry point.",
  },
  {
    folder: 'electron/main/',
    may: ['electron/common/'],
    why: 'The Electron main process is a thin shell: it imports only electron/common and its own helpers.',
  },
  {
    folder: 'electron/preload/',
    may: ['electron/common/'],
    why: 'The preload is a narrow facade: it imports only electron/common.',
  },
  {
    folder: 'electron/web/',
    may: ['electron/backend/', 'electron/common/', 'knative/', 'playground/engine-port.ts'],
    // Its server spec drives the web server with the renderer's real client.
    testMay: ['renderer/src/engine/'],
    why: 'Web mode wires the engine (and the playground port) to a local server; it uses no UI code.',
  },
  {
    folder: 'renderer/',
    may: ['electron/common/'],
    why: 'The renderer talks to the engine only through the contract (electron/common) and a transport.',
  },
  {
    folder: 'workloads/',
    may: ['knative/'],
    why: 'The barrage workloads and templates import neither electron/ nor playground/ (only knative/).',
  },
  {
    folder: 'playground/',
    may: ['workloads/', 'knative/'],
    why: 'The playground may use the workloads and the vocabulary, never the console (electron/, renderer/).',
  },
];

/** Test files of any layer may also use the shared test support. */
const testMay = ['test/support/'];
const isTestFile = (file) => /\.(spec|int\.test|fuzz\.spec)\.tsx?$/.test(file);

const stripExtension = (file) => file.replace(/\.(ts|tsx|js|mjs|cjs)$/, '');

function allows(entry, target) {
  if (entry.endsWith('/')) return target.startsWith(entry);
  return stripExtension(target) === stripExtension(entry);
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers on its allowlist (eslint-rules/layers.js).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'] }],
    messages: { crossing: '{{target}} is not on the allowlist of {{layer}}: {{why}}' },
  },
  create(context) {
    const root = context.options[0].root;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = layers.find((candidate) => file.startsWith(candidate.folder));
    if (!layer) return {};
    const allowed = [
      layer.folder,
      ...layer.may,
      ...(layer.fileExceptions?.[file] ?? []),
      ...(isTestFile(file) ? [...testMay, ...(layer.testMay ?? [])] : []),
    ];
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      if (allowed.some((entry) => allows(entry, target))) return;
      context.report({ node, messageId: 'crossing', data: { target, layer: layer.folder, why: layer.why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
    };
  },
};

export default { rules: { layers: rule } };
