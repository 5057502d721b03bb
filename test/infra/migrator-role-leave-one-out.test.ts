/**
 * The migrator's custom role (infra/roles/migrator-role.json) proven against the engine, action by action: the
 * compiled app on the local host migrates a small scope of the demo fleet on the ARM simulator in RBAC mode, holding
 * only that role at the apps' subscription and at the resource group of a VNet in another subscription. The scope is a stand-alone site (its routing needs a long-running site PUT, its
 * legacy settings an app settings PUT) and a site with a deployment slot, so slot actions count. With the whole role
 * the migration succeeds, and a rollback of two refused steps puts every app back and deletes the subnet it made,
 * with no 403 at all. With any one action removed, the run that needs it does not fully succeed, and every 403 in
 * the simulator's audit log names exactly the removed action. One simulator and one host serve every variant: the
 * world is reset (re-seeded) and the policy replaced between runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultPolicy } from '@vnet-migrator/arm-simulator/policy/faults.js';
import { createRbacPolicy } from '@vnet-migrator/arm-simulator/policy/rbac.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { allApps, startEngineWorld, waitForMigration, type AppStatusBody, type EngineWorld, type MigrationStatusBody } from '../e2e/engine-harness.js';
import { requireFreshBuild } from '../support/compiled.js';
import { migratorRbac, readMigratorRole, refusals, type Refusal } from './migrator-role.js';

const PROD = DEMO_SUBSCRIPTIONS.prod;
const SITES = `/subscriptions/${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/sites`;
const SLOTTED = `${SITES}/shop-web-we`;
const SLOT = `${SLOTTED}/slots/staging`;
const STANDALONE = `${SITES}/basket-api-we`;
const APPS = [SLOTTED, SLOT, STANDALONE];
/**
 * As a user would list them in main.bicep's parameters: the apps' subscription, and the resource group of a VNet in
 * another subscription (vnet-shared-we, peered with the apps' gateway VNet, which discovery reads by id).
 */
const SCOPES = [`/subscriptions/${PROD}`, `/subscriptions/${DEMO_SUBSCRIPTIONS.shared}/resourceGroups/rg-network-we`];

const role = readMigratorRole();
const allActions = role.actions.map((a) => a.action);
const provenBy = (proof: string): string[] => role.actions.filter((a) => a.proof === proof).map((a) => a.action);

interface Run {
  readonly final: MigrationStatusBody;
  readonly apps: AppStatusBody[];
  readonly refusals: Refusal[];
  /** Subnets the run left that the seeded world did not have. */
  readonly newSubnets: string[];
}

