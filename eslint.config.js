// Lint rules, including the architecture: each runtime layer may only import from the layers it is allowed to.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layersPlugin from './eslint-rules/layers.js';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
];

/** Layer rule: files under `files` may not import the patterns in `banned`. */
function layer(files, banned, why) {
  return {
    files,
    rules: {
      // Bare module names ('electron', 'fs') are matched exactly as `paths`: as gitignore-style `patterns` they
      // would also match a folder of that name inside a relative path (e.g. '../electron/common/contract').
      'no-restricted-imports': [
        'error',
        {
          paths: banned.filter((entry) => !/[*/]/.test(entry)).map((name) => ({ name, message: why })),
          patterns: banned
            .filter((entry) => /[*/]/.test(entry))
            .map((group) => ({ group: [group], message: why })),
        },
      ],
    },
  };
}

export default tseslint.config(
  // The test playgrounds (git-ignored) hold the workload bundles: generated code, never linted.
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'artifacts/**',
      'coverage/**',
      '.test-playground/**',
      '.test-playground-upstream/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The Knative/ASK vocabulary (knative/) is shared by the engine, the playground and the workloads, so it
    // imports nothing at all: no package, no Node built-in, no file outside its own folder.
    files: ['knative/**'],
    ignores: ['knative/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'knative/ is the dependency-free vocabulary: it imports only its own files (./…).',
            },
          ],
        },
      ],
    },
  },
  {
    // Which of our folders each layer may import: the allowlist lives in eslint-rules/layers.js.
    files: ['**/*.{ts,tsx}'],
    plugins: { local: layersPlugin },
    rules: { 'local/layers': ['error', { root: import.meta.dirname }] },
  },
  // Which npm packages and Node built-ins a layer may use (our own folders: local/layers above).
  layer(
    ['electron/common/**'],
    [...nodeBuiltins, 'electron', 'react*'],
    'electron/common is the shared contract: no Node, no DOM, no Electron.',
  ),
  layer(
    ['electron/backend/**'],
    ['electron', 'react*'],
    'The engine runs under Electron and in web mode alike: no Electron import, no UI code.',
  ),
  layer(
    ['renderer/**'],
    [...nodeBuiltins, 'electron'],
    'The renderer runs in a sandboxed page: no Node, no Electron (it reaches the engine through a transport).',
  ),
  layer(
    ['workloads/**', 'playground/**'],
    ['electron', 'react*'],
    'The workloads and the playground run without the desktop shell and the UI.',
  ),
);
