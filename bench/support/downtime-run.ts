/**
 * Proof 1, downtime per app: the engine migrates a generated fleet with realistic ARM timing on a sped-up clock; the
 * baseline script (baseline-script.ts) migrates an identical fleet on a simulator of its own. Both are judged on the
 * simulator's timelines (exact unreachable simulated ms per app), not on what either reports about itself.
 */
import { startSimulator, type SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { runBaselineScript, type BaselineApp } from './baseline-script.js';
import { floorMs, modelMinimumMs, percentile, REALISTIC_TIMING, subscriptionsOf, timedFleet, type FleetTiming } from './fleet.js';
import { allApps, SIMULATOR_CERTS, startMigration, startProofWorld, waitForMigration } from './proof-world.js';

export interface DowntimeOptions {
  readonly apps: number;
  readonly seed?: number;
  readonly clockFactor: number;
  readonly maxParallel?: number;
  readonly timing?: FleetTiming;
  readonly throttling?: boolean;
}

export interface DowntimeStats {
  readonly apps: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** p50/p95/max ÷ the floor (disconnect + join + restart). */
  readonly p50Ratio: number;
  readonly p95Ratio: number;
  readonly maxRatio: number;
  /** Simulated ms from the first request to the end. */
  readonly makespanMs: number;
}

export interface DowntimeResult {
  readonly fleetApps: number;
  readonly clockFactor: number;
  readonly timing: FleetTiming;
  readonly floorMs: number;
  readonly modelMinimumMs: number;
  readonly engine: DowntimeStats & { readonly outcomes: Record<string, number>; readonly reportedDowntimeP95Ms: number };
  readonly baseline: DowntimeStats & { readonly failed: number; readonly armCalls: number };
}

interface DryRunPlan {
  plan: {
    groups: {
      subnets: { subnetId: string; addressPrefix: string | null; action: string }[];
      apps: { appId: string; gatewayVnetId: string; subnetId: string; routing: { siteProperties: Record<string, unknown> } }[];
    }[];
  };
}

function routeAllOf(siteProperties: Record<string, unknown>): boolean {
  const outbound = siteProperties['outboundVnetRouting'];
  if (typeof outbound === 'object' && outbound !== null) return (outbound as Record<string, unknown>)['applicationTraffic'] === true;
  return siteProperties['vnetRouteAllEnabled'] === true;
}

function downtimes(sim: SimulatorHandle, appIds: readonly string[], from: number, to: number): number[] {
  const known = new Map(sim.appWorld.apps().map(({ appId }) => [appId.toLowerCase(), appId]));
  return appIds.map((id) => {
    const key = known.get(id.toLowerCase());
    if (key === undefined) throw new Error(`the simulator has no timeline for ${id}`);
    return sim.appWorld.timeline.downtime(key, { from, to });
  });
}

function stats(values: readonly number[], floor: number, makespanMs: number): DowntimeStats {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  const max = values.length === 0 ? Number.NaN : Math.max(...values);
  return { apps: values.length, p50Ms: p50, p95Ms: p95, maxMs: max, p50Ratio: p50 / floor, p95Ratio: p95 / floor, maxRatio: max / floor, makespanMs };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDowntime(options: DowntimeOptions): Promise<DowntimeResult> {
  const timing = options.timing ?? REALISTIC_TIMING;
  const scenario = timedFleet({ apps: options.apps, seed: options.seed ?? 1, timing });
  const subscriptionIds = subscriptionsOf(scenario);
  const floor = floorMs(timing);
  const simulator = { scenario, clockFactor: options.clockFactor, throttling: options.throttling ?? true };

  // The engine, end to end through its HTTP API.
  const world = await startProofWorld({ simulator });
  let baselineApps: BaselineApp[];
  let engine: DowntimeResult['engine'];
  try {
    const dry = await world.api<DryRunPlan>('POST', '/migrations', { scope: { subscriptionIds }, dryRun: true });
    if (dry.status !== 200) throw new Error(`dry run answered ${dry.status}: ${JSON.stringify(dry.body)}`);
    baselineApps = dry.body.plan.groups.flatMap((group) => group.apps.map((app) => ({
      appId: app.appId,
      gatewayVnetId: app.gatewayVnetId,
      subnetId: app.subnetId,
      addressPrefix: group.subnets.find((s) => s.subnetId.toLowerCase() === app.subnetId.toLowerCase())?.addressPrefix ?? null,
      routeAll: routeAllOf(app.routing.siteProperties),
    })));
    const from = world.sim.clock.now();
    const id = await startMigration(world, { scope: { subscriptionIds }, maxParallel: options.maxParallel ?? 8, failureThreshold: 10_000, verify: { healthPath: '/health', timeoutSeconds: 3600 } });
    await waitForMigration(world, id);
    const to = world.sim.clock.now();
    const records = await allApps(world, id);
    const outcomes: Record<string, number> = {};
    for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const moved = records.filter((r) => r.outcome === 'succeeded');
    const reported = moved.map((r) => (r.downtimeSeconds ?? 0) * 1000 * options.clockFactor);
    engine = { ...stats(downtimes(world.sim, moved.map((r) => r.appId), from, to), floor, to - from), outcomes, reportedDowntimeP95Ms: percentile(reported, 95) };
  } finally {
    await world.stop();
  }

  // The baseline script on an identical fleet, its own simulator, same clock and timing.
  const sim = await startSimulator({ port: 0, dataDir: SIMULATOR_CERTS, pageSize: 100, ...simulator });
  try {
    const from = sim.clock.now();
    const run = await runBaselineScript(sim.url, sim.caPem, baselineApps);
    const end = sim.clock.now();
    // The last apps' restarts outlast the script; wait them out so their downtime is complete.
    await sleep(timing.restartMs / options.clockFactor + 200);
    const values = downtimes(sim, run.succeeded, from, sim.clock.now());
    return {
      fleetApps: options.apps,
      clockFactor: options.clockFactor,
      timing,
      floorMs: floor,
      modelMinimumMs: modelMinimumMs(timing),
      engine,
      baseline: { ...stats(values, floor, end - from), failed: run.failed.length, armCalls: run.armCalls },
    };
  } finally {
    await sim.stop();
  }
}
