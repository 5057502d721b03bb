/**
 * Smoke version of `BENCH_ONLY=discovery npm run bench` (bench/discovery.ts): discovery of a 100-app fleet over 10
 * subscriptions with throttling on. Every app is found, and the engine's own count of its ARM calls
 * (`discovered.stats` of the dry run) equals what the simulator received: reads as reads, the app-settings POSTs in
 * the write bucket, nothing deleted.
 */
import { describe, expect, it } from 'vitest';
import { runDiscovery } from '../../bench/support/discovery-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: discovery', () => {
  it('finds every app, and the engine counts its ARM calls as ARM receives them', async () => {
    requireBuild();
    const r = await runDiscovery({ apps: 100, subscriptions: 10, clockFactor: 10 });
    console.log(JSON.stringify(r));
    expect(r.discoveredApps).toBeGreaterThanOrEqual(100);
    expect(r.planned).toBeGreaterThan(50);
    expect(r.engineCount.armReads).toBe(r.budget.passed.read);
    expect(r.engineCount.armPosts).toBe(r.budget.passed.write);
    expect(r.budget.passed.delete).toBe(0);
    expect(r.timeMs).toBeGreaterThanOrEqual(r.readBoundMs);
    expect(r.hostPeakRssMb).toBeGreaterThan(0);
  }, 120_000);
});
