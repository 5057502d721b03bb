#!/usr/bin/env node
/**
 * `node scripts/run-built.mjs <dist entry> [args...]`: runs a compiled entry point (npm start, npm run simulator,
 * npm run cli), building first (scripts/build.mjs) only when some source is newer than its compiled counterpart
 * (scripts/compiled-freshness.mjs). A full tsc run takes
 * ~10 s on a small machine; `--help` should not.
 *
 * Signals: npm runs a script through `sh -c`, and forwards SIGTERM to that shell only. The shell dies of it without
 * passing it on (dash does not exec the script's command), which left `npm start` and everything it started running.
 * So the entry runs in this same process (imported, not spawned, no second shell), and when our parent goes away we
 * send ourselves SIGTERM: the program's own handler then stops what it started.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll } from './build.mjs';
import { staleCompiledFiles } from './compiled-freshness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const [entryArg, ...args] = process.argv.slice(2);
if (entryArg === undefined) {
  process.stderr.write('usage: node scripts/run-built.mjs <dist/...js> [args...]\n');
  process.exit(2);
}
const entry = path.resolve(repo, entryArg);

const [stale] = staleCompiledFiles(repo);
if (stale !== undefined || !existsSync(entry)) {
  // Build output goes to stderr: stdout belongs to the program (`cli --json` is parsed by scripts).
  process.stderr.write(`Building (${stale ?? path.relative(repo, entry)} changed since the last build)...\n`);
  const failed = await buildAll(process.stderr);
  if (failed.length > 0) {
    process.stderr.write(`The build failed (${failed.join(', ')}); fix the errors above, or run \`npm run build\` to see them.\n`);
    process.exit(1);
  }
}

const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid === parent) return;
  // Once: some programs take a second signal as "exit now, skip the graceful stop".
  clearInterval(orphanWatch);
  process.kill(process.pid, 'SIGTERM');
}, 250).unref();

process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
await import(pathToFileURL(entry).href);
