/**
 * Proof 1, downtime per app (docs/benchmarks.md, "Downtime per app"): BENCH_ONLY=downtime npm run bench. A 100-app
 * generated fleet with realistic ARM timing on a clock sped up 50 times; the engine through its HTTP API, then the
 * baseline script on an identical fleet. Unreachable time per app from the simulator's timelines, in simulated ms,
 * divided by the floor. Knobs: BENCH_DOWNTIME_APPS (100), BENCH_DOWNTIME_CLOCK (50), BENCH_DOWNTIME_PARALLEL (8).
 */
import { runDowntime } from './support/downtime-run.js';
import { envInt, printSummary, printTable, simSeconds } from './support/report.js';

export async function run(): Promise<void> {
  const apps = envInt('BENCH_DOWNTIME_APPS', 100);
  const clockFactor = envInt('BENCH_DOWNTIME_CLOCK', 50);
  const maxParallel = envInt('BENCH_DOWNTIME_PARALLEL', 8);
  const r = await runDowntime({ apps, clockFactor, maxParallel });
  const t = r.timing;
  console.log(`fleet-${apps} (seed 1), clock x${clockFactor}, maxParallel ${maxParallel}; disconnect ${simSeconds(t.disconnectMs)} s + join ${simSeconds(t.joinMs)} s + restart ${simSeconds(t.restartMs)} s = floor ${simSeconds(r.floorMs)} s; model minimum ${simSeconds(r.modelMinimumMs)} s`);
  printTable('Downtime per app (simulated seconds; ratio = downtime / floor)', ['who', 'apps', 'p50 s', 'p95 s', 'max s', 'p50/floor', 'p95/floor', 'max/floor', 'makespan s'], [
    ['engine', r.engine.apps, simSeconds(r.engine.p50Ms), simSeconds(r.engine.p95Ms), simSeconds(r.engine.maxMs), r.engine.p50Ratio, r.engine.p95Ratio, r.engine.maxRatio, simSeconds(r.engine.makespanMs)],
    ['baseline script', r.baseline.apps, simSeconds(r.baseline.p50Ms), simSeconds(r.baseline.p95Ms), simSeconds(r.baseline.maxMs), r.baseline.p50Ratio, r.baseline.p95Ratio, r.baseline.maxRatio, simSeconds(r.baseline.makespanMs)],
  ]);
  console.log(`engine outcomes ${JSON.stringify(r.engine.outcomes)}; engine-reported downtime p95 ${simSeconds(r.engine.reportedDowntimeP95Ms)} s; baseline failures ${r.baseline.failed}, ARM calls ${r.baseline.armCalls}`);
  printSummary('downtime', r);
  if (r.engine.apps === 0 || r.baseline.failed > 0) throw new Error('the downtime bench moved no app, or the baseline script failed');
}
