/**
 * Plans the discovered fleet with the domain planner and lays the plan out in Table Storage: one record per app
 * (with its plan, or its skip reason), one header per plan group (its App Service plan and subnets). Then it takes
 * the per-app leases: an app another migration holds is skipped here, naming that migration, and never touched.
 * Idempotent: a migration that already has its plan answers it again.
 */
import type { FleetDiscovery } from '../azure/discovery/fleet-discovery.js';
import { adviseApp } from '../domain/migration-advice.js';
import type { MigrationSummary, StepResult } from '../domain/migration-model.js';
import type { MigrationRequest } from '../domain/migration-request.js';
import { buildMigrationPlan, type AppMigration, type MigrationPlan, type PlanGroup } from '../domain/plan-builder.js';
import { resourceIdKey } from '../domain/resource-id.js';
import type { MigrationRef, PlanSummary, SubnetToEnsure } from '../orchestrations/engine-contract.js';
import type { AppRecord } from '../state/app-record-store.js';
import { StateRecordNotFoundError } from '../state/state-errors.js';
import { DISCOVERY_DOCUMENT } from './discover-fleet.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

export const PLAN_GROUPS_DOCUMENT = 'plan-groups';
/** Skipped and blocked apps are stored after every real group. */
export const SKIPPED_GROUP_INDEX = 999_999;

export interface PlanGroupHeader {
  readonly planId: string;
  readonly location: string;
  readonly subnets: readonly SubnetToEnsure[];
  readonly appCount: number;
}

export function planFleet(deps: EngineDependencies) {
  return (input: MigrationRef): Promise<StepResult<PlanSummary>> =>
    runStep(async () => {
      const migration = await deps.state.migrations.get(input.migrationId);
      if (migration === undefined) throw new StateRecordNotFoundError(`Migration ${input.migrationId}`, { migrationId: input.migrationId });
      if (migration.plan !== undefined) {
        return { groupCount: migration.plan.groups, migrate: migration.plan.migrate, skip: migration.plan.skip, blocked: migration.plan.blocked };
      }
      const discovery = await deps.state.documents.get<FleetDiscovery>(DISCOVERY_DOCUMENT, input.migrationId);
      if (discovery === undefined) throw new StateRecordNotFoundError(`The discovery of migration ${input.migrationId}`, { migrationId: input.migrationId });
      const plan = buildMigrationPlan(discovery.inventory, { apiVersion: deps.webApiVersion });
      const records = appRecords(input.migrationId, plan, discovery, migration.request);
      const headers = plan.groups.map(headerOf);
      // The whole list for batch cutting (scheduled migrations); one row per group for the group that loads it.
      await deps.state.documents.put(PLAN_GROUPS_DOCUMENT, input.migrationId, headers);
      await deps.state.apps.putGroups(input.migrationId, headers);
      await deps.state.apps.putMany(records);

      const planned = records.filter((r) => r.outcome === 'pending').map((r) => r.appId);
      const leases = await deps.state.leases.acquire(input.migrationId, planned, async (other) => {
        const holder = await deps.state.migrations.get(other);
        return holder !== undefined && ['Pending', 'Running', 'Paused'].includes(holder.status);
      });
      for (const held of leases.heldBy) {
        await deps.state.apps.update(input.migrationId, held.appId, () => ({
          outcome: 'skipped',
          phase: 'done',
          reasonCode: 'held-by-another-migration',
          message: `Migration ${held.migrationId} is moving this app; it was not touched. Start it again once that migration has finished.`,
        }));
      }
      const skippedCount = plan.skipped.length + leases.heldBy.length;
      const summary: MigrationSummary = { total: records.length, succeeded: 0, rolledBack: 0, failed: 0, skipped: skippedCount, pending: records.length - skippedCount, inProgress: 0 };
      const result: PlanSummary = { groupCount: plan.groups.length, migrate: plan.summary.migrate, skip: plan.summary.skip, blocked: plan.summary.blocked };
      await deps.state.migrations.update(input.migrationId, () => ({
        summary,
        plan: { groups: result.groupCount, migrate: result.migrate, skip: result.skip, blocked: result.blocked },
      }));
      return result;
    });
}

