/**
 * The readiness report of a dry run: apps by reason code, subnets to create and why that size, estimated downtime
 * per app, the fleet's makespan under ARM's throttling limits, and the VPN gateways the move leaves unused.
 * Pure arithmetic over the plan and the discovery's facts; the figures and their sources are in
 * docs/readiness-report.md.
 */
import { buildGatewayReport, type GatewayFacts, type GatewayReport } from './gateway-report.js';
import type { EligibilityOutcome, EligibilityReason, MigrationStrategy } from './eligibility.js';
import type { MigrationPlan } from './plan-builder.js';
import { parseResourceId, resourceIdKey } from './resource-id.js';

/**
 * Seconds each step of one app's move is estimated to take. Downtime is disconnect + regional join + restart:
 * from the gateway connection's removal (App Service restarts the app) until the restarted app answers again.
 */
export interface StepSeconds {
  /** Snapshot: reads of the site, its connections and settings, and a health baseline. */
  readonly snapshot: number;
  /** PATCH of the site's routing properties before the move. */
  readonly routing: number;
  /** DELETE of the gateway connection (an ARM write, synchronous for App Service). */
  readonly disconnect: number;
  /** PATCH virtualNetworkSubnetId: the regional join, including the subnet's service association link. */
  readonly regionalJoin: number;
  /** The app's restart after its networking changed, until it answers its health path. */
  readonly restart: number;
  /** Verification after it answers: networking read back, dependency checks. */
  readonly verify: number;
  /** Removing the legacy routing settings (read, PUT, read back). */
  readonly cleanup: number;
  /** Creating a plan group's subnet (Microsoft.Network PUT, once per group that needs a new one). */
  readonly createSubnet: number;
}

export const DEFAULT_STEP_SECONDS: StepSeconds = {
  snapshot: 5,
  routing: 5,
  disconnect: 5,
  regionalJoin: 15,
  restart: 30,
  verify: 10,
  cleanup: 5,
  createSubnet: 10,
};

/** ARM's token buckets per subscription (and region), and Microsoft.Network's own window. */
export interface ArmLimits {
  readonly writeBurst: number;
  readonly writesPerSecond: number;
  readonly deleteBurst: number;
  readonly deletesPerSecond: number;
  /** Microsoft.Network: writes and deletes together per window. */
  readonly networkOpsPerWindow: number;
  readonly networkWindowSeconds: number;
}

export const ARM_LIMITS: ArmLimits = {
  writeBurst: 200,
  writesPerSecond: 10,
  deleteBurst: 200,
  deletesPerSecond: 10,
  networkOpsPerWindow: 1000,
  networkWindowSeconds: 300,
};

/**
 * ARM requests the engine sends per app on the happy path, counted from src/azure/app-networking and the
 * activities. ARM counts POST as a write, so every `config/appsettings/list` read is one.
 * writes: snapshot's settings list (1), routing PATCH (1), regional join PATCH (1), verification's settings list
 * (1), legacy settings list + PUT + read-back list (3). deletes: the gateway connection (1).
 */
export const ARM_OPS_PER_APP = { writes: 7, deletes: 1 } as const;
/** Microsoft.Network requests per plan group: the subnet PUT when the group needs a new subnet. */
export const NETWORK_WRITES_PER_NEW_SUBNET = 1;

export interface ReadinessInput {
  readonly plan: MigrationPlan;
  /** VPN gateways of the gateway VNets (discovery's `gateways`). */
  readonly gateways: readonly GatewayFacts[];
  /** Every app of the scope with its gateway VNets (inventory apps), moved or not. */
  readonly appGatewayVnets: readonly { readonly appId: string; readonly gatewayVnetIds: readonly string[] }[];
  /** Plan groups moving at the same time (the request's maxParallel). */
  readonly maxParallel: number;
  /** Apps of one plan group in flight at once (the request's maxParallelPerPlan); 1 when absent. */
  readonly maxParallelPerPlan?: number;
  readonly steps?: StepSeconds;
  readonly limits?: ArmLimits;
}

export interface ReasonGroup {
  readonly reason: EligibilityReason;
  readonly outcome: EligibilityOutcome;
  readonly count: number;
  readonly apps: readonly { readonly appId: string; readonly planId: string; readonly message: string }[];
}

export interface SubnetToCreate {
  readonly planId: string;
  readonly vnetId: string;
  readonly subnetId: string;
  readonly name: string;
  readonly addressPrefix: string | null;
  readonly prefixLength: number;
  readonly addressesNeeded: number;
  readonly action: 'create' | 'reuse';
  /** Why this size, then why this subnet. */
  readonly why: readonly string[];
  readonly apps: number;
}

export interface AppEstimate {
  readonly appId: string;
  readonly planId: string;
  readonly strategy: MigrationStrategy;
  readonly downtimeSeconds: number;
  /** Snapshot to cleanup: how long the app occupies its plan group. */
  readonly durationSeconds: number;
}

