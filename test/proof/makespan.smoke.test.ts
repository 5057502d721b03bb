/**
 * Smoke version of `BENCH_ONLY=makespan npm run bench` (bench/makespan.ts): a 30-app fleet in one subscription with
 * throttling on. Every planned app must move; the ARM budget is counted per bucket; and no run can beat the bound
 * computed from its own requests, so a makespan below it would mean the bound or the counting is wrong.
 */
import { describe, expect, it } from 'vitest';
import { bucketBoundMs } from '../../bench/support/arm-budget.js';
import { runMakespan } from '../../bench/support/makespan-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: fleet makespan under ARM throttling', () => {
  it('bounds follow ARM limits: (operations − burst) ÷ refill, whole 5-minute windows for Microsoft.Network', () => {
    expect(bucketBoundMs('read', 250)).toBe(0);
    expect(bucketBoundMs('read', 450)).toBe(8_000);
    expect(bucketBoundMs('write', 300)).toBe(10_000);
    expect(bucketBoundMs('delete', 210)).toBe(1_000);
    expect(bucketBoundMs('network', 1_000)).toBe(0);
    expect(bucketBoundMs('network', 1_001)).toBe(300_000);
  });

  it('moves every planned app and takes no less than the ARM bound of its own requests', async () => {
    requireBuild();
    const r = await runMakespan({ apps: 30, subscriptions: 1, clockFactor: 10, maxParallel: 10 });
    console.log(JSON.stringify({ ...r, byTenth: undefined }));
    expect(r.status).toBe('Completed');
    expect(r.outcomes['succeeded']).toBe(r.planned);
    expect(r.budget.passed.delete).toBe(r.planned);
    expect(r.budget.passed.read).toBeGreaterThan(r.planned);
    expect(r.beforeFirstDisconnect.delete).toBe(0);
    expect(r.budget.bound.boundMs).toBeGreaterThan(0);
    expect(r.ratio).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
