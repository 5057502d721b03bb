/**
 * Proof 6, crash: SIGKILL the local host at a random moment of a fleet migration, restart it, let it finish. Judged
 * over ARM and the simulator's audit log: apps per outcome, apps left with no integration at all, created subnets
 * with no app (orphaned) or two for one plan (duplicate), apps disconnected or joined more than once.
 */
import type { SimulatorHandle } from '../../src/simulator/index.js';
import { CHAOS_TIMING } from './faults-run.js';
import { subscriptionsOf, timedFleet } from './fleet.js';
import { allApps, startMigration, startProofWorld, waitForMigration } from './proof-world.js';

export interface CrashRunResult {
  readonly killAfterMs: number;
  readonly planned: number;
  readonly status: string;
  readonly outcomes: Record<string, number>;
  readonly withoutIntegration: number;
  readonly orphanedSubnets: number;
  readonly duplicateSubnets: number;
  readonly touchedTwice: string[];
}

const EXISTING = new Set(['snet-data', 'snet-integration-existing', 'gatewaysubnet']);

function armState(sim: SimulatorHandle): { sites: { id: string; subnet: string | null; gateways: number; plan: string }[]; created: { id: string }[] } {
  const view = sim.worldView();
  const connections = new Map(Object.entries(view.vnetConnections ?? {}).map(([k, v]) => [k.toLowerCase(), v.length]));
  const sites = view.sites.map((s) => ({
    id: s.id,
    subnet: s.properties.virtualNetworkSubnetId === undefined || s.properties.virtualNetworkSubnetId === '' ? null : s.properties.virtualNetworkSubnetId,
    gateways: connections.get(s.id.toLowerCase()) ?? 0,
    plan: (s.properties.serverFarmId ?? '').toLowerCase(),
  }));
  const created = view.virtualNetworks.flatMap((v) => (v.properties.subnets ?? []).filter((n) => !EXISTING.has(n.name.toLowerCase())).map((n) => ({ id: `${v.id}/subnets/${n.name}` })));
  return { sites, created };
}

export async function runCrash(options: { apps: number; clockFactor: number; killAfterMs: number; seed?: number }): Promise<CrashRunResult> {
  const scenario = timedFleet({ apps: options.apps, seed: options.seed ?? 1, timing: CHAOS_TIMING });
  const subscriptionIds = subscriptionsOf(scenario);
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true }, env: { MIGRATOR_GROUPS_PER_GENERATION: '3' } });
  try {
    const since = world.sim.clock.now();
    const id = await startMigration(world, { scope: { subscriptionIds }, maxParallel: 4, failureThreshold: 10_000, verify: { healthPath: '/health', timeoutSeconds: 600 } });
    await new Promise((resolve) => setTimeout(resolve, options.killAfterMs));
    await world.kill();
    await world.restartHost();
    const final = await waitForMigration(world, id, ['Completed', 'Failed', 'Canceled'], 900_000);
    const records = await allApps(world, id);
    const outcomes: Record<string, number> = {};
    for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const state = armState(world.sim);
    const used = new Map<string, Set<string>>();
    for (const s of state.sites) if (s.subnet !== null) used.set(s.subnet.toLowerCase(), (used.get(s.subnet.toLowerCase()) ?? new Set()).add(s.plan));
    const orphaned = state.created.filter((c) => !used.has(c.id.toLowerCase())).length;
    const subnetsPerPlan = new Map<string, Set<string>>();
    for (const s of state.sites) if (s.subnet !== null) subnetsPerPlan.set(s.plan, (subnetsPerPlan.get(s.plan) ?? new Set()).add(s.subnet.toLowerCase()));
    const duplicate = [...subnetsPerPlan.values()].filter((set) => set.size > 1).length;
    const audit = world.sim.audit.query({ since });
    const ok = (e: { status: number; handlerStatus?: number }): boolean => (e.handlerStatus ?? e.status) >= 200 && (e.handlerStatus ?? e.status) < 300;
    const touchedTwice = records.filter((r) => r.outcome === 'succeeded').flatMap((r) => {
      const site = r.appId.toLowerCase();
      const disconnects = audit.filter((e) => ok(e) && e.method === 'DELETE' && e.path.toLowerCase().startsWith(`${site}/virtualnetworkconnections/`) && !e.path.slice(site.length + 27).includes('/')).length;
      return disconnects > 1 ? [`${r.appId}: ${disconnects} disconnects`] : [];
    });
    return {
      killAfterMs: options.killAfterMs, planned: final.plan?.migrate ?? 0, status: final.status, outcomes,
      withoutIntegration: state.sites.filter((s) => s.subnet === null && s.gateways === 0 && records.some((r) => r.appId.toLowerCase() === s.id.toLowerCase() && r.outcome !== 'skipped')).length,
      orphanedSubnets: orphaned, duplicateSubnets: duplicate, touchedTwice,
    };
  } finally {
    await world.stop();
  }
}
