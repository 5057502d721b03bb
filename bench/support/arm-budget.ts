/**
 * ARM's throttling budget as the proof suites judge it (docs/benchmarks.md, "Fleet makespan" and "Discovery"). Two
 * counting policies wrap the simulator's own pipeline: the first sees every ARM request (attempts), the last only
 * those every policy let through, i.e. those that took a token from their bucket. Counts are kept per subscription
 * (ARM's buckets are per subscription and principal; the suites run one principal) and per bucket, with the simulated
 * time of each request, so a run can be set against the least time ARM's limits allow for the same requests.
 *
 * The engine counts its own ARM calls only in discovery (`discovered.stats` of a dry run); the moves are counted here,
 * on the simulator, which sees exactly the requests the engine's SDK clients send (retries included).
 */
import type { ArmRequestInfo, RequestPolicy } from '@vnet-migrator/arm-simulator/contract.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createFaultPolicy } from '@vnet-migrator/arm-simulator/policy/faults.js';
import { ARM_THROTTLE_LIMITS, createThrottlePolicy, type ThrottleLimits } from '@vnet-migrator/arm-simulator/policy/throttle.js';

export type Bucket = 'read' | 'write' | 'delete' | 'network';
export const BUCKETS: readonly Bucket[] = ['read', 'write', 'delete', 'network'];

/** Simulated epoch ms of each counted request, per subscription and bucket. */
type Times = Map<string, Record<Bucket, number[]>>;

function bucketsOf(request: ArmRequestInfo): Bucket[] {
  const kinds: Bucket[] = [request.operationKind];
  if (request.operationKind !== 'read' && request.provider?.toLowerCase() === 'microsoft.network') kinds.push('network');
  return kinds;
}

function recorder(times: Times, now: () => number): RequestPolicy {
  return {
    evaluate(request) {
      if (request.subscriptionId === undefined) return { kind: 'pass' };
      const sub = request.subscriptionId.toLowerCase();
      let perBucket = times.get(sub);
      if (perBucket === undefined) {
        perBucket = { read: [], write: [], delete: [], network: [] };
        times.set(sub, perBucket);
      }
      const at = now();
      for (const bucket of bucketsOf(request)) perBucket[bucket].push(at);
      return { kind: 'pass' };
    },
  };
}

export interface ArmBudget {
  /** Requests that passed every policy (took a token), per subscription and bucket. */
  readonly passed: Times;
  /** Every ARM request the simulator received, answered or throttled. */
  readonly attempted: Times;
  /** Forget what was counted so far (e.g. after seeding or a warm-up). */
  clear(): void;
}

/**
 * Replaces the simulator's policies with [attempts counter, faults, throttling, passed counter]: the same verdicts as
 * the default pipeline (no RBAC), with fresh buckets.
 */
export function countArmBudget(sim: SimulatorHandle, limits: ThrottleLimits = ARM_THROTTLE_LIMITS): ArmBudget {
  const passed: Times = new Map();
  const attempted: Times = new Map();
  const now = (): number => sim.clock.now();
  sim.setPolicies([recorder(attempted, now), createFaultPolicy({ store: sim.faults }), createThrottlePolicy({ clock: sim.clock, limits }), recorder(passed, now)]);
  return { passed, attempted, clear: () => { passed.clear(); attempted.clear(); } };
}

export interface BucketBound {
  readonly bucket: Bucket;
  readonly subscription: string;
  /** Requests counted against it. */
  readonly operations: number;
  /** Least simulated ms ARM's limits allow for them, starting from a full bucket. */
  readonly boundMs: number;
}

/** (operations − burst) ÷ refill for the token buckets; whole windows for Network's 1,000 per 5 minutes. */
export function bucketBoundMs(bucket: Bucket, operations: number, limits: ThrottleLimits = ARM_THROTTLE_LIMITS): number {
  if (bucket === 'network') return Math.max(0, Math.floor((operations - 1) / limits.networkWritesPerWindow)) * limits.networkWindowMs;
  const limit = limits[bucket];
  return (Math.max(0, operations - limit.burst) / limit.perSecond) * 1000;
}

export interface BudgetReport {
  /** Totals over every subscription. */
  readonly passed: Record<Bucket, number>;
  /** Requests answered 429 by throttling (attempts that did not pass; no other policy refuses in these runs). */
  readonly throttled: Record<Bucket, number>;
  /** The binding bucket: the largest bound over every subscription and bucket. */
  readonly bound: BucketBound;
  /** Every subscription's bound per bucket, largest first. */
  readonly bounds: BucketBound[];
}

const zero = (): Record<Bucket, number> => ({ read: 0, write: 0, delete: 0, network: 0 });

export function budgetReport(budget: ArmBudget, limits: ThrottleLimits = ARM_THROTTLE_LIMITS): BudgetReport {
  const passed = zero();
  const throttled = zero();
  const bounds: BucketBound[] = [];
  for (const [subscription, perBucket] of budget.passed) {
    for (const bucket of BUCKETS) {
      const operations = perBucket[bucket].length;
      passed[bucket] += operations;
      bounds.push({ bucket, subscription, operations, boundMs: bucketBoundMs(bucket, operations, limits) });
    }
  }
  for (const [subscription, perBucket] of budget.attempted) {
    for (const bucket of BUCKETS) throttled[bucket] += perBucket[bucket].length - (budget.passed.get(subscription)?.[bucket].length ?? 0);
  }
  bounds.sort((a, b) => b.boundMs - a.boundMs || b.operations - a.operations);
  const bound = bounds[0] ?? { bucket: 'read', subscription: '-', operations: 0, boundMs: 0 };
  return { passed, throttled, bound, bounds };
}

/** How many requests of each bucket passed in each of `slices` equal slices of [from, to] (simulated ms). */
export function budgetOverTime(budget: ArmBudget, from: number, to: number, slices: number): Record<Bucket, number[]> {
  const out: Record<Bucket, number[]> = { read: [], write: [], delete: [], network: [] };
  for (const bucket of BUCKETS) out[bucket] = Array.from({ length: slices }, () => 0);
  const width = Math.max(1, (to - from) / slices);
  for (const perBucket of budget.passed.values()) {
    for (const bucket of BUCKETS) {
      for (const at of perBucket[bucket]) {
        const slice = Math.min(slices - 1, Math.max(0, Math.floor((at - from) / width)));
        out[bucket][slice] = (out[bucket][slice] ?? 0) + 1;
      }
    }
  }
  return out;
}

/** Requests of each bucket that passed before `at` (simulated ms), e.g. the first disconnect. */
export function passedBefore(budget: ArmBudget, at: number): Record<Bucket, number> {
  const out = zero();
  for (const perBucket of budget.passed.values()) for (const bucket of BUCKETS) out[bucket] += perBucket[bucket].filter((t) => t < at).length;
  return out;
}

/** Simulated ms of the first request that passed in a bucket, or undefined. */
export function firstPassed(budget: ArmBudget, bucket: Bucket): number | undefined {
  let first: number | undefined;
  for (const perBucket of budget.passed.values()) for (const at of perBucket[bucket]) if (first === undefined || at < first) first = at;
  return first;
}
