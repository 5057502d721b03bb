/** Tests of dist/ refuse to run on a build older than src/ (test/support/compiled.ts), and say what to do. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireFreshBuildAt, staleCompiledFiles } from '../support/compiled.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repo-shaped folder: each source with its compiled file, the compiled one `builtAfter` seconds later (negative: earlier). */
function project(files: Record<string, { builtAfter: number | null }>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'compiled-'));
  roots.push(root);
  const sourceTime = new Date('2026-01-01T00:00:00Z');
  for (const [name, { builtAfter }] of Object.entries(files)) {
    const source = path.join(root, 'src', name);
    mkdirSync(path.dirname(source), { recursive: true });
    writeFileSync(source, 'export {};\n');
    utimesSync(source, sourceTime, sourceTime);
    if (builtAfter === null) continue;
    const compiled = path.join(root, 'dist', 'src', name.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(compiled), { recursive: true });
    writeFileSync(compiled, 'export {};\n');
    const builtTime = new Date(sourceTime.getTime() + builtAfter * 1000);
    utimesSync(compiled, builtTime, builtTime);
  }
  return root;
}

describe('a build older than src/', () => {
  it('passes when every source has a newer compiled file', () => {
    const root = project({ 'a.ts': { builtAfter: 1 }, 'deep/b.ts': { builtAfter: 5 } });
    expect(staleCompiledFiles(root)).toEqual([]);
    expect(() => requireFreshBuildAt(root)).not.toThrow();
  });

  it('names a source edited after the build and one never built, and says to build', () => {
    const root = project({ 'a.ts': { builtAfter: 1 }, 'deep/b.ts': { builtAfter: -1 }, 'new.ts': { builtAfter: null } });
    expect(staleCompiledFiles(root)).toEqual(['src/deep/b.ts', 'src/new.ts']);
    expect(() => requireFreshBuildAt(root)).toThrow(/dist\/ is older than src\/ \(src\/deep\/b\.ts, src\/new\.ts .*run `npm run build`/);
  });
});
