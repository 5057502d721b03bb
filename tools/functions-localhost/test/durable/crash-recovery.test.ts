import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../src/azurite.js';
import { unpackText } from '../../src/durable/chunked-text.js';
import { EventType, type HistoryEvent } from '../../src/durable/history.js';
import { DurableStore, type InboxMessage } from '../../src/durable/table-store.js';
import { requireFreshBuild } from '../../../../test/support/compiled.js';

beforeAll(() => requireFreshBuild());

/**
 * Kill -9 the process running the engine at awkward moments and start it again: the orchestration must finish
 * with the right output, every activity must have run at least once, and no activity whose completion had been
 * recorded (in the history or the inbox) may run again. Needs dist/ (npm test builds it before vitest).
 */

const runner = fileURLToPath(new URL('../fixtures/durable-crash-app/runner.mjs', import.meta.url));
const distEngine = fileURLToPath(new URL('../../dist/durable/engine.js', import.meta.url));
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
  const child = spawn(process.execPath, [runner], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
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

/** The runner kills itself (KILL_ON_LOG, RAISE_AND_DIE): wait for that, and make sure it was that. */
async function killedItself(run: Run, timeoutMs = 60_000): Promise<void> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  await run.exited;
  clearTimeout(timer);
  expect(run.child.signalCode, `runner should have killed itself:\n${run.output}`).toBe('SIGKILL');
  expect(run.output).not.toContain('RESULT');
}

