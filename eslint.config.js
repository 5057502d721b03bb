// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Production code must never lean on the stand-ins, and the stand-ins must stay independent checks. */
const standInImports = {
  patterns: [
    { group: ['**/simulator/**', '**/simulator/*.js'], message: 'Production code never imports the ARM simulator.' },
    { group: ['**/localhost/**', '**/localhost/*.js'], message: 'Production code never imports the local host.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.local/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/simulator/**', 'src/localhost/**'],
    rules: { 'no-restricted-imports': ['error', standInImports] },
  },
  {
    files: ['src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/domain/**', '**/activities/**', '**/orchestrations/**', '**/functions/**', '**/azure/**', '**/state/**'], message: 'The simulator is an independent check: it never imports the product.' },
          { group: ['**/localhost/**'], message: 'The simulator does not depend on the local host.' },
        ],
      }],
    },
  },
  {
    files: ['src/localhost/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/domain/**', '**/activities/**', '**/orchestrations/**', '**/functions/**', '**/azure/**', '**/state/**'], message: 'The local host knows nothing of migrations: it hosts any Functions app.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
