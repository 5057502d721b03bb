import { beforeAll, describe, expect, it } from 'vitest';
import { readActions } from '../../src/durable/actions.js';
import type { FunctionHandler } from '../../src/durable/contract.js';
import { EventType, type HistoryEvent } from '../../src/durable/history.js';
import { newInvocationContext, orchestrationTriggerPayload } from '../../src/durable/orchestrator-invoker.js';
import { NonDeterminismError, TaskLedger, retryDelayMs, type ScheduledWork } from '../../src/durable/task-ledger.js';
import { durableFunctions, sink } from './engine-harness.js';

/**
 * The ledger must number tasks exactly as durable-functions does. These tests drive the real SDK episode by
 * episode (no storage) and compare the ledger's open ids with the ids the SDK itself waits on
 * (context.df.taskOrchestratorExecutor.openTasks: internal, read here only to check the ledger).
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const handlers = new Map<string, FunctionHandler>();

beforeAll(async () => {
  const df = await durableFunctions();
  const retry = (attempts: number) => new df.RetryOptions(1000, attempts);
  df.app.orchestration('ledgerAnyRetryRace', function* (context) {
    const flaky = context.df.callActivityWithRetry('alwaysFails', retry(3), null);
    const quick = context.df.callActivity('ok', 'quick');
    yield context.df.Task.any([flaky, quick]);
    const after: unknown = yield context.df.callActivity('ok', 'after');
    try {
      yield flaky;
    } catch {
      return ['flaky failed', after];
    }
    return 'unreachable';
  });
  df.app.orchestration('ledgerMixed', function* (context) {
    const start = context.df.currentUtcDateTime.getTime();
    const results = (yield context.df.Task.all([
      context.df.callActivityWithRetry('failsOnce', retry(2), 'a'),
      context.df.createTimer(new Date(start + 13 * DAY)),
      context.df.callSubOrchestrator('child', 1),
      context.df.callActivity('ok', 'b'),
    ])) as unknown[];
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
    const again: unknown = yield context.df.callActivityWithRetry('failsOnce', retry(2), 'c');
    return [results[0], results[3], again];
  });
  df.app.orchestration('ledgerReyield', function* (context) {
    const first = context.df.callActivity('ok', 1);
    yield first;
    const both = (yield context.df.Task.all([first, context.df.callActivity('ok', 2)])) as unknown[];
    const event: unknown = yield context.df.waitForExternalEvent('Go');
    const last: unknown = yield context.df.callActivity('ok', 3);
    return [...both, event, last];
  });
  for (const { metadata, handler } of sink.registrations) if (metadata.name.startsWith('ledger')) handlers.set(metadata.name, handler);
});

interface Sdk {
  state: { isDone: boolean; actions: unknown; output: unknown } | undefined;
  error: unknown;
  openIds: number[];
}

async function runSdk(name: string, history: HistoryEvent[]): Promise<Sdk> {
  const context = newInvocationContext(name, 'orchestrationTrigger');
  let state: Sdk['state'];
  let error: unknown;
  try {
    state = (await handlers.get(name)!(orchestrationTriggerPayload({ functionName: name, instanceId: 'ledger-test', input: null, history }), context)) as Sdk['state'];
  } catch (caught) {
    error = caught;
  }
  const executor = (context as unknown as { df: { taskOrchestratorExecutor: { openTasks: Record<string, unknown> } } }).df.taskOrchestratorExecutor;
  return { state, error, openIds: Object.keys(executor.openTasks).map(Number).sort((a, b) => a - b) };
}

/**
 * Plays an orchestration to its end the way the engine does: every open task completes in the next episode
 * (activities per `outcome`, timers at their FireAt), allocating events first, then new actions.
 */
