// Vitest as Stryker runs it: only the tests of the area being mutated (MUTATION_AREA), no JSON report.
// MUTATION_TESTS (comma-separated globs) narrows them further for a quick look at one file's mutants.
import { defineConfig } from 'vitest/config';
import { areaNamed } from './scripts/mutation-areas.mjs';

const area = areaNamed(process.env['MUTATION_AREA'] ?? 'domain');

export default defineConfig({
  test: {
    include: process.env['MUTATION_TESTS']?.split(',') ?? area.tests,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
