import { describe, expect, it } from 'vitest';
import type { SimClock } from '../src/contract.js';
import { createSimClock } from '../src/clock.js';
import { OperationTracker } from '../src/operations.js';

function manualClock(): SimClock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { factor: 1, now: () => now, sleep: () => Promise.resolve(), advance: (ms) => { now += ms; } };
}

describe('long-running operations on the simulated clock', () => {
  it('stay InProgress until due, then apply their outcome exactly once', () => {
    const clock = manualClock();
    const tracker = new OperationTracker(clock);
    let applied = 0;
    const op = tracker.start({ provider: 'Microsoft.Network', location: 'West Europe', subscriptionId: 's', resourceKey: '/v/subnets/a', durationMs: 2000, complete: () => { applied++; } });
    expect(op.location).toBe('westeurope');
    clock.advance(1999);
    expect(tracker.get(op.id)?.status).toBe('InProgress');
    expect(tracker.remainingMs(op)).toBe(1);
    expect(tracker.runningOn('/v')).toBe(op);
    clock.advance(1);
    expect(tracker.get(op.id)?.status).toBe('Succeeded');
    tracker.settleDue();
    expect(applied).toBe(1);
    expect(tracker.runningOn('/v/subnets/a')).toBeUndefined();
  });

  it('report Failed with the error code when applying the outcome throws', () => {
    const clock = manualClock();
    const tracker = new OperationTracker(clock);
    const op = tracker.start({ provider: 'Microsoft.Web', location: 'x', subscriptionId: 's', resourceKey: 'k', durationMs: 0, complete: () => { throw Object.assign(new Error('boom'), { code: 'Conflict' }); } });
    expect(tracker.get(op.id)).toMatchObject({ status: 'Failed', error: { code: 'Conflict', message: 'boom' } });
  });

  it('the scaled clock runs factor times faster than real time', async () => {
    const clock = createSimClock(100);
    const start = clock.now();
    await clock.sleep(5000);
    expect(clock.now() - start).toBeGreaterThanOrEqual(4900);
    expect(() => createSimClock(0)).toThrow(RangeError);
  });
});
