import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/durable/history.js';
import { EventType, eventTypeName } from '../../src/durable/history.js';
import { CallCounter, EngineFixture, durableFunctions } from './engine-harness.js';

/**
 * Orchestration-level conformance: sample orchestrations registered through df.app.* exactly as an app does,
 * run by the engine against a real Azurite, asserting outputs, history shapes and activity call counts.
 */

const fixture = new EngineFixture();
const calls = new CallCounter();
const DAY = 24 * 3600 * 1000;
/** Flipped by the non-determinism test between two replays. */
const drift = { activityName: 'cfEcho' };
let releaseGate: (() => void) | undefined;

beforeAll(async () => {
  const df = await durableFunctions();
  const retry = (attempts: number) => new df.RetryOptions(50, attempts);

  df.app.activity('cfEcho', { handler: (input: unknown) => (calls.hit('cfEcho'), input) });
  df.app.activity('cfHello', { handler: (input: unknown) => (calls.hit('cfHello'), `Hello ${String(input)}`) });
  df.app.activity('cfSquare', { handler: (input: unknown) => (calls.hit('cfSquare'), (input as number) ** 2) });
  df.app.activity('cfBoom', {
    handler: () => {
      calls.hit('cfBoom');
      throw new RangeError('boom');
    },
  });
  let flakyCalls = 0;
  df.app.activity('cfFlaky', {
    handler: () => {
      calls.hit('cfFlaky');
      flakyCalls += 1;
      if (flakyCalls % 2 === 1) throw new Error('first attempt fails');
      return 'second attempt worked';
    },
  });
  df.app.activity('cfGate', {
    handler: async () => {
      calls.hit('cfGate');
      await new Promise<void>((resolve) => (releaseGate = resolve));
      return 'released';
    },
  });

  df.app.orchestration('cfSequence', function* (context) {
    const out: unknown[] = [];
    for (const city of ['Tokyo', 'Seattle', 'London']) out.push(yield context.df.callActivity('cfHello', city));
    return out;
  });
  df.app.orchestration('cfObjectInput', function* (context) {
    const input = context.df.getInput<{ n: number }>();
    const echoed: unknown = yield context.df.callActivity('cfEcho', { twice: input.n * 2, text: '"quoted"' });
    return echoed;
  });
  df.app.orchestration('cfFanOut', function* (context) {
    const n = context.df.getInput<number>();
    const results = (yield context.df.Task.all(Array.from({ length: n }, (_v, i) => context.df.callActivity('cfSquare', i)))) as number[];
    return results.reduce((sum, value) => sum + value, 0);
  });
  df.app.orchestration('cfRetryExhausted', function* (context) {
    try {
      yield context.df.callActivityWithRetry('cfBoom', retry(2), null);
      return 'unreachable';
    } catch (error) {
      return `caught: ${(error as Error).message}`;
    }
  });
  df.app.orchestration('cfRetryRecovers', function* (context) {
    const result: unknown = yield context.df.callActivityWithRetry('cfFlaky', retry(3), null);
    return result;
  });
  df.app.orchestration('cfActivityThrows', function* (context) {
    try {
      yield context.df.callActivity('cfBoom', null);
      return 'unreachable';
    } catch (error) {
      return `caught: ${(error as Error).message}`;
    }
  });
  df.app.orchestration('cfTimer', function* (context) {
    const start = context.df.currentUtcDateTime.getTime();
    const days = context.df.getInput<number>();
    yield context.df.createTimer(new Date(start + days * DAY));
    return context.df.currentUtcDateTime.getTime() - start;
  });
  df.app.orchestration('cfChild', function* (context) {
    const input = context.df.getInput<number>();
    if (input < 0) throw new Error(`negative input ${input}`);
    const squared: unknown = yield context.df.callActivity('cfSquare', input);
    return { child: context.df.instanceId, parent: context.df.parentInstanceId, squared };
  });
  df.app.orchestration('cfParent', function* (context) {
    const anonymous: unknown = yield context.df.callSubOrchestrator('cfChild', 3);
    const named: unknown = yield context.df.callSubOrchestrator('cfChild', 4, `${context.df.instanceId}-named`);
    let failure = '';
    try {
      yield context.df.callSubOrchestratorWithRetry('cfChild', retry(2), -1);
    } catch (error) {
      failure = (error as Error).message;
    }
    return { anonymous, named, failure };
  });
  df.app.orchestration('cfApproval', function* (context) {
    yield context.df.callActivity('cfEcho', 'before waiting');
    const approval: unknown = yield context.df.waitForExternalEvent('Approval');
    return approval;
  });
  df.app.orchestration('cfRace', function* (context) {
    const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + context.df.getInput<number>()));
    const event = context.df.waitForExternalEvent('Answer');
    const winner = (yield context.df.Task.any([event, timeout])) as unknown;
    if (winner === event) {
      timeout.cancel();
      return { answer: event.result };
    }
    return 'timed out';
  });
  df.app.orchestration('cfCounter', function* (context) {
    const state = context.df.getInput<{ round: number; seen: unknown[] }>();
    context.df.setCustomStatus({ round: state.round });
    if (state.round < 3) {
      yield context.df.callActivity('cfEcho', state.round);
      context.df.continueAsNew({ round: state.round + 1, seen: state.seen });
      return undefined;
    }
    const late: unknown = yield context.df.waitForExternalEvent('Late');
    return { round: state.round, late };
  });
  df.app.orchestration('cfCustomStatus', function* (context) {
    context.df.setCustomStatus({ stage: 'waiting' });
    yield context.df.waitForExternalEvent('Go');
    context.df.setCustomStatus({ stage: 'done' });
    return 'ok';
  });
  df.app.orchestration('cfThrows', function* (context) {
    yield context.df.callActivity('cfEcho', 1);
    throw new TypeError('orchestrator exploded on purpose');
  });
  df.app.orchestration('cfDrifting', function* (context) {
    const first: unknown = yield context.df.callActivity(drift.activityName, 'x');
    const second: unknown = yield context.df.callActivity('cfGate', null);
    return [first, second];
  });
  df.app.orchestration('cfEntity', function* (context) {
    yield context.df.callEntity(new df.EntityId('counter', 'one'), 'add', 1);
    return 'unreachable';
  });
  df.app.orchestration('cfWaitForever', function* (context) {
    const never: unknown = yield context.df.waitForExternalEvent('Never');
    return never;
  });
  await fixture.start();
});
afterAll(() => fixture.stop());

