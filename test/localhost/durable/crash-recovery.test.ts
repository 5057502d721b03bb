import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../src/localhost/azurite.js';
import { EventType } from '../../../src/localhost/durable/history.js';
import { DurableStore } from '../../../src/localhost/durable/table-store.js';

/**
 * Kill -9 the process running the engine at awkward moments and start it again: the orchestration must finish
 * with the right output, every activity must have run at least once, and no activity whose completion had been
 * recorded (in the history or the inbox) may run again. Needs dist/ (npm test builds it before vitest).
 */

const runner = fileURLToPath(new URL('../../fixtures/durable-crash-app/runner.mjs', import.meta.url));
const distEngine = fileURLToPath(new URL('../../../dist/src/localhost/durable/engine.js', import.meta.url));
const INSTANCE_ID = 'crash-1';
const FAN_OUT = 20;

let azurite: RunningAzurite;
let workDir: string;
beforeAll(async () => {
  azurite = await startAzurite();
  workDir = mkdtempSync(join(tmpdir(), 'durable-crash-'));
});
afterAll(async () => {
  await azurite?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output: string;
}

function spawnRunner(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [runner], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { child, exited: new Promise((resolve) => child.once('exit', () => resolve())), output: '' };
  child.stdout.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  return run;
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, run: Run, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Runner output:\n${run.output}`);
    if (run.child.exitCode !== null) throw new Error(`Runner exited (${run.child.exitCode}) before ${what}:\n${run.output}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function kill(run: Run): Promise<void> {
  expect(run.output).not.toContain('RESULT'); // the kill really interrupted unfinished work
  run.child.kill('SIGKILL');
  await run.exited;
}

describe('crash recovery (SIGKILL at any moment, then restart)', () => {
  it('finishes right, runs every activity at least once and never re-runs a recorded completion', async () => {
    const countsFile = join(workDir, 'counts.txt');
    const hub = `crash${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const env = { AZURITE_CONNECTION: azurite.connectionString, TASK_HUB: hub, COUNTS_FILE: countsFile, INSTANCE_ID, FAN_OUT: String(FAN_OUT), TIMER_MS: '2500', ACTIVITY_MS: '60' };
    expect(existsSync(distEngine), 'dist/ is missing: run `npm run build` (npm test does it)').toBe(true);
    const store = new DurableStore(azurite.connectionString, hub);

    const lines = (): string[] => (existsSync(countsFile) ? readFileSync(countsFile, 'utf8').split('\n').filter(Boolean) : []);
    const countOf = (prefix: string) => lines().filter((line) => line.startsWith(prefix)).length;
    const tally = (): Map<string, number> => {
      const map = new Map<string, number>();
      for (const line of lines()) map.set(line, (map.get(line) ?? 0) + 1);
      return map;
    };
    /** Activities whose completion storage holds, in the history or still in the inbox. */
    const recorded = async (): Promise<Set<string>> => {
      const partition = await store.loadPartition(INSTANCE_ID);
      const keyById = new Map<number, string>();
      for (const event of partition.history) {
        if (event.EventType === EventType.TaskScheduled) keyById.set(event.EventId, `${String(event.Name)}:${String(event.Input)}`);
      }
      const completedIds = [
        ...partition.history.filter((e) => e.EventType === EventType.TaskCompleted).map((e) => e.TaskScheduledId as number),
        ...partition.messages.flatMap((m) => (m.kind === 'event' && m.event.EventType === EventType.TaskCompleted ? [m.event.TaskScheduledId as number] : [])),
      ];
      return new Set(completedIds.map((id) => keyById.get(id)).filter((key): key is string => key !== undefined));
    };
    const snapshots: { recorded: Set<string>; counts: Map<string, number> }[] = [];
    const snapshot = async () => snapshots.push({ recorded: await recorded(), counts: tally() });

    // 1. After two sequential activities have started.
    let run = spawnRunner(env);
    await until('2 step activities', () => countOf('crashStep:') >= 2, run);
    await kill(run);
    await snapshot();

    // 2. In the middle of the fan-out.
    run = spawnRunner(env);
    await until('8 fan-out activities', () => countOf('crashFan:') >= 8, run);
    await kill(run);
    await snapshot();

    // 3. While the durable timer is pending (created, not fired).
    run = spawnRunner(env);
    await until(
      'a pending timer',
      async () => {
        const history = (await store.loadPartition(INSTANCE_ID)).history;
        return history.some((e) => e.EventType === EventType.TimerCreated) && !history.some((e) => e.EventType === EventType.TimerFired);
      },
      run,
    );
    await kill(run);
    await snapshot();

    // 4. Run to the end.
    run = spawnRunner(env);
    await until('the result', () => run.output.includes('RESULT '), run, 90_000);
    await run.exited;
    const status = JSON.parse(/RESULT (.*)/.exec(run.output)![1]!) as { runtimeStatus: string; output: unknown };
    const expectedTotal = 10 + 20 + 30 + Array.from({ length: FAN_OUT }, (_v, i) => i + 1000).reduce((a, b) => a + b, 0);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(`final:${expectedTotal}`);

    const final = tally();
    const reruns = [...final.entries()].filter(([, count]) => count > 1).map(([key]) => key);
    console.log(`crash test: ${lines().length} activity invocations, re-run after a kill: ${reruns.join(', ') || 'none'}`);
    const expectedKeys = [...[1, 2, 3].map((n) => `crashStep:${n}`), ...Array.from({ length: FAN_OUT }, (_v, i) => `crashFan:${i}`), `crashFinal:${expectedTotal}`];
    for (const key of expectedKeys) expect(final.get(key) ?? 0, `${key} ran`).toBeGreaterThanOrEqual(1);
    expect([...final.keys()].sort()).toEqual([...expectedKeys].sort());
    for (const [index, { recorded: done, counts }] of snapshots.entries()) {
      expect(done.size, `kill ${index + 1} found recorded completions`).toBeGreaterThan(0);
      for (const key of done) expect(final.get(key), `${key} was recorded before kill ${index + 1} and must not run again`).toBe(counts.get(key));
    }
  });
});
