/**
 * Proofs 4 and 5, status latency and whole-engine scale (docs/benchmarks.md, "Status latency" and "Whole-engine
 * scale"): BENCH_ONLY=scale npm run bench. A 9,700-app generated fleet (9,973 apps with slots: the engine refuses
 * an inventory of more than 10,000 apps, and fleet-10000 holds 10,279) over 10 subscriptions, throttling on, clock
 * x100, migrated end to end; status and a page of apps timed during and after. Knobs: BENCH_SCALE_APPS (9700),
 * BENCH_SCALE_SUBSCRIPTIONS (10), BENCH_SCALE_CLOCK (100), BENCH_SCALE_PARALLEL (100), BENCH_SCALE_MINUTES (120: wall
 * time after which the run stops and reports how far it got). Target: status p95 < 100 ms.
 */
import { runScale, type LatencyStats } from './support/scale-run.js';
import { envInt, printSummary, printTable } from './support/report.js';

const row = (what: string, s: LatencyStats | null): (string | number)[] => (s === null ? [what, '-', '-', '-', '-'] : [what, s.samples, s.p50Ms, s.p95Ms, s.maxMs]);

export async function run(): Promise<void> {
  const r = await runScale({
    apps: envInt('BENCH_SCALE_APPS', 9_700),
    subscriptions: envInt('BENCH_SCALE_SUBSCRIPTIONS', 10),
    clockFactor: envInt('BENCH_SCALE_CLOCK', 100),
    maxParallel: envInt('BENCH_SCALE_PARALLEL', 100),
    timeLimitMs: envInt('BENCH_SCALE_MINUTES', 120) * 60_000,
  });
  console.log(`fleet-${r.apps} over ${r.subscriptions} subscriptions, clock x${r.clockFactor}, maxParallel ${r.maxParallel}: ${r.completed ? 'completed' : 'NOT completed within the time limit'} (${r.status}) ${JSON.stringify(r.summary)} of ${r.planned} planned; ${r.wallSeconds} s wall, ${r.simulatedSeconds} s simulated, ${r.appsPerMinute} apps/min; host peak RSS ${r.hostPeakRssMb} MB (end ${r.hostRssEndMb} MB), host CPU ${r.hostCpuSeconds} s (waited ${r.hostCpuWaitSeconds} s for a CPU)`);
  printTable('Status latency (wall ms, one request at a time)', ['request', 'samples', 'p50 ms', 'p95 ms', 'max ms'], [
    row('GET /migrations/{id}, during', r.statusDuring), row('GET /migrations/{id}/apps?top=100, during', r.appsPageDuring),
    row('GET /migrations/{id}, after', r.statusAfter), row('GET /migrations/{id}/apps?top=100, after', r.appsPageAfter),
  ]);
  printTable(`Durable history: ${r.history.instances} instances, ${r.history.historyRows} history rows, ${r.history.rowsPerApp} per planned app`, ['orchestration', 'instances', 'longest history (events)', 'mean history'],
    Object.entries(r.history.byOrchestration).map(([name, h]) => [name, h.instances, h.maxHistory, h.meanHistory]));
  printSummary('scale', r);
}