function headerOf(group: PlanGroup): PlanGroupHeader {
  const subnets = group.apps
    .flatMap((a) => a.steps)
    .flatMap((s) => (s.kind === 'ensure-subnet' ? [{ action: s.action, subnetId: s.subnetId, addressPrefix: s.addressPrefix }] : []));
  return { planId: group.planId, location: group.location, subnets, appCount: group.apps.length };
}

function appRecords(migrationId: string, plan: MigrationPlan, discovery: FleetDiscovery, request: MigrationRequest): AppRecord[] {
  const hosts = new Map(discovery.apps.map((a) => [resourceIdKey(a.appId), a]));
  const vnets = new Map(discovery.inventory.virtualNetworks.map((v) => [resourceIdKey(v.id), v]));
  const subnets = new Map(discovery.inventory.virtualNetworks.flatMap((v) => v.subnets.map((s) => [resourceIdKey(s.id), s] as const)));
  const nsgs = new Map(discovery.inventory.networkSecurityGroups.map((n) => [resourceIdKey(n.id), n]));
  const appsById = new Map(discovery.inventory.apps.map((a) => [resourceIdKey(a.id), a]));
  const plansById = new Map(discovery.inventory.plans.map((p) => [resourceIdKey(p.id), p]));
  const hostFacts = (appId: string): Pick<AppRecord, 'hostName' | 'scmHostName'> => {
    const found = hosts.get(resourceIdKey(appId));
    return found === undefined ? {} : { hostName: found.hostName, scmHostName: found.scmHostName };
  };
  const adviceFor = (app: AppMigration): string[] => {
    const inventoryApp = appsById.get(resourceIdKey(app.appId));
    const planRoutes = plansById.get(resourceIdKey(inventoryApp?.planId ?? ''))?.vnetRoutes.filter((r) => resourceIdKey(r.vnetId) === resourceIdKey(app.gatewayVnetId)).flatMap((r) => r.routes) ?? [];
    const nsgId = subnets.get(resourceIdKey(app.subnetId))?.networkSecurityGroupId ?? null;
    return adviseApp({
      gatewayVnetId: app.gatewayVnetId,
      gatewayVnetAddressPrefixes: vnets.get(resourceIdKey(app.gatewayVnetId))?.addressPrefixes ?? [],
      targetVnetId: app.targetVnetId,
      gatewayRoutes: [...(inventoryApp?.gatewayConnections.flatMap((c) => c.routes) ?? []), ...planRoutes],
      peerings: discovery.peerings,
      targetSubnetRules: nsgId === null ? [] : (nsgs.get(resourceIdKey(nsgId))?.rules ?? []),
      dependencies: request.verify.dependencies,
      hasSlots: (inventoryApp?.slots.length ?? 0) > 0,
    });
  };

  const records: AppRecord[] = [];
  plan.groups.forEach((group, groupIndex) => {
    group.apps.forEach((app, order) => {
      const planned: AppMigration = request.strategy === 'direct' ? { ...app, strategy: 'direct', dependsOn: [] } : app;
      records.push({
        migrationId,
        appId: app.appId,
        planId: group.planId,
        groupIndex,
        order,
        phase: 'planned',
        outcome: 'pending',
        subnetId: app.subnetId,
        plan: planned,
        advice: [...app.notes, ...app.routing.warnings, ...adviceFor(app)],
        ...hostFacts(app.appId),
      });
    });
  });
  plan.skipped.forEach((skipped, order) => {
    records.push({
      migrationId,
      appId: skipped.appId,
      planId: skipped.planId,
      groupIndex: SKIPPED_GROUP_INDEX,
      order,
      phase: 'done',
      outcome: 'skipped',
      reasonCode: skipped.reason,
      message: skipped.message,
      ...hostFacts(skipped.appId),
    });
  });
  return records;
}