async function play(name: string, outcome: (work: Extract<ScheduledWork, { type: 'activity' | 'subOrchestration' }>) => 'ok' | 'fail'): Promise<{ output: unknown; episodes: number; ledger: TaskLedger; history: HistoryEvent[] }> {
  const ledger = new TaskLedger();
  const history: HistoryEvent[] = [];
  let open: ScheduledWork[] = [];
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  for (let episode = 0; episode < 60; episode++) {
    const fireAt = Math.max(0, ...open.filter((w) => w.type === 'timer').map((w) => (w as { fireAt: Date }).fireAt.getTime()));
    nowMs = Math.max(nowMs + HOUR, fireAt);
    const now = new Date(nowMs);
    const ts = now.toISOString();
    const inbound: HistoryEvent[] = open.map((work) => {
      const base = { EventId: -1, IsPlayed: false, Timestamp: ts };
      if (work.type === 'timer') return { ...base, EventType: EventType.TimerFired, TimerId: work.id, FireAt: work.fireAt.toISOString() };
      const ok = outcome(work) === 'ok';
      const sub = work.type === 'subOrchestration';
      return ok
        ? { ...base, EventType: sub ? EventType.SubOrchestrationInstanceCompleted : EventType.TaskCompleted, TaskScheduledId: work.id, Result: JSON.stringify(`${work.name}:${String(work.input)}`) }
        : { ...base, EventType: sub ? EventType.SubOrchestrationInstanceFailed : EventType.TaskFailed, TaskScheduledId: work.id, FailureDetails: { ErrorType: 'Error', ErrorMessage: 'planned failure', IsNonRetriable: false } };
    });
    // Deliberately unfavourable arrival order: non-allocating completions first. The engine reorders.
    inbound.reverse();
    const allocating = inbound.filter((event) => ledger.isAllocating(event, now));
    const ordered = [...allocating, ...inbound.filter((event) => !allocating.includes(event))];
    const newEvents: HistoryEvent[] = [{ EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: ts }];
    if (episode === 0) newEvents.push({ EventType: EventType.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: ts, Name: name, Input: 'null' });
    if (name === 'ledgerReyield' && episode === 3) newEvents.push({ EventType: EventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: ts, Name: 'Go', Input: '"went"' });
    const work: ScheduledWork[] = [];
    for (const event of ordered) {
      work.push(...ledger.applyInbound(event, now));
      newEvents.push(event);
    }
    const sdk = await runSdk(name, [...history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents]);
    if (sdk.error) throw sdk.error instanceof Error ? sdk.error : new Error(JSON.stringify(sdk.error));
    const decided = ledger.applyActions(readActions(sdk.state!.actions), now, sdk.state!.isDone);
    history.push(...newEvents, { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: ts, NewLeaves: decided.newLeaves });
    if (sdk.state!.isDone) return { output: sdk.state!.output, episodes: episode + 1, ledger, history };
    open = [...work, ...decided.work];
    // The crux: the host's numbering equals the SDK's own.
    expect(ledger.openTaskIds().sort((a, b) => a - b)).toEqual(sdk.openIds);
    expect(open.map((w) => w.id).sort((a, b) => a - b)).toEqual(sdk.openIds);
  }
  throw new Error(`${name} did not finish`);
}

describe('TaskLedger against the real SDK', () => {
  it('numbers retry timers and attempts that race with new yields (Task.any) as the SDK does', async () => {
    const result = await play('ledgerAnyRetryRace', (work) => (work.name === 'alwaysFails' ? 'fail' : 'ok'));
    expect(result.output).toEqual(['flaky failed', 'ok:after']);
  });

  it('numbers a mix of retries, a 13-day timer in chunks, a sub-orchestration and later tasks as the SDK does', async () => {
    let failsOnceCalls = 0;
    const result = await play('ledgerMixed', (work) => (work.name === 'failsOnce' && failsOnceCalls++ % 2 === 0 ? 'fail' : 'ok'));
    expect(result.output).toEqual(['failsOnce:a', 'ok:b', 'failsOnce:c']);
    const timers = result.history.filter((e) => e.EventType === EventType.TimerFired).length;
    expect(timers).toBeGreaterThanOrEqual(6); // 2 retry timers, >= 3 chunks of the long timer, the 1-hour timer
  });

  it('gives a task yielded again inside Task.all no second id, and external events none at all', async () => {
    const result = await play('ledgerReyield', () => 'ok');
    expect(result.output).toEqual(['ok:1', 'ok:2', 'went', 'ok:3']);
    expect(result.ledger.nextId).toBe(3);
  });

  it('rebuilds exactly the same state from the history it wrote', async () => {
    let failsOnceCalls = 0;
    const { history, ledger } = await play('ledgerMixed', (work) => (work.name === 'failsOnce' && failsOnceCalls++ % 2 === 0 ? 'fail' : 'ok'));
    const rebuilt = TaskLedger.fromHistory(history);
    expect(rebuilt.nextId).toBe(ledger.nextId);
    expect(rebuilt.leafCount).toBe(ledger.leafCount);
    expect(rebuilt.openTaskIds()).toEqual(ledger.openTaskIds());
  });
});

