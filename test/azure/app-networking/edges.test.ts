/**
 * The app-networking operations at their edges, against the ARM simulator with the real SDK clients: what they
 * refuse, what they find already done, what another run doing the same at once leaves them, a slot's own *Slot
 * calls, and the rollback's subnet deletion when apps still use the subnet or App Service left its link behind.
 * Each test starts from the demo world as seeded (the simulator is reset before each) and sets up what it needs
 * with the SDK alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyRouting,
  connectRegional,
  deleteSubnetIfUnused,
  disconnectGateway,
  disconnectRegional,
  ensureSubnet,
  readAppNetworkState,
  reconnectGateway,
  removeLegacySettings,
  restoreLegacySettings,
} from '../../../src/azure/app-networking/index.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { startTestSimulator } from '@vnet-migrator/arm-simulator/testing.js';
import { createDelegatedSubnet, operationOptions, PROD, setupClients, siteId, thrown, VNET_APPS_WE } from './support.js';

const LINUX_SUBNET = `${VNET_APPS_WE}/subnets/snet-integration-linux`;
const LINUX_PLAN = `/subscriptions/${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/serverfarms/plan-linux-we`;
const GATEWAY = { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE } as const;

describe('app-networking operations at their edges', () => {
  let sim: SimulatorHandle;
  let opts: ReturnType<typeof operationOptions>;

  beforeAll(async () => {
    // Long-running operations end at once: these tests are about the operations' decisions, not about polling.
    sim = await startTestSimulator({ scenario: 'demo', clockFactor: 300, longRunningOperationMs: 0, pageSize: 100 });
  });
  beforeEach(() => {
    sim.reset();
    sim.settings.serviceAssociationLinkLingerMs = 0;
    opts = operationOptions(sim);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('refuses an id that is not a site or a slot', async () => {
    await expect(readAppNetworkState(VNET_APPS_WE, opts)).rejects.toThrow('expected a site or slot id but this is a virtualNetwork id');
  });

  it('a caller that gave up gets no answer: its abort signal goes with every call', async () => {
    const aborted = { ...opts, abortSignal: AbortSignal.abort() };
    await expect(readAppNetworkState(siteId('shop-api-we'), aborted)).rejects.toThrow();
    await expect(removeLegacySettings(siteId('basket-api-we'), ['WEBSITE_VNET_ROUTE_ALL'], aborted)).rejects.toThrow();
    await expect(ensureSubnet({ action: 'reuse', subnetId: LINUX_SUBNET, addressPrefix: null }, aborted)).rejects.toThrow();
    expect((await readAppNetworkState(siteId('basket-api-we'), opts)).appSettingNames).toContain('WEBSITE_VNET_ROUTE_ALL');
  });

  it('two runs disconnecting the same gateway at once: one applies it, the other finds it gone (404) and applies nothing; one restart', async () => {
    const app = siteId('shop-api-we');
    // "At once" made certain, not left to the scheduler: each DELETE waits until the other run's is sent too, so both
    // runs have read the connection before either removes it (without this, one run could read after the other's
    // delete and find nothing to do, a different race).
    let deletes = 0;
    let bothSent = (): void => undefined;
    const together = new Promise<void>((resolve) => (bothSent = resolve));
    opts.clientsFor(PROD).web.pipeline.addPolicy({
      name: 'deletes-together',
      sendRequest: async (request, next) => {
        if (request.method === 'DELETE') {
          deletes += 1;
          if (deletes === 2) bothSent();
          await together;
        }
        return next(request);
      },
    });
    const records = await Promise.all([disconnectGateway(app, 'vnet-apps-we', opts), disconnectGateway(app, 'vnet-apps-we', opts)]);
    expect(deletes).toBe(2);
    expect(records.map((r) => r.applied).sort()).toEqual([false, true]);
    for (const record of records) expect(record).toMatchObject({ action: 'disconnect gateway VNet vnet-apps-we', before: { name: 'vnet-apps-we' }, after: null });
    expect(sim.restarts.filter((r) => r.siteId.toLowerCase() === app.toLowerCase())).toHaveLength(1);
  });

  it("disconnectGateway will not remove the regional integration by its entry's name, and finds a missing connection done", async () => {
    const app = siteId('linux-regional-we');
    const [entry] = await setupClients(sim).web.webApps.listVnetConnections('rg-web-we', 'linux-regional-we');
    const error = await thrown(() => disconnectGateway(app, entry!.name!, opts));
    expect(error).toMatchObject({ code: 'IntegrationFormConflict', retryable: false, details: { appId: app, connectionName: entry!.name, vnetResourceId: LINUX_SUBNET } });
    expect(error.message).toBe(`disconnect linux-regional-we from gateway VNet ${entry!.name!} refused: '${entry!.name!}' is linux-regional-we's regional integration, not a gateway-based connection.`);
    expect((await readAppNetworkState(app, opts)).virtualNetworkSubnetId).toBe(LINUX_SUBNET);
    expect(await disconnectGateway(app, 'vnet-apps-we', opts)).toEqual({ action: 'disconnect gateway VNet vnet-apps-we', applied: false, before: null, after: null });
  });

  it('reconnectGateway writes the DNS servers the snapshot had, and rewrites a connection whose DNS servers differ', async () => {
    const app = siteId('shop-api-we');
    const withDns = { ...GATEWAY, dnsServers: '10.10.0.4' };
    const asRead = { ...GATEWAY, resyncRequired: false };
    expect(await reconnectGateway(app, withDns, opts)).toEqual({ action: 'reconnect gateway VNet vnet-apps-we', applied: true, before: asRead, after: { ...asRead, dnsServers: '10.10.0.4' } });
    expect(await reconnectGateway(app, { ...withDns, vnetResourceId: VNET_APPS_WE.toUpperCase() }, opts)).toMatchObject({ applied: false, before: withDns, after: withDns });
    expect((await readAppNetworkState(app, opts)).gatewayConnections).toEqual([{ ...asRead, dnsServers: '10.10.0.4' }]);
    expect(await reconnectGateway(app, GATEWAY, opts)).toMatchObject({ applied: true, before: withDns, after: asRead });
  });

  it('regional: the subnet already joined (in any case) and an app without one are found done; leaving says which subnet it left', async () => {
    const linux = siteId('linux-regional-we');
    expect(await connectRegional(linux, LINUX_SUBNET.toUpperCase(), opts)).toEqual({ action: 'connect regional subnet SNET-INTEGRATION-LINUX', applied: false, before: LINUX_SUBNET, after: LINUX_SUBNET });
    expect(await disconnectRegional(siteId('shop-api-we'), opts)).toEqual({ action: 'disconnect regional subnet', applied: false, before: null, after: null });
    expect(await disconnectRegional(linux, opts)).toEqual({ action: 'disconnect regional subnet', applied: true, before: LINUX_SUBNET, after: null });
    expect((await readAppNetworkState(linux, opts)).virtualNetworkSubnetId).toBeNull();
  });

  it('legacy settings: names match in any case; a restore puts the canonical name in place of another spelling', async () => {
    const app = siteId('basket-api-we');
    expect(await removeLegacySettings(app, ['WEBSITE_PULL_IMAGE_OVER_VNET'], opts)).toMatchObject({ applied: false });
    const removed = await removeLegacySettings(app, ['website_vnet_route_all'], opts);
    expect(removed).toEqual({
      action: 'remove legacy routing settings',
      applied: true,
      before: { names: ['APP_ENV', 'DB_HOST', 'WEBSITE_CONTENTOVERVNET', 'WEBSITE_VNET_ROUTE_ALL'], legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' } },
      after: { names: ['APP_ENV', 'DB_HOST', 'WEBSITE_CONTENTOVERVNET'], legacyRoutingSettings: { WEBSITE_CONTENTOVERVNET: '1' } },
    });

    const { web } = setupClients(sim);
    const settings = (await web.webApps.listApplicationSettings('rg-web-we', 'basket-api-we')).properties ?? {};
    await web.webApps.updateApplicationSettings('rg-web-we', 'basket-api-we', { properties: { ...settings, website_vnet_route_all: '0' } });
    const restored = await restoreLegacySettings(app, { WEBSITE_VNET_ROUTE_ALL: '1' }, opts);
    expect(restored).toMatchObject({ action: 'restore legacy routing settings', applied: true, after: { legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' } } });
    const after = (await web.webApps.listApplicationSettings('rg-web-we', 'basket-api-we')).properties ?? {};
    expect(after).toMatchObject({ WEBSITE_VNET_ROUTE_ALL: '1', APP_ENV: 'production' });
    expect(Object.keys(after)).not.toContain('website_vnet_route_all');
    expect(await restoreLegacySettings(app, {}, opts)).toMatchObject({ applied: false });
  });

  it("a refused settings write names the operation and the settings, and quotes App Service, not the settings' values", async () => {
    sim.faults.add({ kind: 'permanent', method: 'PUT', pathPattern: '/sites/basket-api-we/config/appsettings$', message: 'Locked by policy.', count: 2 });
    const remove = await thrown(() => removeLegacySettings(siteId('basket-api-we'), ['WEBSITE_VNET_ROUTE_ALL', 'WEBSITE_CONTENTOVERVNET'], opts));
    expect(remove.message).toMatch(/^remove the legacy routing settings WEBSITE_VNET_ROUTE_ALL, WEBSITE_CONTENTOVERVNET of basket-api-we failed: Locked by policy\./);
    const restore = await thrown(() => restoreLegacySettings(siteId('basket-api-we'), { WEBSITE_PULL_IMAGE_OVER_VNET: '1' }, opts));
    expect(restore.message).toMatch(/^restore the legacy routing settings WEBSITE_PULL_IMAGE_OVER_VNET of basket-api-we failed: Locked by policy\./);
    expect(remove.message + restore.message).not.toContain('contoso.example');
  });

  it('ensureSubnet refuses a missing subnet to reuse or to create without a prefix, says a subnet has no delegation, and records what it created', async () => {
    const missing = `${VNET_APPS_WE}/subnets/snet-none`;
    const reuse = await thrown(() => ensureSubnet({ action: 'reuse', subnetId: missing, addressPrefix: null }, opts));
    expect(reuse).toMatchObject({ code: 'SubnetMismatch', retryable: false, message: 'check integration subnet snet-none in VNet vnet-apps-we refused: subnet snet-none does not exist.' });
    const create = await thrown(() => ensureSubnet({ action: 'create', subnetId: missing, addressPrefix: null }, opts));
    expect(create.message).toBe('create integration subnet snet-none in VNet vnet-apps-we refused: subnet snet-none does not exist and the plan gives no address prefix to create it with.');
    const data = await thrown(() => ensureSubnet({ action: 'reuse', subnetId: `${VNET_APPS_WE}/subnets/snet-data`, addressPrefix: '10.10.0.0/24' }, opts));
    expect(data.message).toContain('subnet snet-data is not delegated to Microsoft.Web/serverFarms (delegations: none); regional integration needs that delegation.');
    expect(await ensureSubnet({ action: 'reuse', subnetId: LINUX_SUBNET, addressPrefix: '10.10.1.0/26' }, opts)).toMatchObject({ action: 'reuse subnet snet-integration-linux', applied: false });

    const created = await ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.6.0/26' }, opts);
    expect(created).toEqual({
      action: 'create subnet snet-new',
      applied: true,
      created: true,
      before: null,
      after: { addressPrefixes: ['10.10.6.0/26'], delegations: ['Microsoft.Web/serverFarms'], serviceAssociationLinks: [], provisioningState: 'Succeeded' },
    });
  });

  it('deleteSubnetIfUnused keeps a subnet apps of a plan are integrated with, and says so', async () => {
    expect(await deleteSubnetIfUnused(LINUX_SUBNET, opts)).toEqual({ deleted: false, reason: `subnet snet-integration-linux is in use: apps of plan ${LINUX_PLAN} are integrated with it` });
  });

  it('deleteSubnetIfUnused asks App Service to purge a link its last app left behind, then deletes', async () => {
    sim.settings.serviceAssociationLinkLingerMs = 3_600_000;
    await setupClients(sim).web.webApps.deleteSwiftVirtualNetwork('rg-web-we', 'linux-regional-we');
    expect(await deleteSubnetIfUnused(LINUX_SUBNET, opts)).toEqual({ deleted: true });
    expect(await deleteSubnetIfUnused(LINUX_SUBNET, opts)).toEqual({ deleted: false, reason: 'subnet snet-integration-linux does not exist (already deleted)' });
  });

  it('deleteSubnetIfUnused: when the purge is refused the subnet stays, and the reason gives both refusals', async () => {
    sim.settings.serviceAssociationLinkLingerMs = 3_600_000;
    await setupClients(sim).web.webApps.deleteSwiftVirtualNetwork('rg-web-we', 'linux-regional-we');
    sim.faults.add({ kind: 'permanent', method: 'POST', pathPattern: '/purgeUnusedVirtualNetworkIntegration', message: 'Purge refused by policy.', count: 1 });
    const result = await deleteSubnetIfUnused(LINUX_SUBNET, opts);
    expect(result.deleted).toBe(false);
    expect(result.reason).toMatch(/^delete integration subnet snet-integration-linux in VNet vnet-apps-we failed: .*InUseSubnetCannotBeDeleted/);
    expect(result.reason).toContain(' Purging unused virtual network integrations failed: purge unused VNet integrations for delete integration subnet snet-integration-linux in VNet vnet-apps-we failed: Purge refused by policy.');
    expect(await setupClients(sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-integration-linux')).toMatchObject({ name: 'snet-integration-linux' });
  });

  it("deleteSubnetIfUnused fails, retryable, when the plan's VNet connections cannot be read", async () => {
    sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/serverfarms/plan-linux-we/virtualNetworkConnections$', count: 1 });
    const error = await thrown(() => deleteSubnetIfUnused(LINUX_SUBNET, opts));
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/^delete integration subnet snet-integration-linux in VNet vnet-apps-we failed/);
  });

  it("a slot is changed through its own *Slot calls, never its site's", async () => {
    const site = siteId('shop-web-we');
    const slot = `${site}/slots/staging`;
    const siteBefore = await readAppNetworkState(site, opts);
    const subnet = await createDelegatedSubnet(sim, 'snet-slot', '10.10.7.0/26');

    expect(await applyRouting(slot, { outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: false } }, opts)).toMatchObject({ applied: true });
    expect(await applyRouting(slot, { outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: true, contentShareTraffic: false } }, opts)).toMatchObject({ applied: true });
    expect(await removeLegacySettings(slot, ['DB_HOST'], opts)).toMatchObject({ applied: true });
    expect(await disconnectGateway(slot, 'vnet-apps-we', opts)).toMatchObject({ applied: true });
    expect(await connectRegional(slot, subnet, opts)).toMatchObject({ applied: true });
    const moved = await readAppNetworkState(slot, opts);
    expect(moved).toMatchObject({ virtualNetworkSubnetId: subnet, gatewayConnections: [], routing: { applicationTraffic: true, imagePullTraffic: true } });
    expect(moved.appSettingNames).not.toContain('DB_HOST');
    expect(await disconnectRegional(slot, opts)).toMatchObject({ applied: true });
    expect((await readAppNetworkState(slot, opts)).virtualNetworkSubnetId).toBeNull();

    const siteAfter = await readAppNetworkState(site, opts);
    expect({ ...siteAfter, takenTime: '' }).toEqual({ ...siteBefore, takenTime: '' });
  });
});
