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
    files: [
      'workflows/**/*.ts',
      ...['decide', 'evolve', 'gaps', 'schedule', 'alert-plan', 'authorization', 'transitions', 'rejection', 'duration',
        'open-statuses', 'system-actor', 'agency-resolution', 'requirement-applies'].map((m) => `domain/${m}.ts`),
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['zod', 'zod/*', '**/commands', '**/events', '**/policy', '**/agency', '**/actor', '**/vocabulary',
            '**/duration-schema', '**/release-estimate', '**/personal-identity-number', '**/case-view'],
          allowTypeImports: true,
          message: 'loads zod into every workflow: import types only (workflows/legacy-command-schema.ts says why)',
        }],
      }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