export interface SubscriptionThrottle {
  readonly subscriptionId: string;
  readonly apps: number;
  readonly writes: number;
  readonly deletes: number;
  readonly networkWrites: number;
  readonly writeSeconds: number;
  readonly deleteSeconds: number;
  readonly networkSeconds: number;
  readonly boundSeconds: number;
}

export interface Makespan {
  readonly maxParallel: number;
  readonly maxParallelPerPlan: number;
  readonly groups: number;
  /** Plan groups scheduled on maxParallel lanes in plan order, each group's apps pipelined (groupSeconds). */
  readonly scheduleSeconds: number;
  /** The slowest subscription's time to get its requests through ARM's buckets. */
  readonly throttleSeconds: number;
  readonly seconds: number;
  readonly boundBy: 'schedule' | 'arm-throttling';
  readonly perSubscription: readonly SubscriptionThrottle[];
}

export interface ReadinessReport {
  readonly summary: {
    readonly apps: number;
    readonly migrate: number;
    readonly skip: number;
    readonly blocked: number;
    readonly groups: number;
    readonly subnetsToCreate: number;
    readonly subnetsReused: number;
    readonly downtimeSecondsPerApp: number;
    readonly totalDowntimeSeconds: number;
    readonly makespanSeconds: number;
    readonly unusedGateways: number;
    readonly monthlySavingUsd: number;
  };
  readonly byReason: readonly ReasonGroup[];
  readonly subnets: readonly SubnetToCreate[];
  readonly apps: readonly AppEstimate[];
  readonly makespan: Makespan;
  readonly gateways: GatewayReport;
  readonly steps: StepSeconds;
  readonly limits: ArmLimits;
}

export function appDowntimeSeconds(steps: StepSeconds): number {
  return steps.disconnect + steps.regionalJoin + steps.restart;
}

export function appDurationSeconds(steps: StepSeconds): number {
  return steps.snapshot + steps.routing + appDowntimeSeconds(steps) + steps.verify + steps.cleanup;
}

/**
 * One plan group's apps with up to `perPlan` in flight and their moves (disconnect + join) one at a time, as the
 * engine runs them (src/orchestrations/app-pipeline.ts): a new app can start its move every `move` seconds while
 * the moves are the bottleneck, and every duration ÷ perPlan seconds while the apps in flight are; the last app
 * then takes its whole duration. One app at a time gives apps × duration.
 */
export function pipelinedAppsSeconds(apps: number, perPlan: number, steps: StepSeconds): number {
  if (!Number.isInteger(perPlan) || perPlan < 1) throw new RangeError(`maxParallelPerPlan must be a positive integer, got ${perPlan}`);
  if (apps === 0) return 0;
  const duration = appDurationSeconds(steps);
  return (apps - 1) * Math.max(steps.disconnect + steps.regionalJoin, duration / perPlan) + duration;
}

/** Seconds a token bucket (burst, refill per second) needs to let `requests` through, from full. */
export function bucketSeconds(requests: number, burst: number, perSecond: number): number {
  return requests <= burst ? 0 : (requests - burst) / perSecond;
}

/** Seconds a fixed window of `perWindow` requests needs for `requests`: full windows waited before the last one. */
export function windowSeconds(requests: number, perWindow: number, windowLength: number): number {
  return requests <= perWindow ? 0 : (Math.ceil(requests / perWindow) - 1) * windowLength;
}

/** List scheduling as the fleet runs it: the next group in plan order starts on the first lane to free up. */
export function scheduleSeconds(groupSeconds: readonly number[], lanes: number): number {
  if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`maxParallel must be a positive integer, got ${lanes}`);
  const ends = new Array<number>(Math.min(lanes, Math.max(groupSeconds.length, 1))).fill(0);
  for (const seconds of groupSeconds) {
    let earliest = 0;
    for (let i = 1; i < ends.length; i += 1) if ((ends[i] ?? 0) < (ends[earliest] ?? 0)) earliest = i;
    ends[earliest] = (ends[earliest] ?? 0) + seconds;
  }
  return Math.max(0, ...ends);
}

const REASON_ORDER: readonly EligibilityReason[] = [
  'eligible', 'slot-present', 'already-regional', 'no-gateway-integration', 'unsupported-sku', 'multiple-gateway-vnets',
  'cross-region-vnet', 'plan-subnet-limit', 'no-address-space',
];

