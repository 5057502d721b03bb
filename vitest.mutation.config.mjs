// Vitest as Stryker runs it: only the tests of the area being mutated (MUTATION_AREA), no JSON report.
// MUTATION_TESTS (comma-separated globs) narrows them further for a quick look at one file's mutants.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { areaNamed } from './scripts/mutation-areas.mjs';

const area = areaNamed(process.env['MUTATION_AREA'] ?? 'domain');

export default defineConfig({
  // @vnet-migrator/<package>/x.js → tools/<package>/src/x.ts of this tree (Stryker's sandbox): through the symlink in
  // node_modules a package would resolve to the original tree's sources, and the mutants there would never run.
  resolve: { alias: [{ find: /^@vnet-migrator\/([^/]+)\/(.+)\.js$/, replacement: `${path.resolve(import.meta.dirname, 'tools')}/$1/src/$2.ts` }] },
  test: {
    include: process.env['MUTATION_TESTS']?.split(',') ?? area.tests,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
