/** Runs the compiled CLI (dist/src/cli/main.js) as a user would, output piped, and collects what it printed. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'dist/src/cli/main.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout lines with the time (ms since start) each arrived. */
  readonly timedLines: readonly { readonly at: number; readonly line: string }[];
}

export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MIGRATOR_API_URL: undefined, MIGRATOR_API_KEY: undefined, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  let partial = '';
  const timedLines: { at: number; line: string }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) timedLines.push({ at: performance.now() - started, line });
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, timedLines })));
}