export function buildReadinessReport(input: ReadinessInput): ReadinessReport {
  const steps = input.steps ?? DEFAULT_STEP_SECONDS;
  const limits = input.limits ?? ARM_LIMITS;
  const { plan } = input;

  const reasons = new Map<EligibilityReason, { outcome: EligibilityOutcome; apps: { appId: string; planId: string; message: string }[] }>();
  const add = (reason: EligibilityReason, outcome: EligibilityOutcome, app: { appId: string; planId: string; message: string }): void => {
    const entry = reasons.get(reason) ?? { outcome, apps: [] };
    entry.apps.push(app);
    reasons.set(reason, entry);
  };
  for (const group of plan.groups) {
    for (const app of group.apps) add(app.reason, 'migrate', { appId: app.appId, planId: group.planId, message: app.notes.join(' ') });
  }
  for (const app of plan.skipped) add(app.reason, app.outcome, { appId: app.appId, planId: app.planId, message: app.message });
  const byReason = REASON_ORDER.flatMap((reason): ReasonGroup[] => {
    const entry = reasons.get(reason);
    return entry === undefined ? [] : [{ reason, outcome: entry.outcome, count: entry.apps.length, apps: entry.apps }];
  });

  const subnets = plan.groups.flatMap((group) =>
    group.subnets.map(
      (s): SubnetToCreate => ({
        planId: group.planId,
        vnetId: s.vnetId,
        subnetId: s.subnetId,
        name: s.name,
        addressPrefix: s.addressPrefix,
        prefixLength: s.sizing.prefixLength,
        addressesNeeded: s.sizing.addressesNeeded,
        action: s.action,
        why: [...s.sizing.reasoning, s.reason],
        apps: group.apps.filter((a) => resourceIdKey(a.subnetId) === resourceIdKey(s.subnetId)).length,
      }),
    ),
  );

  const downtime = appDowntimeSeconds(steps);
  const duration = appDurationSeconds(steps);
  const apps = plan.groups.flatMap((group) =>
    group.apps.map((a): AppEstimate => ({ appId: a.appId, planId: group.planId, strategy: a.strategy, downtimeSeconds: downtime, durationSeconds: duration })),
  );
  const perPlan = input.maxParallelPerPlan ?? 1;
  const groupSeconds = plan.groups.map((g) => pipelinedAppsSeconds(g.apps.length, perPlan, steps) + g.subnets.filter((s) => s.action === 'create').length * steps.createSubnet);
  const schedule = scheduleSeconds(groupSeconds, input.maxParallel);

  const perSub = new Map<string, { subscriptionId: string; apps: number; networkWrites: number }>();
  const subOf = (id: string) => {
    const subscriptionId = parseResourceId(id).subscriptionId;
    const key = subscriptionId.toLowerCase();
    const entry = perSub.get(key) ?? { subscriptionId, apps: 0, networkWrites: 0 };
    perSub.set(key, entry);
    return entry;
  };
  for (const app of apps) subOf(app.appId).apps += 1;
  for (const subnet of subnets) if (subnet.action === 'create') subOf(subnet.vnetId).networkWrites += NETWORK_WRITES_PER_NEW_SUBNET;
  const perSubscription = [...perSub.values()]
    .map((s): SubscriptionThrottle => {
      const writes = s.apps * ARM_OPS_PER_APP.writes;
      const deletes = s.apps * ARM_OPS_PER_APP.deletes;
      const writeSeconds = bucketSeconds(writes, limits.writeBurst, limits.writesPerSecond);
      const deleteSeconds = bucketSeconds(deletes, limits.deleteBurst, limits.deletesPerSecond);
      const networkSeconds = windowSeconds(s.networkWrites, limits.networkOpsPerWindow, limits.networkWindowSeconds);
      return { ...s, writes, deletes, writeSeconds, deleteSeconds, networkSeconds, boundSeconds: Math.max(writeSeconds, deleteSeconds, networkSeconds) };
    })
    .sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId, 'en'));
  const throttle = Math.max(0, ...perSubscription.map((s) => s.boundSeconds));

  const migrating = new Set(apps.map((a) => resourceIdKey(a.appId)));
  const gateways = buildGatewayReport(
    input.gateways,
    input.appGatewayVnets.flatMap((a) => a.gatewayVnetIds.map((gatewayVnetId) => ({ appId: a.appId, gatewayVnetId, moved: migrating.has(resourceIdKey(a.appId)) }))),
  );

  return {
    summary: {
      apps: apps.length + plan.skipped.length,
      migrate: plan.summary.migrate,
      skip: plan.summary.skip,
      blocked: plan.summary.blocked,
      groups: plan.groups.length,
      subnetsToCreate: subnets.filter((s) => s.action === 'create').length,
      subnetsReused: subnets.filter((s) => s.action === 'reuse').length,
      downtimeSecondsPerApp: apps.length === 0 ? 0 : downtime,
      totalDowntimeSeconds: apps.length * downtime,
      makespanSeconds: Math.max(schedule, throttle),
      unusedGateways: gateways.unusedCount,
      monthlySavingUsd: gateways.estimatedMonthlySavingUsd,
    },
    byReason,
    subnets,
    apps,
    makespan: {
      maxParallel: input.maxParallel,
      maxParallelPerPlan: perPlan,
      groups: plan.groups.length,
      scheduleSeconds: schedule,
      throttleSeconds: throttle,
      seconds: Math.max(schedule, throttle),
      boundBy: throttle > schedule ? 'arm-throttling' : 'schedule',
      perSubscription,
    },
    gateways,
    steps,
    limits,
  };
}
