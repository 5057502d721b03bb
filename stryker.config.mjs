// @ts-check
// Mutation testing with StrykerJS, one area per run (scripts/mutation-areas.mjs). Run it with `npm run mutation`
// (scripts/mutation.mjs), which sets MUTATION_AREA; see docs/mutation.md.
import { areaNamed } from './scripts/mutation-areas.mjs';

const name = process.env.MUTATION_AREA ?? 'domain';
const area = areaNamed(name);
const out = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mjs', related: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: zod schemas, code and tier sets) need every test of the area re-run with
  // a fresh module graph: in src/domain that is 59% of the mutants and 99% of the time (hours on two cores). They
  // are left out unless MUTATION_STATIC=1; the behaviours they hold are pinned by table tests (docs/mutation.md).
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  mutate: area.mutate,
  // The machine is shared: two test runners at most (MUTATION_CONCURRENCY overrides).
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: area.breakAt },
  tempDirName: '.stryker-tmp',
  // The sandbox holds only what the tests need: the tree is shared with people whose temporary files come and go.
  ignorePatterns: [
    '/*',
    ...['src', 'test', 'tools', 'scripts', 'package.json', 'tsconfig.json', 'stryker.config.mjs', 'vitest.mutation.config.mjs'].map((p) => `!/${p}`),
    '/tools/*/dist',
    '/tools/functions-localhost/test/fixtures',
    ...(area.sandboxLocalhostTests ? [] : ['/tools/functions-localhost/test']),
  ],
  timeoutMS: 10_000,
  cleanTempDir: 'always',
};
