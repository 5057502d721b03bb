/**
 * Tests that run compiled code (dist/, tools/<name>/dist/) call this first: a build older than its sources would test
 * yesterday's code and pass or fail for the wrong reason. `npm test` builds before vitest; running one such file by
 * hand needs `npm run build` after an edit.
 */
import path from 'node:path';
import { staleCompiledFiles } from '../../scripts/compiled-freshness.mjs';

export { staleCompiledFiles };

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * Throws, naming the stale files, unless every compiled tree holds a build of every source at least as new as it.
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
