/**
 * Which compiled files are missing or older than their sources: the rule `npm start` (run-built.mjs) uses to decide
 * whether to build first, and tests of compiled code (test/support/compiled.ts) use to refuse a stale dist/.
 * The compiled trees are those scripts/build.mjs writes: the product's src/ to dist/src/, and each workspace's
 * tools/<name>/src/ to tools/<name>/dist/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Source folder → output folder, relative to the repository. */
export function compiledTrees(root) {
  const trees = [{ source: 'src', output: 'dist/src' }];
  const tools = path.join(root, 'tools');
  if (!existsSync(tools)) return trees;
  for (const name of readdirSync(tools).sort()) {
    if (existsSync(path.join(tools, name, 'src'))) trees.push({ source: `tools/${name}/src`, output: `tools/${name}/dist` });
  }
  return trees;
}

/** Sources (relative to `root`, sorted) whose compiled .js is missing or older than them. */
export function staleCompiledFiles(root) {
  const stale = [];
  for (const { source, output } of compiledTrees(root)) {
    for (const entry of readdirSync(path.join(root, source), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const compiled = path.join(root, output, path.relative(path.join(root, source), file).replace(/\.ts$/, '.js'));
      if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(file).mtimeMs) stale.push(path.relative(root, file).split(path.sep).join('/'));
    }
  }
  return stale.sort();
}
