import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'coverage/', 'dist/', 'ui/dist/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['domain/**/*.ts', 'workflows/**/*.ts', 'simulation/**/*.ts'],
    rules: {
      // The rules run inside Temporal's sandbox and in the browser: no Node, no I/O.
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', 'fs', 'path', 'crypto', '../store/*', '../api/*', '../activities/*!(types)'] }],
    },
  },
  {
    // What the workflow bundle loads for every case. Each workflow gets its own copy of every module
    // it loads, so zod (and the schema modules, which build schemas on load) stay out: types only.
    // Whatever needs zod lives in domain/schemas/; the rest of domain/ is what a workflow may load.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    ignores: ['domain/schemas/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['zod', 'zod/*', '**/schemas/*'],
          allowTypeImports: true,
          message: 'loads zod into every workflow: import types only (workflows/legacy-command-schema.ts says why)',
        }],
      }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
