#!/usr/bin/env node
/**
 * `npm run build`: compiles every package of the repository with tsc, each to its own dist/: the two stand-ins
 * (tools/arm-simulator, tools/functions-localhost) first, side by side, then what imports their compiled
 * declarations: the launcher (tools/dev) and the root (the product's src/ and the benchmarks, to dist/).
 * One tsc per package rather than `tsc -b`: an incremental build skips re-emitting a file whose text did not change,
 * which would leave dist/ looking older than src/ to the freshness checks (test/support/compiled.ts, run-built.mjs).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** tsconfig files by stage; the projects of one stage do not import each other. */
export const BUILD_STAGES = [
  ['tools/arm-simulator/tsconfig.build.json', 'tools/functions-localhost/tsconfig.build.json'],
  ['tools/dev/tsconfig.build.json', 'tsconfig.build.json'],
];

function tsc(project, output) {
  const bin = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '-p', path.join(repo, project)], { cwd: repo, stdio: ['ignore', output, output] });
    child.on('exit', (code, signal) => resolve(code === 0 ? undefined : `${project} (tsc exit ${code ?? signal})`));
  });
}

/** Builds every stage; resolves to the projects that failed (none: success). tsc's messages go to `output`. */
export async function buildAll(output = 'inherit') {
  for (const stage of BUILD_STAGES) {
    const failed = (await Promise.all(stage.map((project) => tsc(project, output)))).filter((f) => f !== undefined);
    if (failed.length > 0) return failed;
  }
  return [];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const failed = await buildAll();
  if (failed.length > 0) {
    process.stderr.write(`The build failed: ${failed.join(', ')}.\n`);
    process.exit(1);
  }
}
