/**
 * One demo app moved from gateway-based to regional integration with the product's operations, then rolled back
 * to its snapshot, all against the ARM simulator with the real SDK clients. Every operation runs twice in a row:
 * the second must find the work done (applied: false). The probes watch the app as its users would.
 *
 * Each test starts from the demo world as seeded (the simulator is reset before each) and builds what it needs:
 * the rollback and the refusal start from the moved app, put in that state with the SDK alone (movedBySdk), so a
 * test runs by itself and in any order, as Stryker runs it (docs/mutation.md).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyRouting,
  connectRegional,
  deleteSubnetIfUnused,
  diffNetworkState,
  disconnectGateway,
  disconnectRegional,
  ensureSubnet,
  readAppNetworkState,
  reconnectGateway,
  removeLegacySettings,
  restoreLegacySettings,
  restoreRouting,
  type ChangeRecord,
} from '../../../src/azure/app-networking/index.js';
import { kuduNameResolve, kuduTcpping, probeHealth } from '../../../src/azure/app-probes/index.js';
import type { AppNetworkSnapshot } from '../../../src/domain/migration-model.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createDelegatedSubnet, operationOptions, passSimulated, probeOptions, setupClients, siteId, startDemoSimulator, thrown, VNET_APPS_WE } from './support.js';

/** basket-api-we: gateway-based on vnet-apps-we, WEBSITE_VNET_ROUTE_ALL=1 and WEBSITE_CONTENTOVERVNET=1, plus APP_ENV and DB_HOST. */
const APP = siteId('basket-api-we');
const HOST = 'basket-api-we.azurewebsites.net';
const SCM = 'basket-api-we.scm.azurewebsites.net';
const SUBNET = `${VNET_APPS_WE}/subnets/snet-migrator-test`;
const SQL = 'sql-apps-we.internal.contoso.example';
/** Values of settings other than the legacy three: they must never leave the operations. */
const OTHER_VALUES = ['production', SQL];