const names = (history: readonly HistoryEvent[]) =>
  history.filter((e) => e.EventType !== EventType.OrchestratorStarted && e.EventType !== EventType.OrchestratorCompleted).map((e) => eventTypeName(e.EventType));

async function until(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('durable engine conformance (real SDK, real Azurite)', () => {
  it('runs activities in sequence, decoding string inputs once, with the expected history', async () => {
    const engine = await fixture.engine();
    const before = calls.of('cfHello');
    const id = await engine.startNew('cfSequence');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    expect(calls.of('cfHello') - before).toBe(3);
    const history = await engine.rawHistory(id);
    expect(names(history)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'TaskScheduled', 'TaskCompleted', 'TaskScheduled', 'TaskCompleted', 'ExecutionCompleted']);
    expect(history.filter((e) => e.EventType === EventType.TaskScheduled).map((e) => e.EventId)).toEqual([0, 1, 2]);
  });

  it('passes object inputs and the orchestration input through unchanged', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfObjectInput', { input: { n: 21 } });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ twice: 42, text: '"quoted"' });
    expect(status.input).toEqual({ n: 21 });
  });

  it('fans out with Task.all and replays a fan-out of 200 in a handful of episodes', async () => {
    const engine = await fixture.engine({ maxConcurrentActivities: 20 });
    const before = calls.of('cfSquare');
    const id = await engine.startNew('cfFanOut', { input: 200 });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 60_000 });
    expect(status.output).toBe(Array.from({ length: 200 }, (_v, i) => i * i).reduce((a, b) => a + b, 0));
    expect(calls.of('cfSquare') - before).toBe(200);
    // One episode to schedule, then completions are batched: far fewer replays than completions.
    expect(engine.episodesOf(id)).toBeLessThanOrEqual(25);
    const history = await engine.rawHistory(id);
    expect(new Set(history.filter((e) => e.EventType === EventType.TaskScheduled).map((e) => e.EventId)).size).toBe(200);
  });

  it('retries an activity with the exact exhausted history: a timer after every failed attempt, the last included', async () => {
    const engine = await fixture.engine({ clock: 'virtual' });
    const before = calls.of('cfBoom');
    const id = await engine.startNew('cfRetryExhausted');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toBe('caught: RangeError: boom');
    expect(calls.of('cfBoom') - before).toBe(2);
    const history = await engine.rawHistory(id);
    const shape = history
      .filter((e) => [EventType.TaskScheduled, EventType.TaskFailed, EventType.TimerCreated, EventType.TimerFired].includes(e.EventType as 4))
      .map((e) => `${eventTypeName(e.EventType)}${e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated ? `#${e.EventId}` : `(${String(e.TaskScheduledId ?? e.TimerId)})`}`);
    expect(shape).toEqual(['TaskScheduled#0', 'TaskFailed(0)', 'TimerCreated#1', 'TimerFired(1)', 'TaskScheduled#2', 'TaskFailed(2)', 'TimerCreated#3', 'TimerFired(3)']);
    const failed = history.find((e) => e.EventType === EventType.TaskFailed)!;
    expect(failed.FailureDetails).toMatchObject({ ErrorType: 'RangeError', ErrorMessage: 'boom' });
  });

  it('retries until an attempt succeeds', async () => {
    const engine = await fixture.engine({ clock: 'virtual' });
    const before = calls.of('cfFlaky');
    const id = await engine.startNew('cfRetryRecovers');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toBe('second attempt worked');
    expect(calls.of('cfFlaky') - before).toBe(2);
  });

  it('delivers an activity failure as TaskFailed with FailureDetails to a catching orchestrator', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfActivityThrows');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe('caught: RangeError: boom');
    const failed = (await engine.rawHistory(id)).find((e) => e.EventType === EventType.TaskFailed)!;
    expect(failed).toMatchObject({ TaskScheduledId: 0, FailureDetails: { ErrorType: 'RangeError', ErrorMessage: 'boom', IsNonRetriable: false } });
  });

  it('skips time on the virtual clock: a 10-day timer completes in seconds, in 3-day chunks', async () => {
    const engine = await fixture.engine({ clock: 'virtual' });
    const started = Date.now();
    const id = await engine.startNew('cfTimer', { input: 10 });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(status.output).toBeGreaterThanOrEqual(10 * DAY);
    const history = await engine.rawHistory(id);
    const created = history.filter((e) => e.EventType === EventType.TimerCreated);
    expect(created.map((e) => e.EventId)).toEqual([0, 1, 2]);
    // Every episode that sees a timer fire is stamped at or after that timer's FireAt.
    let episodeAt = 0;
    for (const event of history) {
      if (event.EventType === EventType.OrchestratorStarted) episodeAt = Date.parse(event.Timestamp);
      if (event.EventType === EventType.TimerFired) expect(episodeAt).toBeGreaterThanOrEqual(Date.parse(String(event.FireAt)));
    }
  });

  it('runs a short timer on the real clock', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfRace', { input: 300 });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toBe('timed out');
  });

  it('runs sub-orchestrations with and without an instance id, and surfaces a failing one after its retries', async () => {
    const engine = await fixture.engine({ clock: 'virtual' });
    const id = await engine.startNew('cfParent', { instanceId: 'parent-1' });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 30_000 });
    expect(status.runtimeStatus).toBe('Completed');
    const output = status.output as { anonymous: { child: string; parent: string; squared: number }; named: { child: string }; failure: string };
    // No id given: DTFx's `<parent execution id>:<task id>` (a dash-less GUID, then the task id), as in Azure.
    const started = (await engine.rawHistory(id)).find((event) => event.EventType === EventType.ExecutionStarted);
    const executionId = (started?.OrchestrationInstance as { ExecutionId: string }).ExecutionId;
    expect(executionId).toMatch(/^[0-9a-f]{32}$/);
    expect(output.anonymous).toEqual({ child: `${executionId}:0`, parent: 'parent-1', squared: 9 });
    expect(output.named).toEqual({ child: 'parent-1-named', parent: 'parent-1', squared: 16 });
    expect(output.failure).toContain('negative input -1');
    const named = await engine.getStatus('parent-1-named');
    expect(named?.runtimeStatus).toBe('Completed');
    const shape = names(await engine.rawHistory(id)).filter((n) => n.startsWith('SubOrchestration') || n.startsWith('Timer'));
    expect(shape).toEqual([
      'SubOrchestrationInstanceCreated',
      'SubOrchestrationInstanceCompleted',
      'SubOrchestrationInstanceCreated',
      'SubOrchestrationInstanceCompleted',
      'SubOrchestrationInstanceCreated',
      'SubOrchestrationInstanceFailed',
      'TimerCreated',
      'TimerFired',
      'SubOrchestrationInstanceCreated',
      'SubOrchestrationInstanceFailed',
      'TimerCreated',
      'TimerFired',
    ]);
  });

  it('buffers an external event raised before the orchestrator waits for it', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfApproval');
    await engine.raiseEvent(id, 'Approval', { approved: true });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ approved: true });
    const history = names(await engine.rawHistory(id));
    expect(history.indexOf('EventRaised')).toBeGreaterThan(-1);
  });

  it('lets an event win a Task.any race against a timer', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfRace', { input: 60_000 });
    await until(async () => (await engine.rawHistory(id)).some((e) => e.EventType === EventType.TimerCreated));
    await engine.raiseEvent(id, 'Answer', 42);
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ answer: 42 });
  });

  it('continues as new with a fresh history, carrying the input, custom status and unconsumed events', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfCounter', { input: { round: 1, seen: [] } });
    // Raised during round 1, when nobody waits for it: it must survive two continueAsNew resets.
    await engine.raiseEvent(id, 'Late', 'kept');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toEqual({ round: 3, late: 'kept' });
    expect(status.customStatus).toEqual({ round: 3 });
    expect(status.input).toEqual({ round: 3, seen: [] });
    const history = names(await engine.rawHistory(id));
    expect(history[0]).toBe('ExecutionStarted');
    expect(history.filter((n) => n === 'ExecutionStarted')).toHaveLength(1);
    expect(history).not.toContain('TaskScheduled');
  });

  it('reports custom status while running', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfCustomStatus');
    await until(async () => (await engine.getStatus(id))?.runtimeStatus === 'Running');
    expect((await engine.getStatus(id))?.customStatus).toEqual({ stage: 'waiting' });
    await engine.raiseEvent(id, 'Go', null);
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.customStatus).toEqual({ stage: 'done' });
  });

  it('fails an instance whose orchestrator throws, with its message and details', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfThrows');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('orchestrator exploded on purpose');
    expect(String(status.output)).not.toContain('$OutOfProcData$');
    const completed = (await engine.rawHistory(id)).find((e) => e.EventType === EventType.ExecutionCompleted)!;
    expect(completed).toMatchObject({ OrchestrationStatus: 'Failed', FailureDetails: { ErrorMessage: 'orchestrator exploded on purpose' } });
  });

  it('detects non-determinism: a different activity name for an existing task id fails the instance', async () => {
    const engine = await fixture.engine();
    drift.activityName = 'cfEcho';
    const id = await engine.startNew('cfDrifting');
    await until(() => Promise.resolve(releaseGate !== undefined));
    drift.activityName = 'cfHello';
    releaseGate!();
    releaseGate = undefined;
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    drift.activityName = 'cfEcho';
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('NonDeterministicOrchestration');
    expect(String(status.output)).toContain("callActivity('cfEcho')");
    expect(String(status.output)).toContain("callActivity('cfHello')");
  });

  it('refuses entities: the instance fails saying the local host does not support them', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfEntity');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('local host does not support');
    expect(String(status.output)).toContain('callEntity');
  });

  it('suspends (buffering events), resumes, and terminates', async () => {
    const engine = await fixture.engine();
    const id = await engine.startNew('cfApproval');
    await until(async () => (await engine.rawHistory(id)).some((e) => e.EventType === EventType.TaskCompleted));
    await engine.suspend(id, 'maintenance');
    await until(async () => (await engine.getStatus(id))?.runtimeStatus === 'Suspended');
    await engine.raiseEvent(id, 'Approval', 'while suspended');
    await engine.waitForIdle({ timeoutInMs: 10_000 });
    expect((await engine.getStatus(id))?.runtimeStatus).toBe('Suspended');
    await engine.resume(id, 'done');
    const status = await engine.waitForCompletion(id, { timeoutInMs: 20_000 });
    expect(status.output).toBe('while suspended');
    const history = await engine.rawHistory(id);
    expect(names(history)).toEqual(expect.arrayContaining(['ExecutionSuspended', 'ExecutionResumed', 'EventRaised']));
    // The event raised while suspended is recorded after ExecutionResumed, so no earlier than it: time never runs back.
    expect(history.map((event) => event.Timestamp)).toEqual(history.map((event) => event.Timestamp).sort());
    const shown = (await engine.getStatus(id, { showHistory: true }))?.history ?? [];
    expect(shown.map((event) => event.Timestamp)).toEqual(shown.map((event) => event.Timestamp).sort());

    const doomed = await engine.startNew('cfWaitForever');
    await until(async () => (await engine.getStatus(doomed))?.runtimeStatus === 'Running');
    await engine.terminate(doomed, 'no longer needed');
    const ended = await engine.waitForCompletion(doomed, { timeoutInMs: 20_000 });
    expect(ended.runtimeStatus).toBe('Terminated');
    expect(ended.output).toBe('no longer needed');
    await expect(engine.raiseEvent(doomed, 'Never', 1)).rejects.toMatchObject({ code: 'InstanceNotRunning', httpStatus: 410 });
    await expect(engine.terminate('no-such-instance')).rejects.toMatchObject({ code: 'InstanceNotFound', httpStatus: 404 });
  });

  it('rejects unknown orchestrators and duplicate running ids', async () => {
    const engine = await fixture.engine();
    await expect(engine.startNew('cfNoSuchThing')).rejects.toMatchObject({ code: 'UnknownOrchestrator', httpStatus: 400 });
    await engine.startNew('cfWaitForever', { instanceId: 'dup' });
    await expect(engine.startNew('cfWaitForever', { instanceId: 'dup' })).rejects.toMatchObject({ code: 'InstanceAlreadyRunning', httpStatus: 409 });
  });
});
