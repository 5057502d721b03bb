// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Package boundaries. The product (src/) is what gets deployed: it never imports the stand-ins or the development
 * tooling, which are workspaces of their own (tools/arm-simulator, tools/functions-localhost, tools/dev) and
 * reach the product only through its HTTP API and its Azure SDK calls.
 */
const standInImports = {
  patterns: [
    { group: ['@vnet-migrator/arm-simulator', '@vnet-migrator/arm-simulator/**', '**/tools/arm-simulator/**'], message: 'Production code never imports the ARM simulator (tools/arm-simulator is not deployed).' },
    { group: ['@vnet-migrator/functions-localhost', '@vnet-migrator/functions-localhost/**', '**/tools/functions-localhost/**'], message: 'Production code never imports the local host (tools/functions-localhost is not deployed).' },
    { group: ['@vnet-migrator/dev', '@vnet-migrator/dev/**', '**/tools/dev/**'], message: 'Production code never imports the development tooling (tools/dev is not deployed).' },
  ],
};

/**
 * A workspace's source imports its own files by relative path and other packages by name (its package.json
 * dependencies), never another package's files by path: a specifier naming a src/ or tools/ folder has left the
 * package. Reaching the product that way (or by its package name) is what each message forbids.
 */
function outsidePackage(message) {
  return { group: ['**/src/**', '**/tools/**', 'appservice-vnet-migrator', 'appservice-vnet-migrator/**'], message };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.local/**', 'tools/*/dist/**', 'tools/functions-localhost/test/fixtures/**'] },
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
          outsidePackage('The simulator is an independent check: it never imports the product (nor another package by path).'),
          { group: ['@vnet-migrator/functions-localhost', '@vnet-migrator/functions-localhost/**', '@vnet-migrator/dev', '@vnet-migrator/dev/**'], message: 'The simulator does not depend on the local host or the development tooling.' },
        ],
      }],
    },
  },
  {
    files: ['tools/functions-localhost/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          outsidePackage('The local host knows nothing of migrations: it hosts any Functions app (and imports no other package by path).'),
          { group: ['@vnet-migrator/arm-simulator', '@vnet-migrator/arm-simulator/**', '@vnet-migrator/dev', '@vnet-migrator/dev/**'], message: 'The local host does not depend on the ARM simulator or the development tooling (tools/dev wires them together).' },
        ],
      }],
    },
  },
  {
    files: ['tools/dev/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [outsidePackage('The launcher runs the product as any Functions app, from its folder: it never imports it (nor another package by path).')],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