/** Activity invocation lines the fixture appended (one per start) and how often each occurs. */
class InvocationLog {
  constructor(private readonly file: string) {}
  lines(): string[] {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter(Boolean) : [];
  }
  countOf(prefix: string): number {
    return this.lines().filter((line) => line.startsWith(prefix)).length;
  }
  tally(): Map<string, number> {
    const map = new Map<string, number>();
    for (const line of this.lines()) map.set(line, (map.get(line) ?? 0) + 1);
    return map;
  }
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

/**
 * Every activity whose completion storage holds anywhere in the hub (any instance, any execution still stored):
 * TaskCompleted in a history row or in an inbox message, matched to its TaskScheduled by execution and task id.
 */
async function recordedCompletions(store: DurableStore): Promise<Set<string>> {
  const scheduled = new Map<string, string>();
  const completed: string[] = [];
  for await (const row of store.history.listEntities<Record<string, unknown>>()) {
    const rowKey = String(row.rowKey);
    const text = unpackText(row, 'e');
    if (text === undefined) continue;
    if (rowKey.startsWith('h:')) {
      const execution = `${String(row.partitionKey)}|${rowKey.split(':')[1]}`;
      const event = JSON.parse(text) as HistoryEvent;
      if (event.EventType === EventType.TaskScheduled) scheduled.set(`${execution}|${event.EventId}`, `${String(event.Name)}:${String(event.Input)}`);
      if (event.EventType === EventType.TaskCompleted) completed.push(`${execution}|${String(event.TaskScheduledId)}`);
    } else if (rowKey.startsWith('m:')) {
      const message = JSON.parse(text) as InboxMessage;
      if (message.kind === 'event' && message.event.EventType === EventType.TaskCompleted) {
        completed.push(`${String(row.partitionKey)}|${message.executionId}|${String(message.event.TaskScheduledId)}`);
      }
    }
  }
  return new Set(completed.map((key) => scheduled.get(key)).filter((key): key is string => key !== undefined));
}

describe('crash recovery of fleet-shaped orchestrations (sub-orchestrations, events, retries, continueAsNew)', () => {
  it('survives a SIGKILL at each awkward point and ends with the right output, generations and activity counts', async () => {
    const countsFile = join(workDir, 'fleet-counts.txt');
    const hub = `fleet${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const id = 'fleet-1';
    const env = {
      AZURITE_CONNECTION: azurite.connectionString,
      TASK_HUB: hub,
      COUNTS_FILE: countsFile,
      INSTANCE_ID: id,
      ORCHESTRATOR: 'fleetFlow',
      GENERATIONS: '3',
      RETRY_MS: '1500',
      ACTIVITY_MS: '150',
    };
    expect(existsSync(distEngine), 'dist/ is missing: run `npm run build` (npm test does it)').toBe(true);
    const store = new DurableStore(azurite.connectionString, hub);
    const log = new InvocationLog(countsFile);
    const snapshots: { at: string; recorded: Set<string>; counts: Map<string, number> }[] = [];
    const snapshot = async (at: string) => snapshots.push({ at, recorded: await recordedCompletions(store), counts: log.tally() });
    const childStep = (gen: number, n: number, step: number) => `fleetChildStep:${JSON.stringify({ gen, n, step })}`;
    const parent = () => store.loadPartition(id);
    const ofType = (events: readonly HistoryEvent[], type: number) => events.filter((event) => event.EventType === type);
    /** The parent has the flaky activity's result: it now waits for 'go'. */
    const waitingForEvent = async () => {
      const history = (await parent()).history;
      const flakyIds = new Set(history.filter((e) => e.EventType === EventType.TaskScheduled && e.Name === 'fleetFlaky').map((e) => e.EventId));
      return history.some((e) => e.EventType === EventType.TaskCompleted && flakyIds.has(e.TaskScheduledId as number));
    };
    const raise = async (run: Run, value: number) => {
      run.child.stdin!.write(`RAISE ${id} go ${JSON.stringify({ value })}\n`);
      await until(`event go=${value} raised`, () => run.output.includes('RAISED go'), run);
    };

    // 1. Generation 1, mid child (explicit id), after raising 'go' BEFORE the parent waits for it.
    let run = spawnRunner(env);
    await until('the named child has started its first step', () => log.countOf(childStep(1, 1, 1)) >= 1, run);
    await raise(run, 1);
    await kill(run);
    expect((await store.readHead(`${id}-child-g1`))?.status).toBe('Running');
    await snapshot('mid named child');

    // 2. The named child has committed its completion; the parent has not heard yet.
    run = spawnRunner({ ...env, KILL_ON_LOG: `Instance '${id}-child-g1' finished` });
    await killedItself(run);
    expect((await store.readHead(`${id}-child-g1`))?.status).toBe('Completed');
    const notNotified = await parent();
    expect(ofType(notNotified.history, EventType.SubOrchestrationInstanceCompleted)).toHaveLength(0);
    expect(notNotified.messages.filter((m) => m.kind === 'event' && m.event.EventType === EventType.SubOrchestrationInstanceCompleted)).toHaveLength(0);
    await snapshot('named child finished, parent not notified');

    // 3. The flaky activity's first attempt failed: its retry timer is pending.
    run = spawnRunner(env);
    await until(
      'a pending retry timer',
      async () => {
        const history = (await parent()).history;
        return ofType(history, EventType.TaskFailed).length === 1 && ofType(history, EventType.TimerCreated).length === 1 && ofType(history, EventType.TimerFired).length === 0;
      },
      run,
    );
    await kill(run);
    expect(log.countOf('fleetFlaky:{"gen":1}')).toBe(1);
    await snapshot('retry timer pending');

    // 4. Right after continueAsNew commits generation 2 (the old execution's rows not yet deleted).
    const firstExecution = (await store.readHead(id))!.executionId;
    run = spawnRunner({ ...env, KILL_ON_LOG: `Instance '${id}' continued as new` });
    await killedItself(run);
    const second = (await store.readHead(id))!;
    expect(second.executionId).not.toBe(firstExecution);
    expect(JSON.parse(second.input)).toMatchObject({ generation: 1 });
    await snapshot('right after continueAsNew');

    // 5. Generation 2, mid child with a generated id (`<execution id>:<taskId>`, new in every generation).
    run = spawnRunner(env);
    await until('the generated child has started its first step', () => log.countOf(childStep(2, 2, 1)) >= 1, run);
    await kill(run);
    expect((await store.readHead(`${second.executionId}:1`))?.status).toBe('Running');
    await snapshot('mid generated child');

    // 6. The parent waits; 'go' is raised and durable in the inbox, and the process dies before any episode takes it.
    run = spawnRunner(env);
    await until('generation 2 waits for its event', waitingForEvent, run);
    run.child.stdin!.write(`RAISE_AND_DIE ${id} go ${JSON.stringify({ value: 2 })}\n`);
    await killedItself(run);
    const inbox = await parent();
    expect(inbox.messages.filter((m) => m.kind === 'event' && m.event.EventType === EventType.EventRaised)).toHaveLength(1);
    expect(ofType(inbox.history, EventType.EventRaised)).toHaveLength(0);
    await snapshot('event in the inbox');

    // 7. Generation 3: the generated child has finished; the parent has not heard yet.
    // Generation 3's execution id is made in this run; earlier generations' generated children finished before it.
    run = spawnRunner({ ...env, KILL_ON_LOG: `Instance '[0-9a-f]{32}:1' finished` });
    await killedItself(run);
    const third = (await store.readHead(id))!;
    expect(JSON.parse(third.input)).toMatchObject({ generation: 2 });
    expect((await store.readHead(`${third.executionId}:1`))?.status).toBe('Completed');
    await snapshot('generated child finished, parent not notified');

    // 8. Run to the end; the last event is raised after the parent waits.
    run = spawnRunner(env);
    await until('generation 3 waits for its event', waitingForEvent, run);
    await raise(run, 3);
    await until('the result', () => run.output.includes('RESULT '), run, 90_000);
    await run.exited;
    const status = JSON.parse(/RESULT (.*)/.exec(run.output)![1]!) as { runtimeStatus: string; output: unknown; input: unknown };

    const perGeneration = (gen: number) => gen * 200 + 23 + (gen * 200 + 43) + gen * 1000;
    const expectedTotal = [1, 2, 3].reduce((sum, gen) => sum + perGeneration(gen) + gen, 0);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(`fleet:${expectedTotal}:3`);
    expect(status.input).toMatchObject({ generation: 2 });

    const final = log.tally();
    const expectedKeys = [1, 2, 3].flatMap((gen) => [
      ...[1, 2].flatMap((n) => [childStep(gen, n, 1), childStep(gen, n, 2)]),
      `fleetFlaky:${JSON.stringify({ gen })}`,
    ]);
    expectedKeys.push(`fleetFinal:${JSON.stringify({ total: expectedTotal, generations: 3 })}`);
    for (const key of expectedKeys) expect(final.get(key) ?? 0, `${key} ran`).toBeGreaterThanOrEqual(1);
    expect([...final.keys()].sort()).toEqual([...expectedKeys].sort());
    // No kill landed inside the flaky activity: one failed attempt and one retry per generation, never more.
    for (const gen of [1, 2, 3]) expect(final.get(`fleetFlaky:${JSON.stringify({ gen })}`), `fleetFlaky gen ${gen}`).toBe(2);
    const reruns = [...final.entries()].filter(([key, count]) => count > 1 && !key.startsWith('fleetFlaky')).map(([key]) => key);
    console.log(`fleet crash test: ${log.lines().length} activity invocations over 8 runs, more than once: ${reruns.join(', ') || 'none'}`);
    for (const { at, recorded, counts } of snapshots) {
      for (const key of recorded) expect(final.get(key), `${key} was recorded before the kill "${at}" and must not run again`).toBe(counts.get(key));
    }
    expect(snapshots.filter((s) => s.recorded.size > 0).length, 'kills found recorded completions').toBeGreaterThanOrEqual(5);
  });
});
