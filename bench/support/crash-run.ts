/**
 * Proof 6, crash: SIGKILL the local host at a random moment of a fleet migration, restart it, let it finish. Judged
 * over ARM and the simulator's audit log: apps per outcome, apps left with no integration at all, created subnets
 * with no app (orphaned) or two for one plan (duplicate), apps disconnected or joined more than once. Lease violations
 * (bench/support/lease-check.ts): right after the restart, if the first is still active, a second migration of the
 * same scope is asked for (it must be refused while the first holds the apps); afterwards no two writes to one app may overlap at ARM, no app this
 * migration did not hold may appear in its audit, a refused-but-started contender may have written nothing, and no
 * lease may be left once the migration finished.
 */
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { CHAOS_TIMING } from './faults-run.js';
import { subscriptionsOf, timedFleet } from './fleet.js';
import { openStateTables } from '../../src/state/state-tables.js';
import { appOfPath, concurrentWrites, migrationAudit } from './lease-check.js';
import { allApps, startMigration, startProofWorld, waitForMigration, type MigrationStatusBody } from './proof-world.js';

export interface CrashRunResult {
  /** Real ms from the POST to the SIGKILL. */
  readonly killAfterMs: number;
  readonly planned: number;
  readonly status: string;
  readonly outcomes: Record<string, number>;
  readonly withoutIntegration: number;
  readonly orphanedSubnets: number;
  readonly duplicateSubnets: number;
  readonly touchedTwice: string[];
  /** What POST /migrations answered for a second migration of the same scope right after the restart (409 expected); null when the first had already finished. */
  readonly contenderStatus: number | null;
  /** Overlapping writes to one app, apps touched by a migration not holding them, and contender writes. */
  readonly leaseViolations: string[];
  /** Leases still held by the migration after it finished. */
  readonly leasesLeft: number;
  /** The migration as it stood just before the SIGKILL: status and apps finished (succeeded, rolled back, failed). */
  readonly atKill: { readonly status: string; readonly appsDone: number };
  readonly wallSeconds: number;
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

/**
 * When to SIGKILL: `killAfterMs` after the POST, or once `killAtAppsDone` apps have finished (succeeded, rolled back
 * or failed; 0 = at once, during discovery or planning). The second lands mid-fleet however fast the machine is.
 */
export type KillMoment = { readonly killAfterMs: number } | { readonly killAtAppsDone: number };

function appsDone(status: MigrationStatusBody): number {
  return (status.summary?.['succeeded'] ?? 0) + (status.summary?.['rolledBack'] ?? 0) + (status.summary?.['failed'] ?? 0);
}

export async function runCrash(options: { apps: number; clockFactor: number; seed?: number } & KillMoment): Promise<CrashRunResult> {
  const scenario = timedFleet({ apps: options.apps, seed: options.seed ?? 1, timing: CHAOS_TIMING });
  const subscriptionIds = subscriptionsOf(scenario);
  const world = await startProofWorld({ simulator: { scenario, clockFactor: options.clockFactor, throttling: true }, env: { MIGRATOR_GROUPS_PER_GENERATION: '3' } });
  try {
    const started = performance.now();
    const since = world.sim.clock.now();
    const request = { scope: { subscriptionIds }, maxParallel: 4, failureThreshold: 10_000, verify: { healthPath: '/health', timeoutSeconds: 600 } };
    const id = await startMigration(world, request);
    let atKill: MigrationStatusBody;
    if ('killAfterMs' in options) {
      await new Promise((resolve) => setTimeout(resolve, options.killAfterMs));
      atKill = (await world.api<MigrationStatusBody>('GET', `/migrations/${id}`)).body;
    } else {
      for (;;) {
        atKill = (await world.api<MigrationStatusBody>('GET', `/migrations/${id}`)).body;
        if (appsDone(atKill) >= options.killAtAppsDone || !['Pending', 'Running'].includes(atKill.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const killedAt = performance.now();
    await world.kill();
    await world.restartHost();
    // Only while the first is still active must a second migration of the same scope be refused.
    const firstActive = ['Pending', 'Running', 'Paused'].includes((await world.api<{ status: string }>('GET', `/migrations/${id}`)).body.status);
    const contender = firstActive ? await world.api<{ id?: string }>('POST', '/migrations', request) : undefined;
    const contenderId = contender?.status === 202 ? contender.body.id : undefined;
    const final = await waitForMigration(world, id, ['Completed', 'Failed', 'Canceled'], 900_000);
    if (contenderId !== undefined) await waitForMigration(world, contenderId, ['Completed', 'Failed', 'Canceled'], 900_000);
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
    const tables = await openStateTables(world.azurite.connectionString);
    const held = new Set(records.filter((r) => r.outcome !== 'skipped').map((r) => r.appId.toLowerCase()));
    const leaseViolations = [
      ...concurrentWrites(audit, options.clockFactor),
      ...(await migrationAudit(tables, id)).filter((e) => appOfPath(e.appId) !== undefined && !held.has(e.appId.toLowerCase())).map((e) => `${e.appId}: ${e.action} by ${id}, which did not hold it`),
      ...(contenderId === undefined ? [] : (await migrationAudit(tables, contenderId)).filter((e) => e.outcome !== 'failed').map((e) => `${e.appId}: ${e.action} by the contender ${contenderId}`)),
    ];
    const leasesLeft = (await tables.leases.listAll()).filter((l) => l.migrationId === id).length;
    return {
      killAfterMs: Math.round(killedAt - started), planned: final.plan?.migrate ?? 0, status: final.status, outcomes,
      atKill: { status: atKill.status, appsDone: appsDone(atKill) },
      contenderStatus: contender?.status ?? null, leaseViolations, leasesLeft, wallSeconds: Math.round((performance.now() - started) / 100) / 10,
      withoutIntegration: state.sites.filter((s) => s.subnet === null && s.gateways === 0 && records.some((r) => r.appId.toLowerCase() === s.id.toLowerCase() && r.outcome !== 'skipped')).length,
      orphanedSubnets: orphaned, duplicateSubnets: duplicate, touchedTwice,
    };
  } finally {
    await world.stop();
  }
}
