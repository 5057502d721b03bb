import { describe, expect, it } from 'vitest';
import { createThrottlePolicy, NETWORK_REMAINING_HEADER } from '../../src/policy/throttle.js';
import { ManualClock } from '../../src/clock.js';
import type { PolicyVerdict } from '../../src/contract.js';
import { armRequest, siteId, SUB_A, SUB_B, subnetId } from './arm-request.js';

const read = (sub = SUB_A, principal = 'p1') => armRequest('GET', siteId(sub, 'app1'), { principalId: principal });
const subnetPut = (sub = SUB_A) => armRequest('PUT', subnetId(sub, 'vnet1', 'snet1'));

function exhaust(policy: ReturnType<typeof createThrottlePolicy>, make: () => ReturnType<typeof read>, n: number): PolicyVerdict[] {
  return Array.from({ length: n }, () => policy.evaluate(make()));
}

describe('ARM throttling', () => {
  it('allows the 250-read burst, counting the remaining header down, then answers 429 TooManyRequests', () => {
    const clock = new ManualClock();
    const policy = createThrottlePolicy({ clock });
    const verdicts = exhaust(policy, read, 250);
    expect(verdicts.every((v) => v.kind === 'pass')).toBe(true);
    expect(verdicts[0]).toEqual({ kind: 'pass', headers: { 'x-ms-ratelimit-remaining-subscription-reads': '249' } });
    expect(verdicts[249]).toEqual({ kind: 'pass', headers: { 'x-ms-ratelimit-remaining-subscription-reads': '0' } });
    const denied = policy.evaluate(read());
    expect(denied.kind).toBe('respond');
    if (denied.kind !== 'respond') return;
    expect(denied.status).toBe(429);
    expect(denied.headers?.['Retry-After']).toBe('1');
    expect(denied.body).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((denied.body as { error: { message: string } }).error.message).toContain(`subscription '${SUB_A}'`);
  });

  it('refills 25 reads per simulated second', () => {
    const clock = new ManualClock();
    const policy = createThrottlePolicy({ clock });
    exhaust(policy, read, 250);
    clock.advance(1000);
    const afterOneSecond = exhaust(policy, read, 26);
    expect(afterOneSecond.filter((v) => v.kind === 'pass')).toHaveLength(25);
    expect(afterOneSecond[25]?.kind).toBe('respond');
  });

  it('writes have a 200 burst refilled at 10 per second, deletes their own bucket', () => {
    const clock = new ManualClock();
    const policy = createThrottlePolicy({ clock });
    const put = () => armRequest('PUT', siteId(SUB_A, 'app1'));
    expect(exhaust(policy, put, 201).filter((v) => v.kind === 'pass')).toHaveLength(200);
    expect(policy.evaluate(armRequest('DELETE', siteId(SUB_A, 'app1'))).kind).toBe('pass');
    clock.advance(100);
    expect(policy.evaluate(put()).kind).toBe('pass');
    expect(policy.evaluate(put()).kind).toBe('respond');
  });

  it('Retry-After is the real seconds until a token is back, scaled by the clock factor and at least 1', () => {
    const slow = new ManualClock(0, 1);
    const policy = createThrottlePolicy({ clock: slow, limits: { read: { burst: 1, perSecond: 0.1 }, write: { burst: 1, perSecond: 1 }, delete: { burst: 1, perSecond: 1 }, networkWritesPerWindow: 10, networkWindowMs: 1000 } });
    policy.evaluate(read());
    slow.advance(2500); // 0.25 tokens back; 7.5 s of simulated time to go
    const v = policy.evaluate(read());
    expect(v.kind === 'respond' && v.headers?.['Retry-After']).toBe('8');

    const fast = new ManualClock(0, 60);
    const scaled = createThrottlePolicy({ clock: fast, limits: { read: { burst: 1, perSecond: 0.01 }, write: { burst: 1, perSecond: 1 }, delete: { burst: 1, perSecond: 1 }, networkWritesPerWindow: 10, networkWindowMs: 1000 } });
    scaled.evaluate(read());
    const w = scaled.evaluate(read()); // 100 simulated s = 1.67 real s at factor 60
    expect(w.kind === 'respond' && w.headers?.['Retry-After']).toBe('2');
  });

  it('keeps separate buckets per subscription and per principal', () => {
    const clock = new ManualClock();
    const policy = createThrottlePolicy({ clock });
    exhaust(policy, () => read(SUB_A, 'p1'), 250);
    expect(policy.evaluate(read(SUB_A, 'p1')).kind).toBe('respond');
    expect(policy.evaluate(read(SUB_B, 'p1')).kind).toBe('pass');
    expect(policy.evaluate(read(SUB_A, 'p2')).kind).toBe('pass');
  });

  it('limits Microsoft.Network writes+deletes to 1,000 per 5-minute window', () => {
    const clock = new ManualClock();
    const policy = createThrottlePolicy({ clock });
    let passed = 0;
    let last: PolicyVerdict | undefined;
    // 10 writes per simulated second never empties the write bucket, so only the Network window can stop them.
    for (let i = 0; i < 1001; i++) {
      last = policy.evaluate(i % 2 === 0 ? subnetPut() : armRequest('DELETE', subnetId(SUB_A, 'vnet1', `s${i}`)));
      if (last.kind === 'pass') passed++;
      clock.advance(100);
    }
    expect(passed).toBe(1000);
    expect(last?.kind).toBe('respond');
    if (last?.kind === 'respond') {
      // First write was at t=0, now is t=100,000 ms: 200 simulated seconds until it leaves the window.
      expect(last.headers?.['Retry-After']).toBe('200');
    }
    // Web writes are not counted against the Network budget.
    expect(policy.evaluate(armRequest('PUT', siteId(SUB_A, 'app1'))).kind).toBe('pass');
    clock.advance(200_000 - 100);
    const again = policy.evaluate(subnetPut());
    expect(again).toMatchObject({ kind: 'pass', headers: { [NETWORK_REMAINING_HEADER]: expect.stringMatching(/;0$/) as unknown } });
  });
});
