import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionType } from '../../src/durable/actions.js';
import type { FunctionHandler } from '../../src/durable/contract.js';
import { EventType, type HistoryEvent } from '../../src/durable/history.js';
import { OUT_OF_PROC_DATA_MARKER, UPPER_SCHEMA_VERSION_NEW, newInvocationContext, orchestrationTriggerPayload } from '../../src/durable/orchestrator-invoker.js';
import { durableFunctions, sink } from './engine-harness.js';

/**
 * Fails loudly when durable-functions changes something the engine relies on. If this breaks after an upgrade,
 * re-check /work/shared/notes/durable-host-protocol.md and the engine before touching these expectations.
 */

const handlers = new Map<string, FunctionHandler>();
const T0 = '2026-01-01T00:00:00.000Z';
const started = (name: string): HistoryEvent[] => [
  { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: T0 },
  { EventType: EventType.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: T0, Name: name, Input: 'null' },
];

type State = { isDone: boolean; actions: unknown[][]; output: unknown; schemaVersion: number };

async function run(name: string, history: HistoryEvent[] = started(name), payloadOverrides: Record<string, unknown> = {}): Promise<State> {
  const payload = { ...orchestrationTriggerPayload({ functionName: name, instanceId: 'contract', input: null, history }), ...payloadOverrides };
  return (await handlers.get(name)!(payload, newInvocationContext(name, 'orchestrationTrigger'))) as State;
}

beforeAll(async () => {
  const df = await durableFunctions();
  const retry = new df.RetryOptions(1000, 2);
  df.app.orchestration('contractAll', function* (context) {
    const at = new Date(context.df.currentUtcDateTime.getTime() + 1000);
    yield context.df.Task.all([
      context.df.callActivity('a', 'text'),
      context.df.callActivityWithRetry('a', retry, { n: 1 }),
      context.df.callSubOrchestrator('s', 'sub-input'),
      context.df.callSubOrchestratorWithRetry('s', retry, null, 'child-id'),
      context.df.createTimer(at),
      context.df.waitForExternalEvent('E'),
      context.df.Task.any([context.df.callActivity('b', null), context.df.callActivity('c', null)]),
    ]);
  });
  df.app.orchestration('contractContinue', function* (context) {
    yield context.df.callActivity('a', null);
    context.df.continueAsNew('next');
  });
  df.app.orchestration('contractContinueNow', function* (context) {
    context.df.continueAsNew('next');
    yield* []; // a generator that never yields: continueAsNew in the very first episode
  });
  df.app.orchestration('contractThrows', function* (context) {
    yield context.df.callActivity('a', null);
    throw new Error('the real message');
  });
  df.app.orchestration('contractCatches', function* (context) {
    try {
      yield context.df.callActivity('a', null);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no failure';
  });
  df.app.orchestration('contractTimer', function* (context) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
  });
  df.app.orchestration('contractEntities', function* (context) {
    context.df.signalEntity(new df.EntityId('e', 'k'), 'op');
    yield context.df.Task.all([context.df.callEntity(new df.EntityId('e', 'k'), 'op'), context.df.callHttp({ method: 'GET', url: 'https://example.invalid/', enablePolling: false })]);
  });
  for (const { metadata, handler } of sink.registrations) if (metadata.name.startsWith('contract')) handlers.set(metadata.name, handler);
});

