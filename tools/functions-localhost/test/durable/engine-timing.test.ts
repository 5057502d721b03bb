import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, type HistoryEvent } from '../../src/durable/history.js';
import { EngineFixture, durableFunctions } from './engine-harness.js';

/**
 * Timing the engine promises, read from what it recorded rather than measured with sleeps.
 *
 * Retry back-off as the history records it: each retry timer's FireAt lies first interval × coefficient^(n-1) after
 * the episode that saw attempt n fail, capped at the maximum interval; the SDK expects a timer after every failed
 * attempt, the last included. Run on the virtual clock, so the waits cost nothing; the gaps are read from the
 * history, not measured.
 */

const fixture = new EngineFixture();
let attempts = 0;
/** When (engine wall clock) the activity after the timer ran, per instance. */
const ranAfterTimer = new Map<string, number>();

beforeAll(async () => {
  const df = await durableFunctions();
  df.app.activity('rbAlwaysFails', {
    handler: () => {
      attempts += 1;
      throw new Error(`attempt ${attempts} failed`);
    },
  });
  df.app.orchestration('rbBackoff', function* (context) {
    const { first, max, coefficient, tries } = context.df.getInput<{ first: number; max?: number; coefficient: number; tries: number }>();
    const retry = new df.RetryOptions(first, tries);
    retry.backoffCoefficient = coefficient;
    if (max !== undefined) retry.maxRetryIntervalInMilliseconds = max;
    try {
      yield context.df.callActivityWithRetry('rbAlwaysFails', retry, null);
      return 'succeeded';
    } catch {
      return 'gave up';
    }
  });
  df.app.activity('rbRecordNow', {
    handler: (instanceId: string) => {
      ranAfterTimer.set(instanceId, Date.now());
      return null;
    },
  });
  df.app.orchestration('rbTimerThenActivity', function* (context) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + context.df.getInput<number>()));
    yield context.df.callActivity('rbRecordNow', context.df.instanceId);
    return 'done';
  });
  await fixture.start();
});
afterAll(() => fixture.stop());

/** FireAt minus the creating episode's time, for every retry timer in the history, in order. */
function retryGaps(history: readonly HistoryEvent[]): number[] {
  return history
    .filter((e) => e.EventType === EventType.TimerCreated)
    .map((e) => Date.parse(String(e.FireAt)) - Date.parse(String(e.Timestamp)));
}

describe('durable retry back-off', () => {
  it.each([
    { coefficient: 2, max: 5000, tries: 5, gaps: [1000, 2000, 4000, 5000, 5000] },
    { coefficient: 1.5, max: undefined, tries: 4, gaps: [1000, 1500, 2250, 3375] },
    { coefficient: 1, max: undefined, tries: 3, gaps: [1000, 1000, 1000] },
  ])('coefficient $coefficient, max interval $max: retry timers $gaps ms after each failure', async ({ coefficient, max, tries, gaps }) => {
    const engine = await fixture.engine({ clock: 'virtual' });
    const before = attempts;
    const id = await engine.startNew('rbBackoff', { input: { first: 1000, coefficient, tries, ...(max === undefined ? {} : { max }) } });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 30_000 });
    expect(status.output).toBe('gave up');
    expect(attempts - before).toBe(tries);
    expect(retryGaps(await engine.rawHistory(id))).toEqual(gaps);
  });
});

describe('durable timers on the real clock, end to end', () => {
  it.each([50, 400])('work after a %i ms timer runs no earlier than its FireAt', async (delayMs) => {
    const engine = await fixture.engine({ clock: 'real' });
    const id = await engine.startNew('rbTimerThenActivity', { input: delayMs });
    const status = await engine.waitForCompletion(id, { timeoutInMs: 30_000 });
    expect(status.output).toBe('done');
    const history = await engine.rawHistory(id);
    const created = history.find((e) => e.EventType === EventType.TimerCreated)!;
    const fired = history.find((e) => e.EventType === EventType.TimerFired)!;
    const fireAtMs = Date.parse(String(created.FireAt));
    expect(fireAtMs - Date.parse(String(created.Timestamp))).toBe(delayMs);
    expect(Date.parse(String(fired.Timestamp))).toBeGreaterThanOrEqual(fireAtMs);
    expect(ranAfterTimer.get(id)).toBeGreaterThanOrEqual(fireAtMs);
  });
});
