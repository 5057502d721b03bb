/**
 * What the app-networking operations say and record, against the simulator with the real SDK clients: the words and
 * details of their refusals, a failed read or write named by its operation (a slot by site/slot), writes that ARM
 * answered 5xx (applied or not) settled by reading back, a move between two regional subnets and between two VNets
 * behind one connection name, and a slot's connection and settings written on the slot. Each test starts from the
 * demo world as seeded, set up with the SDK alone.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  applyRouting,
  connectRegional,
  disconnectGateway,
  disconnectRegional,
  ensureSubnet,
  readAppNetworkState,
  reconnectGateway,
  removeLegacySettings,
  restoreLegacySettings,
  restoreRouting,
} from '../../../src/azure/app-networking/index.js';
import type { RequestPolicy } from '@vnet-migrator/arm-simulator/contract.js';
import { createDelegatedSubnet, instantDemoWorldForEachTest, operationOptions, setupClients, siteId, thrown, VNET_APPS_WE } from './support.js';

const LINUX = siteId('linux-regional-we');
const LINUX_SUBNET = `${VNET_APPS_WE}/subnets/snet-integration-linux`;
const VNET_APPS_NE = VNET_APPS_WE.replace('rg-network-we', 'rg-network-ne').replace('vnet-apps-we', 'vnet-apps-ne');
const SLOT = `${siteId('shop-web-we')}/slots/staging`;

describe('app-networking records and refusals', () => {
  const world = instantDemoWorldForEachTest();

  it('refusals carry their facts: a non-app id, a subnet of another prefix, routing an api-version cannot express', async () => {
    await expect(readAppNetworkState(VNET_APPS_WE, world.opts)).rejects.toMatchObject({
      code: 'InvalidResourceId',
      details: { id: VNET_APPS_WE, value: 'virtualNetwork', expected: 'site or slot' },
    });
    const mismatch = await thrown(() => ensureSubnet({ action: 'create', subnetId: LINUX_SUBNET, addressPrefix: '10.10.9.0/26' }, world.opts));
    expect(mismatch.details).toEqual({
      operation: 'create integration subnet snet-integration-linux in VNet vnet-apps-we',
      subnetId: LINUX_SUBNET,
      expectedPrefix: '10.10.9.0/26',
      actualPrefixes: ['10.10.1.0/26'],
    });
    const flat = operationOptions(world.sim, { webApiVersion: '2024-04-01' });
    const allTraffic = { allTraffic: true, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false };
    const routing = await thrown(() => restoreRouting(siteId('shop-api-we'), allTraffic, flat));
    expect(routing.message).toBe('restore routing of shop-api-we refused: outboundVnetRouting.allTraffic has no form in Microsoft.Web api-version 2024-04-01; use 2025-03-01 or later.');
    expect(routing.details).toEqual({ operation: 'restore routing of shop-api-we', switch: 'outboundVnetRouting.allTraffic', apiVersion: '2024-04-01' });
  });

  it('from 2025-03-01, the first api-version with outboundVnetRouting, every switch is written, allTraffic too', async () => {
    const first = operationOptions(world.sim, { webApiVersion: '2025-03-01' });
    const allTraffic = { allTraffic: true, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false };
    expect(await restoreRouting(siteId('shop-api-we'), allTraffic, first)).toMatchObject({ applied: true, after: allTraffic });
    expect((await readAppNetworkState(siteId('shop-api-we'), world.opts)).routing).toEqual(allTraffic);
  });

  it('before 2025-03-01 the flags go in one raw PATCH of the site, which a caller that gave up ends too', async () => {
    const flat = operationOptions(world.sim, { webApiVersion: '2024-04-01' });
    world.sim.faults.add({ kind: 'hang', method: 'PATCH', pathPattern: '/sites/shop-api-we$' });
    const plan = { vnetRouteAllEnabled: true, vnetImagePullEnabled: true, vnetContentShareEnabled: false };
    await expect(applyRouting(siteId('shop-api-we'), plan, { ...flat, abortSignal: AbortSignal.timeout(500) })).rejects.toThrow();
    world.sim.faults.clear();
    expect(await applyRouting(siteId('shop-api-we'), plan, flat)).toMatchObject({ applied: true, after: { applicationTraffic: true, imagePullTraffic: true } });
  }, 20_000);

  it('reconnectGateway refuses while the app is regional, naming the subnet, with the facts', async () => {
    const error = await thrown(() => reconnectGateway(LINUX, { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE }, world.opts));
    expect(error.message).toBe(
      `reconnect linux-regional-we to gateway VNet vnet-apps-we refused: linux-regional-we has a regional integration with ${LINUX_SUBNET}; an app can use one form of VNet integration at a time, so disconnect the regional integration first.`,
    );
    expect(error.details).toEqual({ operation: 'reconnect linux-regional-we to gateway VNet vnet-apps-we', appId: LINUX, virtualNetworkSubnetId: LINUX_SUBNET });
  });

  it('a failed read is the product\'s error naming the operation, a slot as site/slot', async () => {
    world.sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/slots/staging/config/web$', count: 1 });
    const error = await thrown(() => readAppNetworkState(SLOT, world.opts));
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toMatch(/^read the network state of shop-web-we\/staging failed: /);
  });

  it('writes answered with a 5xx: not applied is thrown retryable, applied is read back as done', async () => {
    world.sim.faults.add({ kind: 'http500', method: 'DELETE', pathPattern: '/sites/shop-api-we/virtualNetworkConnections/vnet-apps-we$', count: 1 });
    const disconnect = await thrown(() => disconnectGateway(siteId('shop-api-we'), 'vnet-apps-we', world.opts));
    expect(disconnect).toMatchObject({ retryable: true });
    expect((await readAppNetworkState(siteId('shop-api-we'), world.opts)).gatewayConnections).toHaveLength(1);

    world.sim.faults.add({ kind: 'http500', method: 'DELETE', pathPattern: '/sites/linux-regional-we/networkConfig/virtualNetwork$', count: 1 });
    const leave = await thrown(() => disconnectRegional(LINUX, world.opts));
    expect(leave).toMatchObject({ retryable: true });
    expect(leave.message).toMatch(/^disconnect linux-regional-we from its regional subnet failed: /);
    expect((await readAppNetworkState(LINUX, world.opts)).virtualNetworkSubnetId).toBe(LINUX_SUBNET);
    world.sim.faults.add({ kind: 'applied-then-504', method: 'DELETE', pathPattern: '/sites/linux-regional-we/networkConfig/virtualNetwork$', count: 1 });
    expect(await disconnectRegional(LINUX, world.opts)).toMatchObject({ applied: true, before: LINUX_SUBNET });

    await setupClients(world.sim).web.webApps.deleteVnetConnection('rg-web-we', 'shop-api-we', 'vnet-apps-we');
    world.sim.faults.add({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/sites/shop-api-we/virtualNetworkConnections/vnet-apps-we$', count: 1 });
    expect(await reconnectGateway(siteId('shop-api-we'), { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE }, world.opts)).toMatchObject({ applied: true, before: null, after: { vnetResourceId: VNET_APPS_WE } });
  });

  it('moves between two regional subnets, and between two VNets behind one connection name', async () => {
    const other = await createDelegatedSubnet(world.sim, 'snet-other', '10.10.8.0/26');
    expect(await connectRegional(LINUX, other, world.opts)).toEqual({ action: 'connect regional subnet snet-other', applied: true, before: LINUX_SUBNET, after: other });
    const moved = await reconnectGateway(siteId('shop-api-we'), { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_NE }, world.opts);
    expect(moved).toMatchObject({ applied: true, before: { vnetResourceId: VNET_APPS_WE }, after: { vnetResourceId: VNET_APPS_NE } });
  });

  it("a slot's gateway connection and settings are written on the slot", async () => {
    const { web } = setupClients(world.sim);
    const names = (await readAppNetworkState(SLOT, world.opts)).appSettingNames;
    expect(await removeLegacySettings(SLOT, ['DB_HOST'], world.opts)).toMatchObject({ applied: true });
    expect((await readAppNetworkState(SLOT, world.opts)).appSettingNames).toEqual(names.filter((n) => n !== 'DB_HOST'));

    await web.webApps.deleteVnetConnectionSlot('rg-web-we', 'shop-web-we', 'vnet-apps-we', 'staging');
    expect(await reconnectGateway(SLOT, { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE }, world.opts)).toMatchObject({ applied: true, after: { vnetResourceId: VNET_APPS_WE } });
    expect((await readAppNetworkState(SLOT, world.opts)).gatewayConnections.map((c) => c.name)).toEqual(['vnet-apps-we']);
  });
  it('ensureSubnet names the delegations a subnet has instead of Web, all of them, in words and details', async () => {
    const subnetId = `${VNET_APPS_WE}/subnets/snet-other-services`;
    await setupClients(world.sim).network.subnets.beginCreateOrUpdateAndWait('rg-network-we', 'vnet-apps-we', 'snet-other-services', {
      addressPrefix: '10.10.8.0/26',
      delegations: [
        { name: 'sql', serviceName: 'Microsoft.Sql/managedInstances' },
        { name: 'aci', serviceName: 'Microsoft.ContainerInstance/containerGroups' },
      ],
    }, { updateIntervalInMs: 5 });
    const refused = await thrown(() => ensureSubnet({ action: 'reuse', subnetId, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(refused).toMatchObject({ code: 'SubnetMismatch', retryable: false });
    expect(refused.message).toBe(
      'check integration subnet snet-other-services in VNet vnet-apps-we refused: subnet snet-other-services is not delegated to Microsoft.Web/serverFarms (delegations: Microsoft.Sql/managedInstances, Microsoft.ContainerInstance/containerGroups); regional integration needs that delegation.',
    );
    expect(refused.details).toEqual({
      operation: 'check integration subnet snet-other-services in VNet vnet-apps-we',
      subnetId,
      delegations: ['Microsoft.Sql/managedInstances', 'Microsoft.ContainerInstance/containerGroups'],
    });
  });

  it('ensureSubnet: a subnet to reuse that is missing is refused even with a prefix, and nothing is created', async () => {
    const subnetId = `${VNET_APPS_WE}/subnets/snet-missing`;
    const refused = await thrown(() => ensureSubnet({ action: 'reuse', subnetId, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(refused).toMatchObject({ code: 'SubnetMismatch', retryable: false, message: 'check integration subnet snet-missing in VNet vnet-apps-we refused: subnet snet-missing does not exist.' });
    expect(refused.details).toEqual({ operation: 'check integration subnet snet-missing in VNet vnet-apps-we', subnetId });
    await expect(setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-missing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('ensureSubnet creates the subnet as the portal does: one delegation named Microsoft.Web.serverFarms', async () => {
    await ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts);
    const subnet = await setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-new');
    expect(subnet.delegations?.map((d) => ({ name: d.name, serviceName: d.serviceName }))).toEqual([{ name: 'Microsoft.Web.serverFarms', serviceName: 'Microsoft.Web/serverFarms' }]);
  });

  it('ensureSubnet: a create answered 5xx is read back; not applied is thrown retryable, applied is recorded as created', async () => {
    const { network } = setupClients(world.sim);
    world.sim.faults.add({ kind: 'http500', method: 'PUT', pathPattern: '/subnets/snet-new$', count: 1 });
    const failed = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(failed).toMatchObject({ retryable: true });
    expect(failed.message).toMatch(/^create integration subnet snet-new in VNet vnet-apps-we failed: /);
    await expect(network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-new')).rejects.toMatchObject({ statusCode: 404 });

    world.sim.faults.add({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/subnets/snet-new$', count: 1 });
    const created = await ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts);
    expect(created).toMatchObject({ applied: true, created: true, before: null, after: { addressPrefixes: ['10.10.8.0/26'], delegations: ['Microsoft.Web/serverFarms'] } });
  });

  it('ensureSubnet: a subnet another writer is still creating must be waited for (SubnetNotReady, retryable)', async () => {
    // The other writer's create runs for an hour; the simulator's reset keeps settings, so this test puts it back.
    world.sim.settings.longRunningOperationMs = 3_600_000;
    onTestFinished(() => {
      world.sim.settings.longRunningOperationMs = 0;
    });
    const { network } = setupClients(world.sim);
    await network.subnets.beginCreateOrUpdate('rg-network-we', 'vnet-apps-we', 'snet-new', {
      addressPrefix: '10.10.8.0/26',
      delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: 'Microsoft.Web/serverFarms' }],
    });
    const waiting = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(waiting).toMatchObject({ code: 'SubnetNotReady', retryable: true, message: 'create integration subnet snet-new in VNet vnet-apps-we must wait: the subnet is still Updating.' });
    expect(waiting.details).toEqual({ operation: 'create integration subnet snet-new in VNet vnet-apps-we', provisioningState: 'Updating' });
  });

  it('ensureSubnet: a create ARM applied but answered 504 while the subnet is still Updating is not done yet (retryable)', async () => {
    world.sim.settings.longRunningOperationMs = 3_600_000;
    onTestFinished(() => {
      world.sim.settings.longRunningOperationMs = 0;
    });
    world.sim.faults.add({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/subnets/snet-new$', count: 1 });
    const pending = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(pending).toMatchObject({ retryable: true, details: { statusCode: 504 } });
    expect((await setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-new')).provisioningState).toBe('Updating');
  });

  it('ensureSubnet: a subnet read answered 5xx is a retryable failure, not a missing subnet to create', async () => {
    world.sim.faults.add({ kind: 'http500', method: 'GET', pathPattern: '/subnets/snet-new$', count: 1 });
    const failed = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(failed).toMatchObject({ retryable: true });
    expect(failed.message).toMatch(/^create integration subnet snet-new in VNet vnet-apps-we failed: /);
    await expect(setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-new')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('restoreLegacySettings puts two settings back under their canonical names, replacing other spellings, names both, and reads back a 504', async () => {
    const { web } = setupClients(world.sim);
    const original = (await web.webApps.listApplicationSettings('rg-web-we', 'basket-api-we')).properties ?? {};
    const { WEBSITE_VNET_ROUTE_ALL: _all, WEBSITE_CONTENTOVERVNET: _content, ...others } = original;
    await web.webApps.updateApplicationSettings('rg-web-we', 'basket-api-we', { properties: { ...others, website_vnet_route_all: '0', Website_ContentOverVnet: '0' } });
    world.sim.faults.add({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/sites/basket-api-we/config/appsettings$', count: 1 });
    const restored = await restoreLegacySettings(siteId('basket-api-we'), { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' }, world.opts);
    expect(restored).toMatchObject({ applied: true, after: { legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' } } });
    expect((await web.webApps.listApplicationSettings('rg-web-we', 'basket-api-we')).properties).toEqual({ ...others, WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' });

    await web.webApps.updateApplicationSettings('rg-web-we', 'basket-api-we', { properties: others });
    world.sim.faults.add({ kind: 'permanent', method: 'PUT', pathPattern: '/sites/basket-api-we/config/appsettings$', message: 'Locked by policy.', count: 1 });
    const refused = await thrown(() => restoreLegacySettings(siteId('basket-api-we'), { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' }, world.opts));
    expect(refused.message).toMatch(/^restore the legacy routing settings WEBSITE_VNET_ROUTE_ALL, WEBSITE_CONTENTOVERVNET of basket-api-we failed: Locked by policy\./);
  });

  it("a routing change records every switch after it: the ones written and the ones left as they were", async () => {
    const before = (await readAppNetworkState(LINUX, world.opts)).routing;
    const desired = { applicationTraffic: !before.applicationTraffic, imagePullTraffic: !before.imagePullTraffic, contentShareTraffic: before.contentShareTraffic };
    const record = await applyRouting(LINUX, { outboundVnetRouting: desired }, world.opts);
    expect(record).toMatchObject({ action: 'apply routing', applied: true, before });
    expect(record.after).toEqual({ ...before, ...desired });
    expect(record.after).toEqual((await readAppNetworkState(LINUX, world.opts)).routing);
  });
});

describe('ensureSubnet when another writer creates the subnet while its own create fails', () => {
  // A simulator of its own: these tests replace its request policies.
  const world = instantDemoWorldForEachTest();

  /** Answers the first PUT of snet-new with a 500 after putting another writer's snet-new (this body) in place. */
  const anotherWriter = (properties: Record<string, unknown>): RequestPolicy => {
    let fired = false;
    return {
      evaluate: (info) => {
        if (fired || info.method !== 'PUT' || !/\/subnets\/snet-new$/i.test(info.path)) return { kind: 'pass' };
        fired = true;
        world.sim.seed([{ id: `${VNET_APPS_WE}/subnets/snet-new`, body: { properties } }]);
        return { kind: 'respond', status: 500, body: { error: { code: 'InternalServerError', message: 'An unexpected error occurred while processing the request.' } } };
      },
    };
  };
  const webDelegation = [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }];

  it.each([
    ['another prefix, delegated to Web', { addressPrefix: '10.10.9.0/26', delegations: webDelegation }],
    ['the planned prefix, not delegated', { addressPrefix: '10.10.8.0/26', delegations: [] }],
  ])("the other writer's subnet (%s) is not taken as the one it created: the failure stands, retryable", async (_, properties) => {
    world.sim.setPolicies([anotherWriter(properties)]);
    const failed = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(failed).toMatchObject({ retryable: true, details: { statusCode: 500 } });
    const again = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-new`, addressPrefix: '10.10.8.0/26' }, world.opts));
    expect(again).toMatchObject({ code: 'SubnetMismatch', retryable: false });
  });
});
