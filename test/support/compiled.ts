/**
 * Tests that run compiled code from dist/ call this first: a dist/ older than src/ would test yesterday's code and
 * pass or fail for the wrong reason. `npm test` builds before vitest; running one such file by hand needs
 * `npm run build` after an edit.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** src/ files whose compiled counterpart under dist/ is missing or older than them (paths relative to the repo). */
export function staleCompiledFiles(root = repo): string[] {
  const src = path.join(root, 'src');
  const stale: string[] = [];
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, source);
    const compiled = path.join(root, 'dist', relative.replace(/\.ts$/, '.js'));
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) stale.push(relative.split(path.sep).join('/'));
  }
  return stale.sort();
}

/**
 * Throws, naming the stale files, unless dist/ holds a build of every src/ file at least as new as its source.
 * Takes no parameter, so `beforeAll(requireFreshBuild)` is safe too (vitest reads a hook's first parameter as fixtures).
 */
export function requireFreshBuild(): void {
  requireFreshBuildAt(repo);
}

export function requireFreshBuildAt(root: string): void {
  const stale = staleCompiledFiles(root);
  if (stale.length === 0) return;
  const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ` and ${stale.length - 5} more` : '');
  throw new Error(`dist/ is older than src/ (${shown} changed after the last build, or were never built): run \`npm run build\` (npm test does it).`);
}
