/**
 * The whole demo migration, end to end through the HTTP API, with the product holding nothing but its custom role
 * (infra/roles/migrator-role.json, as infra/main.bicep assigns it) on the ARM simulator in RBAC mode: every planned
 * app moves, and ARM refuses nothing. The role is assigned at the three demo subscriptions, the migration's scope;
 * apps there use VNets of the other subscriptions (hr-*-ne reach vnet-corp-we), so cross-subscription VNets count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SUBSCRIPTIONS, demoScenario } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { migratorRbac, readMigratorRole } from '../infra/migrator-role.js';
import { rawRequest } from '@vnet-migrator/arm-simulator/testing.js';
import { allApps, startEngineWorld, waitForMigration, type AppStatusBody, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);

describe('the demo fleet migrated with only the migrator role (RBAC mode)', () => {
  let world: EngineWorld;
  let startedAt: number;
  let final: MigrationStatusBody;
  let apps: AppStatusBody[];

  beforeAll(async () => {
    const actions = readMigratorRole().actions.map((a) => a.action);
    const rbac = migratorRbac(actions, SUBSCRIPTIONS.map((s) => `/subscriptions/${s}`));
    world = await startEngineWorld({ simulator: { scenario: { ...demoScenario(), rbac } } });
    startedAt = world.sim.clock.now();
    const response = await world.api<{ id: string }>('POST', '/migrations', {
      scope: { subscriptionIds: SUBSCRIPTIONS },
      maxParallel: 4,
      verify: { healthPath: '/health', timeoutSeconds: 60 },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    final = await waitForMigration(world, response.body.id, ['Completed', 'Failed', 'Canceled', 'Paused']);
    apps = await allApps(world, response.body.id);
  }, 300_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('completes with every planned app moved', () => {
    expect(final.status, JSON.stringify(final.error)).toBe('Completed');
    expect(final.plan?.migrate).toBeGreaterThan(40);
    const notDone = apps.filter((a) => a.outcome !== 'succeeded' && a.outcome !== 'skipped').map((a) => `${a.appId}: ${a.outcome} ${a.reasonCode} ${a.message}`);
    expect(notDone, notDone.join('\n')).toEqual([]);
    expect(apps.filter((a) => a.outcome === 'succeeded')).toHaveLength(final.plan?.migrate ?? -1);
    expect(final.summary).toMatchObject({ failed: 0, rolledBack: 0, pending: 0, inProgress: 0 });
  });

  it('was refused nothing: no 403 in the simulator audit log', () => {
    const mine = world.sim.audit.query({ principalId: 'migrator', since: startedAt });
    expect(mine.length).toBeGreaterThan(500);
    const refused = mine.filter((e) => e.status === 403 || e.errorCode === 'AuthorizationFailed' || e.errorCode === 'LinkedAuthorizationFailed');
    expect(refused.map((e) => `${e.method} ${e.path} ${e.errorCode ?? ''}`)).toEqual([]);
  });

  it('ran with RBAC enforced: a principal without an assignment is refused', async () => {
    const denied = await rawRequest(world.sim, 'GET', `/subscriptions/${DEMO_SUBSCRIPTIONS.prod}/providers/Microsoft.Web/sites?api-version=2025-05-01`);
    expect(denied.status).toBe(403);
    expect((denied.json() as { error: { code: string } }).error.code).toBe('AuthorizationFailed');
  });
});
