/**
 * Smoke version of `BENCH_ONLY=scale npm run bench` (bench/scale.ts): a 16-app fleet over 2 subscriptions end to end
 * with continueAsNew after every plan group. It completes; status and a page of apps answer during and after; and the
 * fleet orchestration's history stays short because each generation starts afresh.
 */
import { describe, expect, it } from 'vitest';
import { runScale } from '../../bench/support/scale-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: status latency and whole-engine scale', () => {
  it('completes, answers status during and after, and keeps the fleet history bounded by continueAsNew', async () => {
    requireBuild();
    const r = await runScale({ apps: 16, subscriptions: 2, clockFactor: 100, maxParallel: 2, timeLimitMs: 120_000, afterSamples: 20, env: { MIGRATOR_GROUPS_PER_GENERATION: '1' } });
    console.log(JSON.stringify(r));
    expect(r.completed).toBe(true);
    expect(r.summary['succeeded']).toBe(r.planned);
    expect(r.statusDuring.samples).toBeGreaterThan(0);
    expect(r.statusAfter?.samples).toBe(20);
    expect(r.hostPeakRssMb).toBeGreaterThan(0);
    expect(r.history.rowsPerApp).toBeGreaterThan(0);
    const fleet = Object.entries(r.history.byOrchestration).find(([name]) => /fleet/i.test(name))?.[1];
    expect(fleet?.instances).toBe(1);
    // One group per generation: the fleet's current history holds at most a few dozen events, whatever the fleet size.
    expect(fleet?.maxHistory).toBeLessThan(100);
  }, 150_000);
});
