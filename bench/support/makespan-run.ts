/**
 * Proof 2, fleet makespan under ARM throttling: a generated fleet (by default all of it in one subscription, so one
 * set of ARM buckets carries every request) migrated through the HTTP API with throttling on and a sped-up clock.
 * The makespan (simulated ms from the POST to the migration's end) is set against the least time ARM's buckets allow
 * for the requests the engine actually sent (arm-budget.ts): the larger of each bucket's (operations − burst) ÷ refill.
 */
import { budgetOverTime, budgetReport, firstPassed, passedBefore, countArmBudget, type Bucket, type BudgetReport } from './arm-budget.js';
import { subscriptionsOf, timedFleet, type FleetTiming } from './fleet.js';
import { cpuSeconds, cpuWaitSeconds, megabytes, peakRssBytes } from './process-memory.js';
import { allApps, startMigration, startProofWorld, waitForMigration } from './proof-world.js';

/** Short steps, so ARM's limits rather than the apps' restarts decide how long a fleet takes. */
export const THROTTLED_TIMING: FleetTiming = { disconnectMs: 2_000, joinMs: 4_000, restartMs: 6_000, subnetLroMs: 5_000, otherMs: { min: 50, max: 200 } };

export interface MakespanOptions {
  readonly apps: number;
  readonly subscriptions?: number;
  readonly clockFactor: number;
  readonly maxParallel: number;
  /** Apps of one plan in flight at once (the request's maxParallelPerPlan); the service's default when absent. */
  readonly maxParallelPerPlan?: number;
  readonly timing?: FleetTiming;
  readonly timeoutMs?: number;
}

export interface MakespanResult {
  readonly apps: number;
  readonly subscriptions: number;
  readonly clockFactor: number;
  readonly maxParallel: number;
  readonly maxParallelPerPlan?: number;
  readonly planned: number;
  readonly status: string;
  readonly outcomes: Record<string, number>;
  /** Simulated ms from the POST to the migration's end. */
  readonly makespanMs: number;
  readonly wallSeconds: number;
  readonly budget: BudgetReport;
  /** makespan ÷ the binding bucket's bound. */
  readonly ratio: number;
  /** Simulated ms from the POST to the first gateway disconnect (the first DELETE). */
  readonly firstDisconnectMs: number | null;
  /** Requests per bucket that passed before the first disconnect: discovery, planning, snapshots. */
  readonly beforeFirstDisconnect: Record<Bucket, number>;
  /** Requests per bucket in each tenth of the makespan. */
  readonly byTenth: Record<Bucket, number[]>;
  readonly hostPeakRssMb: number;
  /** CPU seconds the host used over the run (2 cores: at most 2 per wall second). */
  readonly hostCpuSeconds: number;
  /** Seconds the host's main thread was ready to run but waited for a CPU (others' load on the shared machine). */
  readonly hostCpuWaitSeconds: number;
}

export async function runMakespan(options: MakespanOptions): Promise<MakespanResult> {
  const subscriptions = options.subscriptions ?? 1;
  const scenario = timedFleet({ apps: options.apps, subscriptions, timing: options.timing ?? THROTTLED_TIMING });
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true } });
  try {
    const budget = countArmBudget(world.sim);
    const pid = world.host.process.pid ?? 0;
    const cpuStart = cpuSeconds(pid) ?? Number.NaN;
    const waitStart = cpuWaitSeconds(pid) ?? Number.NaN;
    const wallStart = performance.now();
    const from = world.sim.clock.now();
    const id = await startMigration(world, {
      scope: { subscriptionIds: subscriptionsOf(scenario) },
      maxParallel: options.maxParallel,
      ...(options.maxParallelPerPlan === undefined ? {} : { maxParallelPerPlan: options.maxParallelPerPlan }),
      failureThreshold: 10_000,
      verify: { healthPath: '/health', timeoutSeconds: 3600 },
    });
    const final = await waitForMigration(world, id, undefined, options.timeoutMs ?? 3_600_000);
    const to = world.sim.clock.now();
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const hostCpuSeconds = Math.round((cpuSeconds(pid) ?? Number.NaN) - cpuStart);
    const records = await allApps(world, id);
    const outcomes: Record<string, number> = {};
    for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const report = budgetReport(budget);
    const firstDelete = firstPassed(budget, 'delete');
    return {
      apps: options.apps,
      subscriptions,
      clockFactor: options.clockFactor,
      maxParallel: options.maxParallel,
      ...(options.maxParallelPerPlan === undefined ? {} : { maxParallelPerPlan: options.maxParallelPerPlan }),
      planned: final.plan?.migrate ?? 0,
      status: final.status,
      outcomes,
      makespanMs: to - from,
      wallSeconds: Math.round(wallSeconds),
      budget: { ...report, bounds: report.bounds.slice(0, 6) },
      ratio: report.bound.boundMs === 0 ? Number.POSITIVE_INFINITY : (to - from) / report.bound.boundMs,
      firstDisconnectMs: firstDelete === undefined ? null : firstDelete - from,
      beforeFirstDisconnect: passedBefore(budget, firstDelete ?? to),
      byTenth: budgetOverTime(budget, from, to, 10),
      hostPeakRssMb: megabytes(peakRssBytes(pid)),
      hostCpuSeconds,
      hostCpuWaitSeconds: Math.round((cpuWaitSeconds(pid) ?? Number.NaN) - waitStart),
    };
  } finally {
    await world.stop();
  }
}
