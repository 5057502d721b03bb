import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench` runs dist/bench/run.js: every other module compiled next to it, one after another (they share
 * a 2-core machine; running them in parallel would measure contention). A module exports `run()` (or a default
 * function); modules without one are helpers (bench/measure.ts) and are skipped. BENCH_ONLY=<substring>[,<substring>]
 * picks modules by file name (simulator, simulator-world, domain-plan, localhost-http, localhost-durable;
 * "simulator" matches both simulator modules).
 */
const here = dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH_ONLY;
const modules = readdirSync(here)
  .filter((file) => file.endsWith('.js') && file !== basename(fileURLToPath(import.meta.url)))
  .filter((file) => !only || only.split(',').some((name) => name.trim() !== '' && file.includes(name.trim())))
  .sort();

let failed = false;
for (const file of modules) {
  try {
    const loaded = (await import(pathToFileURL(`${here}/${file}`).href)) as { run?: () => Promise<unknown>; default?: () => Promise<unknown> };
    const entry = loaded.run ?? loaded.default;
    if (typeof entry !== 'function') continue;
    console.log(`\n=== bench/${file.replace(/\.js$/, '.ts')} (${new Date().toISOString()})`);
    const started = performance.now();
    await entry();
    console.log(`bench/${file.replace(/\.js$/, '.ts')} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed = true;
    console.error(`bench/${file} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
