#!/usr/bin/env node
/**
 * `node scripts/run-built.mjs <dist entry> [args...]`: runs a compiled entry point (npm start, npm run simulator,
 * npm run cli), building first only when some src/ file is newer than its compiled counterpart. A full tsc run takes
 * ~10 s on a small machine; `--help` should not.
 *
 * Signals: npm runs a script through `sh -c`, and forwards SIGTERM to that shell only. The shell dies of it without
 * passing it on (dash does not exec the script's command), which left `npm start` and everything it started running.
 * So the entry runs in this same process (imported, not spawned, no second shell), and when our parent goes away we
 * send ourselves SIGTERM: the program's own handler then stops what it started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The same rule as test/support/compiled.ts: a src/*.ts whose dist/*.js is missing or older. */
function firstStaleSource() {
  const src = path.join(repo, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const compiled = path.join(repo, 'dist', path.relative(repo, source).replace(/\.ts$/, '.js'));
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) return path.relative(repo, source);
  }
  return undefined;
}

const [entryArg, ...args] = process.argv.slice(2);
if (entryArg === undefined) {
  process.stderr.write('usage: node scripts/run-built.mjs <dist/...js> [args...]\n');
  process.exit(2);
}
const entry = path.resolve(repo, entryArg);

const stale = firstStaleSource();
if (stale !== undefined || !existsSync(entry)) {
  // Build output goes to stderr: stdout belongs to the program (`cli --json` is parsed by scripts).
  process.stderr.write(`Building (${stale ?? path.relative(repo, entry)} changed since the last build)...\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(repo, 'tsconfig.build.json')], { cwd: repo, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write(`The build failed (tsc exit ${built.status ?? built.signal}); fix the errors above, or run \`npm run build\` to see them.\n`);
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
