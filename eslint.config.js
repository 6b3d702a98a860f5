// Lint: typescript-eslint + react-hooks, and the layering rules in words (the per-runtime
// tsconfigs enforce the same as compile errors).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'url', 'stream', 'zlib'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.fake-electron/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // shared/: pure TypeScript — no runtime at all.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'shared/ is runtime-free: no Node built-ins.' },
            { group: ['electron', 'better-sqlite3', 'react', 'react-*', '**/main/**', '**/renderer/**'], message: 'shared/ imports no runtime and no other layer.' },
          ],
        },
      ],
    },
  },
  {
    // Plain-Node modules: never Electron (they are tested under Node).
    files: ['main/core/**/*.ts', 'main/cli/**/*.ts', 'main/devtools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'Only main/app and main/preload may import electron.' },
            { group: ['**/renderer/**', '**/main/app/**'], message: 'Core modules do not reach the renderer or the Electron glue.' },
          ],
        },
      ],
    },
  },
  {
    // Renderer: DOM only, reaches main through window.api.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'The renderer never reaches Node.' },
            { group: ['electron', 'better-sqlite3', '**/main/**'], message: 'The renderer reaches main only through window.api.' },
          ],
        },
      ],
      // Every user-visible string goes through i18next.
      'no-restricted-syntax': [
        'error',
        { selector: 'JSXText[value=/[A-Za-zÀ-ÿ]{2,}/]', message: 'Untranslated text in JSX: use t().' },
      ],
    },
  },
  {
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...NODE_BUILTINS, 'better-sqlite3', '**/main/core/**'], message: 'The sandboxed preload only bridges IPC.' }] },
      ],
    },
  },
);
