// `npm run mutation [-- <area>... | all | stand-ins]`: runs Stryker once per area (scripts/mutation-areas.mjs).
// With no area it runs the product's areas. An area whose tests do not exist yet is reported and skipped.
// Reports: reports/mutation/<area>/index.html (git-ignored), with the incremental file that makes a re-run quick.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { MUTATION_AREAS } from './mutation-areas.mjs';

// Stryker options that take a value as the next argument (`--mutate src/a.ts`); the value is passed on with them.
const VALUE_OPTIONS = new Set(['-m', '--mutate', '-c', '--concurrency', '--logLevel', '--fileLogLevel', '--reporters', '--timeoutMS', '--timeoutFactor', '--incrementalFile']);
const args = process.argv.slice(2);
const passThrough = [];
const asked = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (!arg.startsWith('-')) asked.push(arg);
  else if (VALUE_OPTIONS.has(arg) && i + 1 < args.length) passThrough.push(arg, args[(i += 1)]);
  else passThrough.push(arg);
}
const names =
  asked.length === 0 ? Object.keys(MUTATION_AREAS).filter((n) => MUTATION_AREAS[n].product)
  : asked.includes('all') ? Object.keys(MUTATION_AREAS)
  : asked.includes('stand-ins') ? Object.keys(MUTATION_AREAS).filter((n) => !MUTATION_AREAS[n].product)
  : asked;

// Whether a pattern (a folder followed by a glob, or one test file) names at least one test file.
function hasTestFiles(pattern) {
  const base = pattern.split('*')[0].replace(/\/$/, '');
  if (!existsSync(base)) return false;
  if (statSync(base).isFile()) return true;
  return readdirSync(base, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
}

let failed = false;
for (const name of names) {
  const area = MUTATION_AREAS[name];
  if (area === undefined) {
    console.error(`Unknown mutation area '${name}'; known: ${Object.keys(MUTATION_AREAS).join(', ')}, all, stand-ins.`);
    process.exit(2);
  }
  const hasTests = area.tests.some(hasTestFiles);
  if (!hasTests) {
    console.log(`\n== mutation: ${name}: no tests yet (${area.tests.join(', ')}); skipped`);
    continue;
  }
  console.log(`\n== mutation: ${name} (${area.about})`);
  const result = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs', ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_AREA: name },
  });
  if (result.status !== 0) {
    console.error(`== mutation: ${name} failed (exit ${result.status ?? result.signal})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