/** The legacy settings basket-api-we has before the move. */
const LEGACY = { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' } as const;
const GATEWAY = { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE } as const;

/**
 * basket-api-we as the move leaves it, reached with the SDK alone: the subnet created, application routing on, the gateway connection gone, joined to the subnet, the legacy settings removed.
 */
async function movedBySdk(sim: SimulatorHandle): Promise<void> {
  const { web } = setupClients(sim);
  await createDelegatedSubnet(sim, 'snet-migrator-test', '10.10.2.0/26');
  await web.webApps.updateConfiguration('rg-web-we', 'basket-api-we', { vnetRouteAllEnabled: true });
  await web.webApps.deleteVnetConnection('rg-web-we', 'basket-api-we', 'vnet-apps-we');
  await web.webApps.update('rg-web-we', 'basket-api-we', { virtualNetworkSubnetId: SUBNET });
  const settings = (await web.webApps.listApplicationSettings('rg-web-we', 'basket-api-we')).properties ?? {};
  const kept = Object.fromEntries(Object.entries(settings).filter(([name]) => !(name in LEGACY)));
  await web.webApps.updateApplicationSettings('rg-web-we', 'basket-api-we', { properties: kept });
}

describe('moving basket-api-we to regional integration and back', () => {
  let sim: SimulatorHandle;
  let opts: ReturnType<typeof operationOptions>;

  /**
   * Runs an operation twice: the first must apply, the second must find nothing to do. Neither record may hold a
   * setting value other than the legacy three.
   */
  async function twice(run: () => Promise<ChangeRecord>): Promise<ChangeRecord> {
    const first = await run();
    const second = await run();
    expect(first.applied, `${first.action} applied the first time`).toBe(true);
    expect(second.applied, `${second.action} found the work done the second time`).toBe(false);
    const text = JSON.stringify([first, second]);
    for (const value of OTHER_VALUES) expect(text, `${first.action} records hold no other setting value`).not.toContain(value);
    return first;
  }

  beforeAll(async () => {
    sim = await startDemoSimulator();
  });
  beforeEach(() => {
    sim.reset();
    opts = operationOptions(sim);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('snapshots the app: gateway connection, routing, setting names and only the legacy values', async () => {
    const snapshot = await readAppNetworkState(APP, opts);
    expect(snapshot.appId).toBe(APP);
    expect(snapshot.virtualNetworkSubnetId).toBeNull();
    expect(snapshot.gatewayConnections).toEqual([expect.objectContaining({ name: 'vnet-apps-we', vnetResourceId: expect.stringMatching(/vnet-apps-we$/i) as unknown })]);
    expect(snapshot.appSettingNames).toEqual(['APP_ENV', 'DB_HOST', 'WEBSITE_CONTENTOVERVNET', 'WEBSITE_VNET_ROUTE_ALL']);
    expect(snapshot.legacyRoutingSettings).toEqual(LEGACY);
    for (const value of OTHER_VALUES) expect(JSON.stringify(snapshot)).not.toContain(value);
    expect(diffNetworkState(snapshot, await readAppNetworkState(APP, opts))).toEqual([]);
  });

  it('before the move the app is healthy and reaches its database through the gateway', async () => {
    const health = await probeHealth(HOST, '/health', probeOptions(sim));
    expect(health).toMatchObject({ status: 200, healthy: true });
    expect(health.dependencies).toContain(`${SQL}:1433`);
    const ping = await kuduTcpping(SCM, `${SQL}:1433`, probeOptions(sim));
    expect(ping).toMatchObject({ ok: true, averageInMs: 38 });
  });

  it('moves: subnet, routing, disconnect (the app restarts), connect, then verifies by probes', async () => {
    const subnet = await ensureSubnet({ action: 'create', subnetId: SUBNET, addressPrefix: '10.10.2.0/26' }, opts);
    expect(subnet).toMatchObject({ applied: true, created: true });
    expect(await ensureSubnet({ action: 'create', subnetId: SUBNET, addressPrefix: '10.10.2.0/26' }, opts)).toMatchObject({ applied: false, created: false });

    await twice(() => applyRouting(APP, { outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: true } }, opts));
    expect((await readAppNetworkState(APP, opts)).routing).toMatchObject({ applicationTraffic: true, contentShareTraffic: true, imagePullTraffic: false });

    const disconnect = await twice(() => disconnectGateway(APP, 'vnet-apps-we', opts));
    expect(disconnect.before).toMatchObject({ name: 'vnet-apps-we' });
    const restarting = await probeHealth(HOST, '/health', probeOptions(sim));
    expect(restarting).toMatchObject({ status: 503, healthy: false });

    // One form at a time: a gateway connection cannot come back while the app is regional (checked below too).
    await twice(() => connectRegional(APP, SUBNET, opts));
    await passSimulated(sim, sim.settings.restartDurationMs + 1000);

    const health = await probeHealth(HOST, '/health', probeOptions(sim));
    expect(health).toMatchObject({ status: 200, healthy: true });
    const ping = await kuduTcpping(SCM, `${SQL}:1433`, probeOptions(sim));
    expect(ping.ok).toBe(true);
    expect(ping.averageInMs).toBe(1);
    expect(ping.output).toContain('Complete: 4/4 successful attempts');
    const resolved = await kuduNameResolve(SCM, SQL, probeOptions(sim));
    expect(resolved).toMatchObject({ ok: true, addresses: ['10.10.0.4'] });

    const removed = await twice(() => removeLegacySettings(APP, ['WEBSITE_VNET_ROUTE_ALL', 'WEBSITE_CONTENTOVERVNET'], opts));
    expect(removed.after).toEqual({ names: ['APP_ENV', 'DB_HOST'], legacyRoutingSettings: {} });
    const after = await readAppNetworkState(APP, opts);
    expect(after.appSettingNames).toEqual(['APP_ENV', 'DB_HOST']);
    expect(after.gatewayConnections).toEqual([]);
    expect(after.virtualNetworkSubnetId?.toLowerCase()).toBe(SUBNET.toLowerCase());
  });

  it('refuses to reconnect the gateway while the app is regional (non-retryable, names the app)', async () => {
    await movedBySdk(sim);
    const error = await thrown(() => reconnectGateway(APP, GATEWAY, opts));
    expect(error).toMatchObject({ code: 'IntegrationFormConflict', retryable: false });
    expect(error.message).toContain('reconnect basket-api-we to gateway VNet vnet-apps-we refused');
    expect((await readAppNetworkState(APP, opts)).gatewayConnections).toEqual([]);
  });

  it('rolls back to the snapshot exactly: diffNetworkState is empty, the subnet it created is deleted', async () => {
    const snapshot = await readAppNetworkState(APP, opts);
    await movedBySdk(sim);
    expect(diffNetworkState(snapshot, await readAppNetworkState(APP, opts))).not.toEqual([]);

    await twice(() => restoreLegacySettings(APP, snapshot.legacyRoutingSettings, opts));
    await twice(() => disconnectRegional(APP, opts));
    await twice(() => reconnectGateway(APP, snapshot.gatewayConnections[0]!, opts));
    await twice(() => restoreRouting(APP, snapshot.routing, opts));
    expect(diffNetworkState(snapshot, await readAppNetworkState(APP, opts))).toEqual([]);

    expect(await deleteSubnetIfUnused(SUBNET, opts)).toEqual({ deleted: true });
    expect(await deleteSubnetIfUnused(SUBNET, opts)).toMatchObject({ deleted: false, reason: expect.stringContaining('does not exist') as unknown });

    await passSimulated(sim, sim.settings.restartDurationMs + 1000);
    expect(await probeHealth(HOST, '/health', probeOptions(sim))).toMatchObject({ status: 200, healthy: true });
    expect(await kuduTcpping(SCM, `${SQL}:1433`, probeOptions(sim))).toMatchObject({ ok: true, averageInMs: 38 });
  });

  it('diffNetworkState says what differs, in words', async () => {
    const snapshot = await readAppNetworkState(APP, opts);
    const changed: AppNetworkSnapshot = {
      ...snapshot,
      takenTime: 'later',
      appId: snapshot.appId.toUpperCase(),
      routing: { ...snapshot.routing, applicationTraffic: !snapshot.routing.applicationTraffic },
      gatewayConnections: [],
      appSettingNames: [...snapshot.appSettingNames, 'NEW_ONE'].reverse(),
      legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1' },
    };
    expect(diffNetworkState(snapshot, changed)).toEqual([
      `routing.applicationTraffic: snapshot ${String(snapshot.routing.applicationTraffic)}, now ${String(!snapshot.routing.applicationTraffic)}`,
      `gatewayConnections[vnet-apps-we]: snapshot connected to ${snapshot.gatewayConnections[0]!.vnetResourceId}, now missing`,
      "appSettingNames: 'NEW_ONE' was absent, now present",
      "legacyRoutingSettings.WEBSITE_CONTENTOVERVNET: snapshot '1', now absent",
    ]);
  });
});
