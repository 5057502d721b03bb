/**
 * Acceptance of the migration engine on the demo fleet, end to end: the real orchestrations on the local host,
 * started and watched through the HTTP API, against the ARM simulator. Judged on what ARM and the simulator's
 * own records say, not on what the engine reports about itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffNetworkState, readAppNetworkState } from '../../src/azure/app-networking/index.js';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { parseCidr } from '../../src/domain/cidr.js';
import type { AppNetworkSnapshot } from '../../src/domain/migration-model.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { rawRequest, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { allApps, startEngineWorld, waitForMigration, type AppStatusBody, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);
const CLOCK_FACTOR = 300;

describe('migrating the demo fleet through the HTTP API', () => {
  let world: EngineWorld;
  let clientsFor: (subscriptionId: string) => ArmClients;
  const before = new Map<string, AppNetworkSnapshot>();
  let startedAt: number;
  let final: MigrationStatusBody;
  let apps: AppStatusBody[];

  beforeAll(async () => {
    world = await startEngineWorld();
    const cache = new Map<string, ArmClients>();
    clientsFor = (sub) => {
      let c = cache.get(sub);
      if (c === undefined) cache.set(sub, (c = createArmClients(staticCredential('test-reader'), sub, { endpoint: world.sim.url, caPem: world.sim.caPem })));
      return c;
    };
    // Every app's state as it was, read over ARM before anything starts; the dry run lists the apps and changes nothing.
    const dryRun = await world.api<{ plan: { groups: { apps: { appId: string }[] }[]; skipped: { appId: string }[] } }>('POST', '/migrations', {
      scope: { subscriptionIds: SUBSCRIPTIONS },
      dryRun: true,
    });
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    const ids = [...dryRun.body.plan.groups.flatMap((g) => g.apps.map((a) => a.appId)), ...dryRun.body.plan.skipped.map((s) => s.appId)];
    for (const id of ids) before.set(id.toLowerCase(), await readAppNetworkState(id, { clientsFor }));
    startedAt = world.sim.clock.now();
    const response = await world.api<{ id: string; statusUri: string }>('POST', '/migrations', {
      scope: { subscriptionIds: SUBSCRIPTIONS },
      maxParallel: 4,
      verify: { healthPath: '/health', timeoutSeconds: 60 },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.headers.get('location')).toBe(response.body.statusUri);
    final = await waitForMigration(world, response.body.id, ['Completed', 'Failed', 'Canceled']);
    apps = await allApps(world, response.body.id);
    expect(apps).toHaveLength(before.size);
  }, 300_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('completes with every planned app regionally integrated and verified', () => {
    expect(final.status, JSON.stringify(final.error)).toBe('Completed');
    expect(final.plan?.migrate).toBeGreaterThan(40);
    const migrated = apps.filter((a) => a.outcome === 'succeeded');
    const notDone = apps.filter((a) => a.outcome !== 'succeeded' && a.outcome !== 'skipped').map((a) => `${a.appId}: ${a.outcome} ${a.reasonCode} ${a.message}`);
    expect(notDone, notDone.join('\n')).toEqual([]);
    expect(migrated).toHaveLength(final.plan?.migrate ?? -1);
    expect(final.summary).toMatchObject({ succeeded: migrated.length, pending: 0, inProgress: 0, failed: 0, rolledBack: 0 });
  });

  it('keeps every skipped or blocked app with its reason code', () => {
    const skipped = apps.filter((a) => a.outcome === 'skipped');
    expect(skipped.length).toBe((final.plan?.skip ?? 0) + (final.plan?.blocked ?? 0));
    for (const app of skipped) expect(app.reasonCode, app.appId).toMatch(/^[a-z-]+$/);
  });

  it('leaves every migrated app on its planned subnet with no gateway connection, and answering 200', async () => {
    for (const app of apps.filter((a) => a.outcome === 'succeeded')) {
      const now = await readAppNetworkState(app.appId, { clientsFor });
      expect(now.virtualNetworkSubnetId?.toLowerCase(), app.appId).toBe(app.subnetId?.toLowerCase());
      expect(now.gatewayConnections, app.appId).toEqual([]);
      expect(app.downtimeSeconds, app.appId).toBeGreaterThan(0);
    }
  });

  it('creates no overlapping subnets', async () => {
    for (const sub of SUBSCRIPTIONS) {
      for await (const vnet of clientsFor(sub).network.virtualNetworks.listAll()) {
        const prefixes = (vnet.subnets ?? []).map((s) => ({ name: s.name, cidr: parseCidr(s.addressPrefix ?? '') }));
        for (const [i, a] of prefixes.entries()) {
          for (const b of prefixes.slice(i + 1)) {
            const aEnd = a.cidr.network + 2 ** (32 - a.cidr.prefixLength);
            const bEnd = b.cidr.network + 2 ** (32 - b.cidr.prefixLength);
            expect(a.cidr.network < bEnd && b.cidr.network < aEnd, `${vnet.name}: ${a.name} overlaps ${b.name}`).toBe(false);
          }
        }
      }
    }
  });

  it('never gives an app both forms of integration, nor neither for longer than its downtime window (simulator audit log)', async () => {
    const audit = (await rawRequest(world.sim, 'GET', `/_simulator/audit?since=${startedAt}&limit=100000`)).json() as { value: { time: number; method: string; path: string; status: number; errorCode?: string }[] };
    expect(audit.value.filter((e) => e.errorCode === 'MultipleVnetIntegrationNotAllowed')).toEqual([]);
    for (const app of apps.filter((a) => a.outcome === 'succeeded')) {
      const site = app.appId.toLowerCase();
      const mine = audit.value.filter((e) => e.path.toLowerCase().startsWith(site) && e.status < 300);
      // Exact paths: a site's prefix also starts its slots' paths.
      const disconnect = mine.find((e) => e.method === 'DELETE' && e.path.toLowerCase().startsWith(`${site}/virtualnetworkconnections/`) && !e.path.slice(site.length + 27).includes('/'));
      const join = mine.find((e) => e.method === 'PATCH' && e.path.toLowerCase() === site);
      expect(disconnect, `${app.appId}: no gateway DELETE in the audit log`).toBeDefined();
      expect(join, `${app.appId}: no regional join in the audit log`).toBeDefined();
      const withoutAnyMs = ((join?.time ?? 0) - (disconnect?.time ?? 0)) / CLOCK_FACTOR;
      expect(withoutAnyMs).toBeGreaterThanOrEqual(0);
      expect(withoutAnyMs / 1000, app.appId).toBeLessThanOrEqual((app.downtimeSeconds ?? 0) + 0.5);
    }
  });

  it('leaves skipped apps exactly as they were', async () => {
    for (const app of apps.filter((a) => a.outcome === 'skipped')) {
      const now = await readAppNetworkState(app.appId, { clientsFor });
      const was = before.get(app.appId.toLowerCase());
      expect(was, app.appId).toBeDefined();
      if (was !== undefined) expect(diffNetworkState(was, now), app.appId).toEqual([]);
    }
  });

  it('reports the VPN gateways no migrated app needs any more', () => {
    expect(final.gatewayReport).not.toBeNull();
    expect(final.gatewayReport?.gateways.length).toBeGreaterThan(0);
  });
});
