import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzurite, type RunningAzurite } from '../src/azurite.js';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';
import type { TimerPayload } from '../src/timer-scheduler.js';

/**
 * Timer schedule status across restarts (Table Storage on Azurite) and retry policies on timers
 * (tools/functions-localhost/test/fixtures/timer-state-app, tools/functions-localhost/test/fixtures/timer-retry-app).
 */
interface TimerRun {
  readonly at: number;
  readonly timer: TimerPayload;
}
interface Attempt {
  readonly name: string;
  readonly at: number;
  readonly retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
}

const runs = (): TimerRun[] => (globalThis as { __timerStateRuns?: TimerRun[] }).__timerStateRuns ?? [];
const attemptsOf = (name: string) => ((globalThis as { __retryAttempts?: Attempt[] }).__retryAttempts ?? []).filter((a) => a.name === name);
const NEVER = '0001-01-01T00:00:00.000Z';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

/**
 * Waits until the fixture timer's next occurrence after `since` (every 2 s, on even seconds) has passed: the event
 * these tests need while the host is down, and no longer. The clock is the host's real one, so this is a wait on
 * the clock, but for that occurrence, not a fixed sleep.
 */
async function untilOccurrenceAfter(since: number): Promise<void> {
  const occurrence = Math.floor(since / 2000) * 2000 + 2000;
  await vi.waitUntil(() => Date.now() > occurrence, { timeout: 5000, interval: 20 });
}

/** The host's log lines of one function, in order. */
const linesOf = (log: readonly string[], name: string): string[] => log.filter((line) => line.includes(` Function.${name} `));

