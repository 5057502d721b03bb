import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Resolves a package.json `main` the way the Functions Node worker does: a path relative to the app folder that
 * may contain `*`, `?` and `**` (e.g. "dist/src/functions/*.js"). Small on purpose: no dependency for one glob.
 * Returns absolute paths of files, sorted so registration order is stable.
 */
export function globFiles(baseDir: string, pattern: string): string[] {
  const segments = pattern.replace(/\\/g, '/').replace(/^\.\//, '').split('/').filter((s) => s !== '' && s !== '.');
  const results = new Set<string>();
  walk(baseDir, segments, results);
  return [...results].sort();
}

function segmentRegExp(segment: string): RegExp {
  const source = segment
    .split('')
    .map((ch) => (ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function listDir(dir: string): { name: string; isDir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      isDir: entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(join(dir, entry.name))),
    }));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function walk(dir: string, segments: string[], results: Set<string>): void {
  if (segments.length === 0) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '**') {
    walk(dir, rest, results);
    for (const entry of listDir(dir)) {
      if (entry.isDir && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(join(dir, entry.name), segments, results);
    }
    return;
  }
  if (head === '..' || !/[*?]/.test(head)) {
    const next = join(dir, head);
    if (rest.length === 0) {
      if (!isDirectory(next) && statSafe(next)) results.add(next);
    } else {
      walk(next, rest, results);
    }
    return;
  }
  const matcher = segmentRegExp(head);
  for (const entry of listDir(dir)) {
    if (!matcher.test(entry.name)) continue;
    const next = join(dir, entry.name);
    if (rest.length === 0) {
      if (!entry.isDir) results.add(next);
    } else if (entry.isDir) {
      walk(next, rest, results);
    }
  }
}

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