describe('durable-functions contract the engine relies on', () => {
  it('is version 3.5.0 (the version these facts were checked on)', () => {
    const version = (createRequire(import.meta.url)('durable-functions/package.json') as { version: string }).version;
    expect(version).toBe('3.5.0');
  });

  it('emits one cumulative action array with the action type numbers the engine reads', async () => {
    const state = await run('contractAll');
    expect(state.isDone).toBe(false);
    expect(state.schemaVersion).toBe(UPPER_SCHEMA_VERSION_NEW);
    expect(state.actions).toHaveLength(1);
    const [all] = state.actions[0] as { actionType: number; compoundActions: { actionType: number; input?: unknown; compoundActions?: { actionType: number }[] }[] }[];
    expect(all!.actionType).toBe(ActionType.WhenAll);
    expect(all!.compoundActions.map((a) => a.actionType)).toEqual([
      ActionType.CallActivity,
      ActionType.CallActivityWithRetry,
      ActionType.CallSubOrchestrator,
      ActionType.CallSubOrchestratorWithRetry,
      ActionType.CreateTimer,
      ActionType.WaitForExternalEvent,
      ActionType.WhenAny,
    ]);
    // String inputs of activities are JSON-encoded once more; sub-orchestration inputs are not.
    expect(all!.compoundActions[0]!.input).toBe('"text"');
    expect(all!.compoundActions[2]!.input).toBe('sub-input');
    expect(all!.compoundActions[6]!.compoundActions!.map((a) => a.actionType)).toEqual([ActionType.CallActivity, ActionType.CallActivity]);
  });

  it('numbers entity and HTTP actions as the engine refuses them', async () => {
    const state = await run('contractEntities');
    const flat = JSON.stringify(state.actions);
    expect(flat).toContain(`"actionType":${ActionType.SignalEntity}`);
    expect(flat).toContain(`"actionType":${ActionType.CallEntity}`);
    expect(flat).toContain(`"actionType":${ActionType.CallHttp}`);
  });

  it('reports isDone with a ContinueAsNew action and no output after continueAsNew', async () => {
    const state = await run('contractContinueNow');
    expect(state.isDone).toBe(true);
    expect(state.output).toBeUndefined();
    expect(state.actions[0]).toEqual([expect.objectContaining({ actionType: ActionType.ContinueAsNew, input: '"next"' })]);
  });

  it('throws on orchestrator failure with the state after the $OutOfProcData$ marker', async () => {
    const history = [
      ...started('contractThrows'),
      { EventType: EventType.TaskScheduled, EventId: 0, IsPlayed: false, Timestamp: T0, Name: 'a' },
      { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: T0 },
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: T0 },
      { EventType: EventType.TaskCompleted, EventId: -1, IsPlayed: false, Timestamp: T0, TaskScheduledId: 0, Result: 'null' },
    ];
    const failure = await run('contractThrows', history).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).toContain(OUT_OF_PROC_DATA_MARKER);
    const state = JSON.parse(failure!.message.slice(failure!.message.indexOf(OUT_OF_PROC_DATA_MARKER) + OUT_OF_PROC_DATA_MARKER.length)) as { error: string };
    expect(state.error).toBe('the real message');
  });

  it('reads TaskFailed FailureDetails into "<ErrorType>: <ErrorMessage>"', async () => {
    const history = [
      ...started('contractCatches'),
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: T0 },
      { EventType: EventType.TaskFailed, EventId: -1, IsPlayed: false, Timestamp: T0, TaskScheduledId: 0, FailureDetails: { ErrorType: 'RangeError', ErrorMessage: 'boom', IsNonRetriable: false } },
    ];
    expect((await run('contractCatches', history)).output).toBe('RangeError: boom');
  });

  it('converts Timestamp strings to Dates in place (so the engine must pass copies)', async () => {
    const history = started('contractAll');
    const payload = { ...orchestrationTriggerPayload({ functionName: 'contractAll', instanceId: 'contract', input: null, history }), history };
    await handlers.get('contractAll')!(payload, newInvocationContext('contractAll', 'orchestrationTrigger'));
    expect(history[0]!.Timestamp as unknown).toBeInstanceOf(Date);
    // ...and the engine's own payload builder copies.
    const mine = started('contractAll');
    await handlers.get('contractAll')!(orchestrationTriggerPayload({ functionName: 'contractAll', instanceId: 'contract', input: null, history: mine }), newInvocationContext('contractAll', 'orchestrationTrigger'));
    expect(typeof mine[0]!.Timestamp).toBe('string');
  });

  it('needs the V3 timer settings in the payload for createTimer', async () => {
    await expect(run('contractTimer')).resolves.toMatchObject({ isDone: false });
    await expect(run('contractTimer', started('contractTimer'), { maximumShortTimerDuration: undefined, longRunningTimerIntervalDuration: undefined })).rejects.toThrow(/maximumShortTimerDuration/);
  });

  it('rebuilds the action list cumulatively on replay: earlier actions stay, continueAsNew is appended', async () => {
    const history = [
      ...started('contractContinue'),
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: T0 },
      { EventType: EventType.TaskCompleted, EventId: -1, IsPlayed: false, Timestamp: T0, TaskScheduledId: 0, Result: 'null' },
    ];
    const state = await run('contractContinue', history);
    expect(state.isDone).toBe(true);
    expect((state.actions[0] as { actionType: number }[]).map((a) => a.actionType)).toEqual([ActionType.CallActivity, ActionType.ContinueAsNew]);
  });
});