describe('the migrator role, one action at a time (RBAC mode, the engine end to end)', () => {
  let world: EngineWorld;

  const subnetIds = (): string[] => world.sim.store.ofType('Microsoft.Network/virtualNetworks/subnets').map((s) => s.id.toLowerCase());

  /**
   * A fresh demo world, the migrator holding exactly `actions`, one migration of APPS. With `refuse`, App Service
   * refuses once (permanent 400) the last step of the stand-alone site and of the slot, removing legacy settings
   * after their regional join and verification: the engine rolls both back (leaves the subnet, reconnects the
   * gateway, restores the settings and deletes the subnet it made), and the production site, whose slot did not
   * move, stays as it was.
   */
  const run = async (actions: readonly string[], refuse: boolean): Promise<Run> => {
    world.sim.reset();
    world.sim.setPolicies([createFaultPolicy({ store: world.sim.faults }), createRbacPolicy(migratorRbac(actions, SCOPES))]);
    if (refuse) {
      // The slot gets a legacy routing setting, so that it too has a step after its regional join: removing it.
      const settings = `${SLOT}/config/appsettings`;
      world.sim.seed([{ id: settings, body: { properties: { ...world.sim.store.get(settings)?.properties, WEBSITE_VNET_ROUTE_ALL: '1' } } }]);
      for (const app of ['basket-api-we', 'shop-web-we/slots/staging']) {
        world.sim.faults.add({ kind: 'permanent', method: 'PUT', pathPattern: `/sites/${app}/config/appsettings$`, count: 1, message: 'Refused once (simulated).' });
      }
    }
    const seeded = new Set(subnetIds());
    const response = await world.api<{ id: string }>('POST', '/migrations', {
      scope: { subscriptionIds: [PROD], appIds: APPS },
      verify: { healthPath: '/health', timeoutSeconds: 30 },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const final = await waitForMigration(world, response.body.id, ['Completed', 'Failed', 'Canceled', 'Paused'], 60_000);
    const apps = await allApps(world, response.body.id);
    return { final, apps, refusals: refusals(world.sim), newSubnets: subnetIds().filter((id) => !seeded.has(id)) };
  };

  const fullySucceeded = (r: Run): boolean => r.final.status === 'Completed' && r.apps.length === APPS.length && r.apps.every((a) => a.outcome === 'succeeded');
  /** Both refused apps rolled back cleanly, production left alone, and the subnet the migration made deleted. */
  const cleanlyRolledBack = (r: Run): boolean =>
    r.final.status === 'Completed' &&
    r.apps.filter((a) => a.outcome === 'rolledBack' && !a.needsAttention).length === 2 &&
    r.apps.some((a) => a.appId.toLowerCase() === SLOTTED.toLowerCase() && a.outcome === 'skipped') &&
    r.newSubnets.length === 0;
  const describeRun = (r: Run): string =>
    JSON.stringify({ status: r.final.status, error: r.final.error, apps: r.apps.map((a) => [a.appId.split('/sites/')[1], a.outcome, a.reasonCode, a.needsAttention, a.message]), refusals: r.refusals, newSubnets: r.newSubnets }, null, 1);

  /** At least one 403, and every 403 names the removed action (ARM's AuthorizationFailed, or the linked join). */
  const expectRefusedOnlyFor = (r: Run, removed: string): void => {
    expect(r.refusals.length, describeRun(r)).toBeGreaterThan(0);
    expect(new Set(r.refusals.map((x) => x.action.toLowerCase())), describeRun(r)).toEqual(new Set([removed.toLowerCase()]));
  };

  beforeAll(async () => {
    requireFreshBuild();
    world = await startEngineWorld();
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('names every action once, each with a reason, and proves all but three here', () => {
    expect(new Set(allActions.map((a) => a.toLowerCase())).size).toBe(allActions.length);
    for (const a of role.actions) {
      expect(a.action, a.action).toMatch(/^Microsoft\.(Web|Network)(\/[A-Za-z]+)+\/(read|write|delete|action)$/);
      expect(a.for.length, a.action).toBeGreaterThan(10);
    }
    // Kudu's data plane (the simulator's Kudu checks only that a token is sent) and the plans behind a service
    // association link App Service left behind (the worlds here never leave one): see the README's Deploy section.
    expect(role.actions.filter((a) => a.proof !== 'migration' && a.proof !== 'rollback').map((a) => a.action).sort()).toEqual([
      'Microsoft.Web/serverfarms/virtualNetworkConnections/read',
      'Microsoft.Web/sites/publish/action',
      'Microsoft.Web/sites/slots/publish/action',
    ]);
  });

  it('with the whole role every app moves, and nothing is refused', async () => {
    const r = await run(allActions, false);
    expect(fullySucceeded(r), describeRun(r)).toBe(true);
    expect(r.refusals).toEqual([]);
  }, 60_000);

  it('with the whole role two refused steps are rolled back cleanly, and nothing is refused', async () => {
    const r = await run(allActions, true);
    expect(cleanlyRolledBack(r), describeRun(r)).toBe(true);
    expect(r.refusals).toEqual([]);
  }, 60_000);

  it.each(provenBy('migration'))('without %s the migration does not fully succeed, refused for exactly that action', async (removed) => {
    const r = await run(allActions.filter((a) => a !== removed), false);
    expect(fullySucceeded(r), describeRun(r)).toBe(false);
    expectRefusedOnlyFor(r, removed);
  }, 60_000);

  it.each(provenBy('rollback'))('without %s a rollback does not complete, refused for exactly that action', async (removed) => {
    const r = await run(allActions.filter((a) => a !== removed), true);
    expect(cleanlyRolledBack(r), describeRun(r)).toBe(false);
    expectRefusedOnlyFor(r, removed);
  }, 60_000);
});
