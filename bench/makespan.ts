/**
 * Proof 2, fleet makespan under ARM throttling (docs/benchmarks.md, "Fleet makespan"): BENCH_ONLY=makespan npm run
 * bench. Knobs: BENCH_MAKESPAN_APPS (1000), BENCH_MAKESPAN_SUBSCRIPTIONS (1), BENCH_MAKESPAN_CLOCK (10),
 * BENCH_MAKESPAN_PARALLEL (100),
 * BENCH_MAKESPAN_PER_PLAN (8: every app of a generated plan at once). Target: makespan ≤ 1.2 × the ARM bound.
 */
import { runMakespan } from './support/makespan-run.js';
import { envInt, printSummary, printTable, simSeconds } from './support/report.js';

export async function run(): Promise<void> {
  const r = await runMakespan({
    apps: envInt('BENCH_MAKESPAN_APPS', 1000),
    subscriptions: envInt('BENCH_MAKESPAN_SUBSCRIPTIONS', 1),
    clockFactor: envInt('BENCH_MAKESPAN_CLOCK', 10),
    maxParallel: envInt('BENCH_MAKESPAN_PARALLEL', 100),
    maxParallelPerPlan: envInt('BENCH_MAKESPAN_PER_PLAN', 8),
  });
  console.log(`fleet-${r.apps} over ${r.subscriptions} subscription(s), clock x${r.clockFactor}, maxParallel ${r.maxParallel}, ${r.maxParallelPerPlan ?? 'default'} per plan: ${r.status}, ${JSON.stringify(r.outcomes)}, ${r.wallSeconds} s wall, host peak RSS ${r.hostPeakRssMb} MB, host CPU ${r.hostCpuSeconds} s (waited ${r.hostCpuWaitSeconds} s for a CPU)`);
  printTable('ARM requests (passed = took a token; throttled = answered 429)', ['bucket', 'passed', 'throttled', 'before 1st disconnect', 'per tenth of the makespan'],
    (['read', 'write', 'delete', 'network'] as const).map((b) => [b, r.budget.passed[b], r.budget.throttled[b], r.beforeFirstDisconnect[b], r.byTenth[b].join(' ')]));
  printTable('Makespan against the ARM bound (simulated seconds)', ['makespan s', 'binding bucket', 'its operations', 'bound s', 'makespan / bound', 'first disconnect s'],
    [[simSeconds(r.makespanMs), r.budget.bound.bucket, r.budget.bound.operations, simSeconds(r.budget.bound.boundMs), r.ratio, r.firstDisconnectMs === null ? '-' : simSeconds(r.firstDisconnectMs)]]);
  printSummary('makespan', r);
  if (r.status !== 'Completed' || (r.outcomes['succeeded'] ?? 0) !== r.planned) throw new Error(`the fleet did not fully succeed: ${r.status} ${JSON.stringify(r.outcomes)}`);
}
