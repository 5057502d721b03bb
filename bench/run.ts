import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench` runs dist/bench/run.js: every other module compiled next to it, one after another (they share
 * a 2-core machine; running them in parallel would measure contention). A module exports `run()` (or a default
 * function); BENCH_ONLY=<substring> picks modules by file name.
 */
const here = dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH_ONLY;
const modules = readdirSync(here)
  .filter((file) => file.endsWith('.js') && file !== basename(fileURLToPath(import.meta.url)))
  .filter((file) => !only || file.includes(only))
  .sort();

let failed = false;
for (const file of modules) {
  console.log(`\n=== bench/${file.replace(/\.js$/, '.ts')}`);
  try {
    const loaded = (await import(pathToFileURL(`${here}/${file}`).href)) as { run?: () => Promise<unknown>; default?: () => Promise<unknown> };
    const entry = loaded.run ?? loaded.default;
    if (typeof entry === 'function') await entry();
  } catch (error) {
    failed = true;
    console.error(`bench/${file} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