describe('local host: timer schedule status across restarts', () => {
  let azurite: RunningAzurite;
  let host: RunningLocalHost | undefined;

  beforeAll(async () => {
    azurite = await startAzurite();
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const start = (storage: string | undefined) =>
    startLocalHost({ appDir: fixture('timer-state-app'), settingsDir: false, port: 0, logger: () => {}, ...(storage ? { storage } : {}) });

  it('runs at once, past due, after an occurrence passed while the host was down, reporting the earlier run as last', async () => {
    host = await start(azurite.connectionString);
    await vi.waitUntil(() => runs().length >= 1, { timeout: 10_000, interval: 50 });
    await host.stop();
    host = undefined;
    const stoppedAt = Date.now();
    const before = runs().at(-1)!;
    expect(before.timer.isPastDue).toBe(false);
    const count = runs().length;

    // An occurrence passes while the host is down.
    await untilOccurrenceAfter(stoppedAt);
    host = await start(azurite.connectionString);
    // Measured from when the host is ready, so a slow start on a busy machine does not count against the timer.
    const readyAt = Date.now();
    await vi.waitUntil(() => runs().length > count, { timeout: 10_000, interval: 50 });
    const after = runs()[count]!;
    expect(after.timer.isPastDue).toBe(true);
    // It runs right away, not at the next even second.
    expect(after.at - readyAt).toBeLessThan(1000);
    // `last` is the run before the restart: its occurrence, on an even second, just before it ran.
    const last = Date.parse(after.timer.scheduleStatus.last);
    expect(last % 2000).toBe(0);
    expect(before.at - last).toBeGreaterThanOrEqual(0);
    expect(before.at - last).toBeLessThan(1000);

    // The schedule goes on after the past-due run, not past due any more.
    await vi.waitUntil(() => runs().length > count + 1, { timeout: 10_000, interval: 50 });
    expect(runs()[count + 1]!.timer.isPastDue).toBe(false);
    expect(Date.parse(runs()[count + 1]!.timer.scheduleStatus.last)).toBeGreaterThan(last);
    await host.stop();
    host = undefined;
  });

  it('keeps status in memory without storage: a restarted host starts afresh', async () => {
    host = await start(undefined);
    await vi.waitUntil(() => runs().length >= 1, { timeout: 10_000, interval: 50 });
    const count = runs().length;
    await vi.waitUntil(() => runs().length > count, { timeout: 10_000, interval: 50 });
    await host.stop();
    host = undefined;
    const count2 = runs().length;
    // An occurrence passes while the host is down: with its status kept, the restarted host would run past due.
    await untilOccurrenceAfter(Date.now());
    host = await start(undefined);
    await vi.waitUntil(() => runs().length > count2, { timeout: 10_000, interval: 50 });
    expect(runs()[count2]!.timer.isPastDue).toBe(false);
    expect(runs()[count2]!.timer.scheduleStatus.last).toBe(NEVER);
  });
});

describe('local host: retry policies', () => {
  let host: RunningLocalHost;
  let log: string[];

  beforeAll(async () => {
    log = [];
    host = await startLocalHost({
      appDir: fixture('timer-retry-app'),
      settingsDir: false,
      port: 0,
      logger: (level, source, message) => log.push(`${level} ${source} ${message}`),
    });
    await vi.waitUntil(() => attemptsOf('fixedDelayTwice').length >= 3 && attemptsOf('backoffAlwaysFails').length >= 3, { timeout: 15_000, interval: 50 });
  });

  afterAll(async () => {
    await host?.stop();
  });

  it('retries a failed timer execution with a fixed delay, with retryContext on retries only, until it succeeds', async () => {
    const attempts = attemptsOf('fixedDelayTwice');
    expect(attempts[0]!.retryContext).toBeUndefined();
    expect(attempts.slice(1).map((a) => [a.retryContext?.retryCount, a.retryContext?.maxRetryCount])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(attempts[1]!.retryContext?.exception?.message).toBe('attempt failed');
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950);
    // It succeeded on the second retry: nothing more. The host decides on a retry as soon as an attempt ends and
    // announces it ("Retry n of m in d ms") before waiting, so the log after the success says no retry is coming.
    await vi.waitUntil(() => linesOf(log, 'fixedDelayTwice').some((line) => line.includes('Executed (Succeeded')), { timeout: 5000, interval: 20 });
    const lines = linesOf(log, 'fixedDelayTwice');
    expect(lines.filter((line) => line.includes(' Retry '))).toHaveLength(2);
    expect(lines.at(-1)).toContain('Executed (Succeeded');
    expect(attemptsOf('fixedDelayTwice')).toHaveLength(3);
  });

  it('backs off exponentially up to maximumInterval and gives up after maxRetryCount retries', async () => {
    // Gives up: the third failure is logged with no retry announced after it.
    await vi.waitUntil(() => linesOf(log, 'backoffAlwaysFails').filter((line) => line.includes('Executed (Failed')).length >= 3, { timeout: 10_000, interval: 20 });
    expect(linesOf(log, 'backoffAlwaysFails').at(-1)).toContain('Executed (Failed');
    const attempts = attemptsOf('backoffAlwaysFails');
    expect(attempts).toHaveLength(3);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    // minimumInterval 1 s doubled is 2 s, which is maximumInterval (1.5 s, which @azure/functions rounds to 2 s).
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1950);
    expect(log.filter((line) => line.startsWith('info Function.backoffAlwaysFails Retry'))).toHaveLength(2);
  });

  it('accepts retry on HTTP triggers and, as Azure does, does not retry them', async () => {
    const res = await fetch(`${host.apiUrl}/httpWithRetry`);
    expect(res.status).toBe(500);
    // The failure is logged before the 500 is sent, and a retry would be announced right after it (as for timers).
    expect(linesOf(log, 'httpWithRetry').filter((line) => line.includes('Executed (Failed'))).toHaveLength(1);
    expect(linesOf(log, 'httpWithRetry').filter((line) => line.includes(' Retry '))).toEqual([]);
    expect(attemptsOf('httpWithRetry')).toHaveLength(1);
    expect(attemptsOf('httpWithRetry')[0]!.retryContext).toBeUndefined();
  });
});
