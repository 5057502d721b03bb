/**
 * The readiness report's time for one plan group, as the engine moves it (src/orchestrations/app-pipeline.ts): up to
 * maxParallelPerPlan apps in flight, their moves (disconnect + join) one at a time.
 */
import { describe, expect, it } from 'vitest';
import { appDurationSeconds, DEFAULT_STEP_SECONDS, pipelinedAppsSeconds } from '../../src/domain/readiness-report.js';

describe('a plan group pipelined', () => {
  const steps = DEFAULT_STEP_SECONDS; // app 75 s, move (disconnect 5 + join 15) 20 s
  it('one app at a time takes the sum of the apps', () => {
    expect(appDurationSeconds(steps)).toBe(75);
    expect(pipelinedAppsSeconds(8, 1, steps)).toBe(600);
    expect(pipelinedAppsSeconds(1, 4, steps)).toBe(75);
    expect(pipelinedAppsSeconds(0, 4, steps)).toBe(0);
  });
  it('several at once start one every duration ÷ perPlan seconds while the apps in flight are the bottleneck', () => {
    // 75 / 3 = 25 s > the 20 s move.
    expect(pipelinedAppsSeconds(8, 3, steps)).toBe(7 * 25 + 75);
  });
  it('once the moves are the bottleneck, one starts every move (disconnect + join), however many may be in flight', () => {
    expect(pipelinedAppsSeconds(8, 4, steps)).toBe(7 * 20 + 75);
    expect(pipelinedAppsSeconds(8, 50, steps)).toBe(7 * 20 + 75);
  });
  it('refuses a perPlan that is not a positive whole number', () => {
    expect(() => pipelinedAppsSeconds(3, 0, steps)).toThrow('maxParallelPerPlan must be a positive integer, got 0');
    expect(() => pipelinedAppsSeconds(3, 1.5, steps)).toThrow(RangeError);
  });
});
