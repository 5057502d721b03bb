/**
 * Smoke version of `BENCH_ONLY=downtime npm run bench` (bench/downtime.ts): a 10-app fleet with the realistic timing,
 * engine and baseline script on identical fleets. Asserts the target's smoke equivalent: every planned app moves,
 * and p95 downtime (from the simulator's timelines) stays within 1.1 x the floor.
 */
import { describe, expect, it } from 'vitest';
import { runDowntime } from '../../bench/support/downtime-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: downtime per app', () => {
  it('moves every planned app with p95 downtime within 1.1 x the floor, next to the baseline script', async () => {
    requireBuild();
    const result = await runDowntime({ apps: 10, clockFactor: 100 });
    console.log(JSON.stringify(result));
    expect(result.engine.outcomes).toEqual({ succeeded: result.engine.apps, ...(result.engine.outcomes['skipped'] === undefined ? {} : { skipped: result.engine.outcomes['skipped'] }) });
    expect(result.engine.apps).toBeGreaterThan(5);
    expect(result.engine.p95Ratio).toBeLessThanOrEqual(1.1);
    expect(result.engine.p50Ms).toBeGreaterThanOrEqual(result.modelMinimumMs * 0.99);
    expect(result.baseline.apps).toBe(result.engine.apps);
    expect(result.baseline.failed).toBe(0);
  }, 180_000);
});
