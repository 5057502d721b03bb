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
  ignorePatterns: ['dist', '.data', '.local', 'reports', 'coverage', 'bench', 'infra', 'docs', '.stryker-tmp'],
  timeoutMS: 10_000,
  cleanTempDir: 'always',
};