describe('TaskLedger rules', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const activity = (name: string) => ({ actionType: 0, functionName: name, input: '"x"' });

  it('flags a different function name for an existing task id as non-determinism', () => {
    const ledger = new TaskLedger();
    ledger.applyActions(readActions([[activity('A')]]), now, false);
    expect(() => ledger.applyActions(readActions([[activity('B')]]), now, false)).toThrow(NonDeterminismError);
    expect(() => ledger.applyActions(readActions([[activity('B')]]), now, false)).toThrow(/Task #0 was callActivity\('A'\).*callActivity\('B'\)/);
  });

  it('flags fewer tasks than the history holds while still running, but not once finished', () => {
    const ledger = new TaskLedger();
    ledger.applyActions(readActions([[activity('A'), activity('B')]]), now, false);
    expect(() => ledger.applyActions(readActions([[activity('A')]]), now, false)).toThrow(NonDeterminismError);
    expect(() => ledger.applyActions(readActions([[activity('A')]]), now, true)).not.toThrow();
  });

  it('numbers compound children depth first and decodes string inputs once', () => {
    const ledger = new TaskLedger();
    const read = readActions([[{ actionType: 12, compoundActions: [activity('A'), { actionType: 11, compoundActions: [activity('B'), { actionType: 5, fireAt: new Date(now.getTime() + 1000), isCanceled: false }] }, activity('C')] }]]);
    const { work } = ledger.applyActions(read, now, false);
    expect(work.map((w) => [w.id, w.type === 'timer' ? 'timer' : w.name])).toEqual([
      [0, 'A'],
      [1, 'B'],
      [2, 'timer'],
      [3, 'C'],
    ]);
    expect((work[0] as { input: unknown }).input).toBe('x');
  });

  it('drops completions for unknown ids and duplicates', () => {
    const ledger = new TaskLedger();
    ledger.applyActions(readActions([[activity('A')]]), now, false);
    const done: HistoryEvent = { EventType: EventType.TaskCompleted, EventId: -1, IsPlayed: false, Timestamp: now.toISOString(), TaskScheduledId: 0, Result: '1' };
    expect(ledger.accepts({ ...done, TaskScheduledId: 7 })).toBe(false);
    expect(ledger.accepts({ ...done, EventType: EventType.TimerFired, TimerId: 0 })).toBe(false);
    expect(ledger.accepts(done)).toBe(true);
    ledger.applyInbound(done, now);
    expect(ledger.accepts(done)).toBe(false);
  });

  it('computes retry delays with backoff and cap', () => {
    expect(retryDelayMs({ firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5 }, 3)).toBe(100);
    expect(retryDelayMs({ firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5, backoffCoefficient: 2 }, 3)).toBe(400);
    expect(retryDelayMs({ firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 250 }, 3)).toBe(250);
  });

  it('reports the first unsupported action', () => {
    expect(readActions([[activity('A'), { actionType: 8, httpRequest: {} }]]).unsupported).toEqual({ actionType: 8, description: 'callHttp (durable HTTP)' });
    expect(readActions([[{ actionType: 4, input: '"again"' }]]).continueAsNew).toEqual({ input: 'again' });
  });
});
