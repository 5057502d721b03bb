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
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.local/**', 'tools/functions-localhost/test/fixtures/**'] },
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
    ignores: ['tools/arm-simulator/src/**', 'tools/functions-localhost/src/**'],
    rules: { 'no-restricted-imports': ['error', standInImports] },
  },
  {
    // Orchestrators replay: any clock, randomness, I/O or environment read would make a replay differ from the
    // first run. Only context.df APIs (and pure domain code) are allowed, like temporalio/samples-typescript's
    // workflow lint rules.
    files: ['src/orchestrations/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...standInImports.patterns,
          { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'timers', 'process'], message: 'Orchestrations are deterministic: no Node built-ins (do I/O in an activity).' },
          { group: ['@azure/*'], message: 'Orchestrations are deterministic: no Azure SDK (call ARM from an activity).' },
          { group: ['**/azure/**', '**/state/**', '**/activities/**'], message: 'Orchestrations are deterministic: ARM and Table Storage are reached through activities only.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'Use context.df.currentUtcDateTime (Date.now and new Date() differ on replay).' },
        { name: 'setTimeout', message: 'Use context.df.createTimer.' },
        { name: 'setInterval', message: 'Use context.df.createTimer.' },
        { name: 'process', message: 'Orchestrations never read the environment: pass settings in the input.' },
        { name: 'fetch', message: 'Do I/O in an activity.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Randomness differs on replay: use context.df.newGuid.' }],
    },
  },
  {
    files: ['tools/arm-simulator/src/**/*.ts'],
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
    files: ['tools/functions-localhost/src/**/*.ts'],
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
