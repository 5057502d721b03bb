import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, clientOptions, seedGateway, NET, RG, rawRequest, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

const SUBNET = `${NET}/virtualNetworks/vnet1/subnets/apps`;
const PLAN = `${WEB}/serverfarms/plan1`;

describe('Microsoft.Web through the real WebSiteManagementClient', () => {
  let sim: SimulatorHandle;
  let client: WebSiteManagementClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
    baseWorld(sim);
    client = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('creates a site with createOrUpdate, following the Location poller to the final site', async () => {
    const site = await client.webApps.createOrUpdate(RG, 'app1', { location: 'West Europe', serverFarmId: PLAN, siteConfig: { alwaysOn: true } });
    expect(site.name).toBe('app1');
    expect(site.serverFarmId).toBe(PLAN);
    expect(site.outboundVnetRouting).toEqual({ allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false });
    const polls = sim.audit.query({ pathContains: '/providers/Microsoft.Web/locations/' });
    expect(polls.map((e) => e.status)).toEqual(expect.arrayContaining([200]));
    const fetched = await client.webApps.get(RG, 'app1');
    expect(fetched.siteConfig?.alwaysOn).toBe(true);
    expect(fetched.defaultHostName).toBe('app1.azurewebsites.net');
  });

  it('gets, updates and lists the plan; numberOfSites counts the apps', async () => {
    const plan = await client.appServicePlans.get(RG, 'plan1');
    expect(plan.sku?.tier).toBe('PremiumV3');
    expect(plan.numberOfSites).toBe(1);
    const names: string[] = [];
    for await (const p of client.appServicePlans.listByResourceGroup(RG)) names.push(p.name ?? '');
    expect(names).toEqual(['plan1']);
  });

  it('lists sites by resource group and subscription across several pages', async () => {
    await client.webApps.createOrUpdate(RG, 'app2', { location: 'westeurope', serverFarmId: PLAN });
    await client.webApps.createOrUpdate(RG, 'app3', { location: 'westeurope', serverFarmId: PLAN });
    const byRg: string[] = [];
    for await (const s of client.webApps.listByResourceGroup(RG)) byRg.push(s.name ?? '');
    expect(byRg.sort()).toEqual(['app1', 'app2', 'app3']);
    const bySub: string[] = [];
    for await (const s of client.webApps.list()) bySub.push(s.name ?? '');
    expect(bySub.sort()).toEqual(['app1', 'app2', 'app3']);
    // Page size 2 in tests: three sites take two pages, the second fetched through nextLink.
    expect(sim.audit.query({ pathContains: `/resourceGroups/${RG}/providers/Microsoft.Web/sites` }).filter((e) => e.path.endsWith('/sites')).length).toBeGreaterThanOrEqual(2);
  });

  it('reads and patches config/web; siteConfig.vnetRouteAllEnabled is the same switch as applicationTraffic', async () => {
    const before = await client.webApps.getConfiguration(RG, 'app1');
    expect(before.vnetRouteAllEnabled).toBe(false);
    const after = await client.webApps.updateConfiguration(RG, 'app1', { vnetRouteAllEnabled: true, http20Enabled: true });
    expect(after.vnetRouteAllEnabled).toBe(true);
    expect(after.http20Enabled).toBe(true);
    const site = await client.webApps.get(RG, 'app1');
    expect(site.outboundVnetRouting?.applicationTraffic).toBe(true);
    const old = await rawRequest(sim, 'GET', `${WEB}/sites/app1?api-version=2024-04-01`);
    const props = (old.json() as { properties: Record<string, unknown> }).properties;
    expect(props['vnetRouteAllEnabled']).toBe(true);
    expect(props['outboundVnetRouting']).toBeUndefined();
  });

  it('replaces app settings with PUT and lists them with POST .../list', async () => {
    await client.webApps.updateApplicationSettings(RG, 'app1', { properties: { A: '1', B: '2' } });
    await client.webApps.updateApplicationSettings(RG, 'app1', { properties: { C: '3' } });
    const settings = await client.webApps.listApplicationSettings(RG, 'app1');
    expect(settings.properties).toEqual({ C: '3' });
  });

  it('keeps the three views of regional integration consistent, and the subnet shows the service association link', async () => {
    const empty = await client.webApps.getSwiftVirtualNetworkConnection(RG, 'app1');
    expect(empty.subnetResourceId ?? null).toBeNull();
    expect(empty.swiftSupported).toBe(true);
    await client.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET });
    const site = await client.webApps.get(RG, 'app1');
    expect(site.virtualNetworkSubnetId).toBe(SUBNET);
    const conns = await client.webApps.listVnetConnections(RG, 'app1');
    expect(conns).toHaveLength(1);
    expect(conns[0]?.isSwift).toBe(true);
    expect(conns[0]?.vnetResourceId).toBe(SUBNET);
    const raw = await rawRequest(sim, 'GET', `${SUBNET}?api-version=2025-05-01`);
    const links = (raw.json() as { properties: { serviceAssociationLinks?: { name: string; properties: { link: string; linkedResourceType: string } }[] } }).properties.serviceAssociationLinks;
    expect(links?.[0]).toMatchObject({ name: 'AppServiceLink', properties: { link: PLAN, linkedResourceType: 'Microsoft.Web/serverfarms' } });
    const planVnets = await client.appServicePlans.listVnets(RG, 'plan1');
    expect(planVnets.map((v) => v.vnetResourceId)).toEqual([SUBNET]);
  });

  it('leaves through PATCH site (empty subnet id) and the link goes with the last app', async () => {
    await client.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET });
    await client.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    let subnet = (await rawRequest(sim, 'GET', `${SUBNET}?api-version=2025-05-01`)).json() as { properties: { serviceAssociationLinks?: unknown[] } };
    expect(subnet.properties.serviceAssociationLinks).toHaveLength(1);
    await client.webApps.update(RG, 'app2', { virtualNetworkSubnetId: '' });
    subnet = (await rawRequest(sim, 'GET', `${SUBNET}?api-version=2025-05-01`)).json() as { properties: { serviceAssociationLinks?: unknown[] } };
    expect(subnet.properties.serviceAssociationLinks).toBeUndefined();
    expect((await client.webApps.get(RG, 'app2')).virtualNetworkSubnetId ?? null).toBeNull();
  });

  it('manages a gateway-based connection; deleting it records a restart', async () => {
    seedGateway(sim, { clientAddressPool: '172.16.0.0/24' });
    const created = await client.webApps.createOrUpdateVnetConnection(RG, 'app3', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` });
    expect(created.isSwift).toBe(false);
    expect(created.certThumbprint).toMatch(/^[0-9A-F]{40}$/);
    const got = await client.webApps.getVnetConnection(RG, 'app3', 'vnet1');
    expect(got.vnetResourceId).toBe(`${NET}/virtualNetworks/vnet1`);
    await client.webApps.createOrUpdateVnetConnectionGateway(RG, 'app3', 'vnet1', 'primary', { vnetName: 'vnet1', vpnPackageUri: 'https://example.invalid/package.zip' });
    const gateway = await client.webApps.getVnetConnectionGateway(RG, 'app3', 'vnet1', 'primary');
    expect(gateway.vpnPackageUri).toBe('https://example.invalid/package.zip');
    expect((await client.webApps.getConfiguration(RG, 'app3')).vnetName).toBe('vnet1');
    const planConn = await client.appServicePlans.getVnetFromServerFarm(RG, 'plan1', 'vnet1');
    expect(planConn.vnetResourceId).toBe(`${NET}/virtualNetworks/vnet1`);
    expect(await client.appServicePlans.listRoutesForVnet(RG, 'plan1', 'vnet1')).toEqual([]);
    const planGateway = await client.appServicePlans.getVnetGateway(RG, 'plan1', 'vnet1', 'primary');
    expect(planGateway.vnetName).toBe('vnet1');
    const restartsBefore = sim.restarts.length;
    await client.webApps.deleteVnetConnection(RG, 'app3', 'vnet1');
    expect(sim.restarts.slice(restartsBefore)).toEqual([expect.objectContaining({ reason: 'gateway-disconnect', siteId: `${WEB}/sites/app3` })]);
    expect(await client.webApps.listVnetConnections(RG, 'app3')).toEqual([]);
  });

  it('records POST restart', async () => {
    const before = sim.restarts.length;
    await client.webApps.restart(RG, 'app1');
    expect(sim.restarts.slice(before)).toEqual([expect.objectContaining({ reason: 'restart', siteId: `${WEB}/sites/app1` })]);
  });

  it('creates, gets and lists slots; a slot under a missing site is ParentResourceNotFound', async () => {
    const slot = await client.webApps.createOrUpdateSlot(RG, 'app1', 'staging', { location: 'westeurope', serverFarmId: PLAN });
    expect(slot.name).toBe('app1/staging');
    expect((await client.webApps.getSlot(RG, 'app1', 'staging')).defaultHostName).toBe('app1-staging.azurewebsites.net');
    const slots: string[] = [];
    for await (const s of client.webApps.listSlots(RG, 'app1')) slots.push(s.name ?? '');
    expect(slots).toEqual(['app1/staging']);
    await client.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheckSlot(RG, 'app1', 'staging', { subnetResourceId: SUBNET });
    expect((await client.webApps.getSwiftVirtualNetworkConnectionSlot(RG, 'app1', 'staging')).subnetResourceId).toBe(SUBNET);
    await client.webApps.deleteSwiftVirtualNetworkSlot(RG, 'app1', 'staging');
    const orphan = await rawRequest(sim, 'PUT', `${WEB}/sites/nosuch/slots/staging?api-version=2025-05-01`, JSON.stringify({ location: 'westeurope' }));
    expect(orphan.status).toBe(404);
    expect(orphan.json()).toMatchObject({ error: { code: 'ParentResourceNotFound' } });
  });

  it('a missing site is 404 ResourceNotFound as a RestError', async () => {
    await expect(client.webApps.get(RG, 'nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });

  it('deletes a site and its children', async () => {
    await client.webApps.delete(RG, 'app2');
    await expect(client.webApps.get(RG, 'app2')).rejects.toMatchObject({ statusCode: 404 });
    expect(sim.store.get(`${WEB}/sites/app2/config/web`)).toBeUndefined();
  });
});
