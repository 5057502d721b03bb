import { afterEach, describe, expect, it } from 'vitest';
import { DurableTimers } from '../../src/durable/durable-timers.js';
import { EngineClock } from '../../src/durable/engine-clock.js';
import type { HistoryEvent } from '../../src/durable/history.js';
import type { InboxMessage } from '../../src/durable/table-store.js';

/**
 * Durable timers on the real clock never fire before FireAt: whenever a firing is delivered, the engine clock has
 * reached it, and the TimerFired event says so. On the virtual clock the engine may jump straight to the next one.
 * Each test waits for the delivery itself, not for a fixed time.
 */

interface Delivery {
  readonly instanceId: string;
  readonly atMs: number;
  readonly event: HistoryEvent;
}

const armed: DurableTimers[] = [];
afterEach(() => {
  for (const timers of armed.splice(0)) timers.cancelAll();
});

function timersOn(clock: EngineClock): { timers: DurableTimers; deliveries: Delivery[]; next: () => Promise<Delivery> } {
  const deliveries: Delivery[] = [];
  const waiting: ((d: Delivery) => void)[] = [];
  const timers = new DurableTimers({
    clock,
    isStopping: () => false,
    deliver: (instanceId: string, message: InboxMessage) => {
      const delivery = { instanceId, atMs: clock.nowMs(), event: (message as { event: HistoryEvent }).event };
      deliveries.push(delivery);
      waiting.shift()?.(delivery);
    },
  });
  armed.push(timers);
  let seen = 0;
  const next = (): Promise<Delivery> => {
    const index = seen++;
    const ready = deliveries[index];
    return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { timers, deliveries, next };
}

describe('durable timers on the real clock', () => {
  it.each([1, 25, 120])('a timer %i ms ahead fires at or after its FireAt, never before', async (aheadMs) => {
    const clock = new EngineClock('real');
    const { timers, next } = timersOn(clock);
    const fireAtMs = clock.nowMs() + aheadMs;
    timers.arm('i1', 'e1', 7, fireAtMs);
    const fired = await next();
    expect(fired.atMs).toBeGreaterThanOrEqual(fireAtMs);
    expect(fired.event).toMatchObject({ TimerId: 7, FireAt: new Date(fireAtMs).toISOString() });
    expect(Date.parse(String(fired.event.Timestamp))).toBeGreaterThanOrEqual(fireAtMs);
    expect(timers.size).toBe(0);
  });

  it('fires timers in FireAt order whatever the order they were armed in, each once', async () => {
    const clock = new EngineClock('real');
    const { timers, next, deliveries } = timersOn(clock);
    const now = clock.nowMs();
    timers.arm('late', 'e', 1, now + 60);
    timers.arm('early', 'e', 2, now + 20);
    timers.arm('early', 'e', 2, now + 20);
    const first = await next();
    const second = await next();
    expect([first.instanceId, second.instanceId]).toEqual(['early', 'late']);
    expect(second.atMs).toBeGreaterThanOrEqual(now + 60);
    expect(deliveries).toHaveLength(2);
  });

  it('a timer already due fires at once', async () => {
    const clock = new EngineClock('real');
    const { timers, next } = timersOn(clock);
    const fireAtMs = clock.nowMs() - 1000;
    timers.arm('i1', 'e1', 1, fireAtMs);
    const fired = await next();
    expect(fired.event.FireAt).toBe(new Date(fireAtMs).toISOString());
    // Recorded when it fired (later than FireAt), not back-dated to FireAt.
    expect(Date.parse(String(fired.event.Timestamp))).toBeGreaterThanOrEqual(fireAtMs + 1000);
    expect(Date.parse(String(fired.event.Timestamp))).toBeLessThanOrEqual(fired.atMs);
  });
});

describe('durable timers on the virtual clock', () => {
  it('skipping ahead moves the clock to the earliest FireAt and fires only what is due by then', async () => {
    const clock = new EngineClock('virtual');
    const { timers, next, deliveries } = timersOn(clock);
    const now = clock.nowMs();
    timers.arm('a', 'e', 1, now + 3_600_000);
    timers.arm('b', 'e', 2, now + 7_200_000);
    timers.skipToNext();
    const fired = await next();
    expect(fired.instanceId).toBe('a');
    expect(fired.atMs).toBeGreaterThanOrEqual(now + 3_600_000);
    expect(clock.nowMs()).toBeLessThan(now + 7_200_000);
    expect(deliveries).toHaveLength(1);
    expect(timers.size).toBe(1);
  });

  it('cancelling an instance drops its timers only', () => {
    const clock = new EngineClock('virtual');
    const { timers } = timersOn(clock);
    const now = clock.nowMs();
    timers.arm('a', 'e', 1, now + 1_000_000);
    timers.arm('b', 'e', 1, now + 1_000_000);
    timers.cancelInstance('a');
    expect(timers.size).toBe(1);
  });
});
