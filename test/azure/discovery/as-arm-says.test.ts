/**
 * Discovery checked against ARM itself: every app and plan it reports is as the SDK reads it; a subscription named
 * twice is read once; a peer VNet that is gone and a regional-only app are facts, not failures; an api-version
 * before outboundVnetRouting takes application routing from config/web. Each test runs its own discovery on the
 * demo world as seeded (the simulator is reset before each).
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { clientOptions, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { auditOf, clientsForPrincipal, demoWorldForEachTest } from './support.js';

const { prod: PROD, shared: SHARED } = DEMO_SUBSCRIPTIONS;
const vnet = (sub: string, rg: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;
const APPS_WE = vnet(PROD, 'rg-network-we', 'vnet-apps-we');
const SHARED_WE = vnet(SHARED, 'rg-network-we', 'vnet-shared-we');
const LINUX_REGIONAL = `/subscriptions/${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/sites/linux-regional-we`;
const LINUX_PUBLIC = `/subscriptions/${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/sites/linux-public-we`;

describe('discovery as ARM says', () => {
  const world = demoWorldForEachTest();

  it('reports every app and plan of a subscription as the SDK reads them', async () => {
    const started = performance.now();
    const found = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'prod') });
    const wall = performance.now() - started;
    expect(found.stats.durationInMs).toBeGreaterThan(0);
    expect(found.stats.durationInMs).toBeLessThanOrEqual(Math.ceil(wall));

    const web = new WebSiteManagementClient(staticCredential('check'), PROD, clientOptions(world.sim));
    const sites = [];
    for await (const site of web.webApps.list()) {
      sites.push(site);
      for await (const slot of web.webApps.listSlots(site.resourceGroup!, site.name!)) sites.push(slot);
    }
    expect(found.inventory.apps.map((a) => a.id).sort()).toEqual(sites.map((s) => s.id!).sort());
    for (const site of sites) {
      const app = found.inventory.apps.find((a) => a.id === site.id)!;
      expect(app, site.id).toMatchObject({ kind: site.kind, reserved: site.reserved, hyperV: site.hyperV, location: site.location, planId: site.serverFarmId });
      const discovered = found.apps.find((a) => a.appId === site.id)!;
      expect(discovered.hostName).toBe(site.defaultHostName);
      expect(discovered.tags).toEqual(site.tags ?? {});
    }
    for (const plan of found.inventory.plans) {
      const [, , , , rg, , , , name] = plan.id.split('/');
      const read = await web.appServicePlans.get(rg!, name!);
      expect(plan, plan.id).toMatchObject({ location: read.location, sku: { name: read.sku?.name, tier: read.sku?.tier }, maximumNumberOfWorkers: read.maximumNumberOfWorkers });
    }
  });

  it('reads a subscription named twice (in two cases) once', async () => {
    const once = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'once') });
    const twice = await discoverFleet({ subscriptionIds: [PROD, PROD.toUpperCase()] }, { clientsFor: clientsForPrincipal(world.sim, 'twice') });
    expect(twice.inventory).toEqual(once.inventory);
    const siteListPages = async (principal: string): Promise<number> =>
      (await auditOf(world.sim, principal, { method: 'GET', path: '/providers/Microsoft.Web/sites' })).filter((r) => /\/subscriptions\/[^/]+\/providers\/microsoft\.web\/sites$/i.test(r.path)).length;
    expect(await siteListPages('once')).toBeGreaterThan(0);
    expect(await siteListPages('twice')).toBe(await siteListPages('once'));
  });

  it('a peered VNet that is gone is left out, and discovery still answers', async () => {
    const network = new NetworkManagementClient(staticCredential('admin'), SHARED, clientOptions(world.sim));
    await network.virtualNetworks.beginDeleteAndWait('rg-network-we', 'vnet-shared-we', { updateIntervalInMs: 10 });
    const found = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'after-delete') });
    expect(found.inventory.virtualNetworks.map((v) => v.id)).toContain(APPS_WE);
    expect(found.inventory.virtualNetworks.map((v) => v.id)).not.toContain(SHARED_WE);
    expect(found.peerings.filter((p) => p.vnetId === APPS_WE).map((p) => p.remoteVnetId)).toContain(SHARED_WE);
    const reads = await auditOf(world.sim, 'after-delete', { method: 'GET' });
    expect(reads.find((r) => r.path.toLowerCase() === SHARED_WE.toLowerCase())?.status).toBe(404);
    // A VNet the subscription's list returned is not read again by id.
    expect(reads.filter((r) => r.path.toLowerCase() === APPS_WE.toLowerCase())).toEqual([]);
    // Discovery counts what it sent: each GET (the 404 included) as a read, each settings list as a POST.
    expect(found.stats.armReads).toBe(reads.length);
    expect(found.stats.armPosts).toBe((await auditOf(world.sim, 'after-delete', { method: 'POST' })).length);
  });

  it('a VNet of the scope peered to a gateway VNet is a target even when the gateway VNet has no peering back (Initiated)', async () => {
    const network = new NetworkManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    const oneSided = await network.virtualNetworks.beginCreateOrUpdateAndWait('rg-network-we', 'vnet-one-sided-we', { location: 'westeurope', addressSpace: { addressPrefixes: ['10.251.0.0/16'] } }, { updateIntervalInMs: 10 });
    // Two peerings, one of them to the gateway VNet: one is enough to make it a target.
    const side = await network.virtualNetworks.beginCreateOrUpdateAndWait('rg-network-we', 'vnet-side-we', { location: 'westeurope', addressSpace: { addressPrefixes: ['10.252.0.0/16'] } }, { updateIntervalInMs: 10 });
    for (const [name, remote] of [['to-side', side.id!], ['to-apps', APPS_WE]] as const) {
      await network.virtualNetworkPeerings.beginCreateOrUpdateAndWait('rg-network-we', 'vnet-one-sided-we', name, { remoteVirtualNetwork: { id: remote }, allowVirtualNetworkAccess: true }, { updateIntervalInMs: 10 });
    }
    const appsWe = await network.virtualNetworks.get('rg-network-we', 'vnet-apps-we');
    expect((appsWe.virtualNetworkPeerings ?? []).map((p) => p.remoteVirtualNetwork?.id?.toLowerCase())).not.toContain(oneSided.id?.toLowerCase());
    const found = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'one-sided') });
    expect(found.inventory.virtualNetworks.map((v) => v.id.toLowerCase())).toContain(oneSided.id?.toLowerCase());
    expect(found.peerings.filter((p) => p.vnetId.toLowerCase() === oneSided.id?.toLowerCase()).map((p) => p.remoteVnetId).sort()).toEqual([APPS_WE, side.id].sort());
  });

  it('a Windows container app is reported as Hyper-V, as ARM says', async () => {
    const container = `/subscriptions/${SHARED}/resourceGroups/rg-apps-we/providers/Microsoft.Web/sites/legacy-container-we`;
    const read = await new WebSiteManagementClient(staticCredential('admin'), SHARED, clientOptions(world.sim)).webApps.get('rg-apps-we', 'legacy-container-we');
    expect(read.hyperV).toBe(true);
    const found = await discoverFleet({ subscriptionIds: [SHARED], appIds: [container] }, { clientsFor: clientsForPrincipal(world.sim, 'container') });
    expect(found.inventory.apps).toMatchObject([{ id: container, hyperV: true }]);
  });

  it("a VPN gateway's point-to-site configuration is reported as ARM has it", async () => {
    const network = new NetworkManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    const before = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'p2s-before') });
    const [gateway] = before.gateways;
    expect(gateway?.pointToSite).toBe(true);
    const [, , , , rg, , , , name] = gateway!.id.split('/');
    const current = await network.virtualNetworkGateways.get(rg!, name!);
    await network.virtualNetworkGateways.beginCreateOrUpdateAndWait(rg!, name!, { ...current, vpnClientConfiguration: undefined }, { updateIntervalInMs: 10 });
    expect((await network.virtualNetworkGateways.get(rg!, name!)).vpnClientConfiguration).toBeUndefined();
    const after = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'p2s-after') });
    expect(after.gateways.find((g) => g.id === gateway!.id)?.pointToSite).toBe(false);
    expect(after.gateways.filter((g) => g.id !== gateway!.id).map((g) => g.pointToSite)).toEqual(before.gateways.slice(1).map(() => true));
    // A configuration answered as null (ARM answers null for some absent properties; the simulator keeps a null written) is none either.
    await network.virtualNetworkGateways.beginCreateOrUpdateAndWait(rg!, name!, { ...current, vpnClientConfiguration: null as unknown as undefined }, { updateIntervalInMs: 10 });
    expect((await network.virtualNetworkGateways.get(rg!, name!)).vpnClientConfiguration).toBeNull();
    const nulled = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'p2s-null') });
    expect(nulled.gateways.find((g) => g.id === gateway!.id)?.pointToSite).toBe(false);
  });

  it('an app with no VNet integration needs no network read at all', async () => {
    const found = await discoverFleet({ subscriptionIds: [PROD], appIds: [LINUX_PUBLIC] }, { clientsFor: clientsForPrincipal(world.sim, 'public') });
    expect(found.inventory.apps.map((a) => a.id)).toEqual([LINUX_PUBLIC]);
    expect(found.inventory.virtualNetworks).toEqual([]);
    expect(found.inventory.networkSecurityGroups).toEqual([]);
    expect(found.peerings).toEqual([]);
    expect(found.gateways).toEqual([]);
    expect(await auditOf(world.sim, 'public', { path: '/providers/Microsoft.Network/' })).toEqual([]);
  });

  it("a plan's elastic maximum is reported when ARM gives one of at least 1", async () => {
    const before = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'before') });
    const [elastic, other, single] = before.inventory.plans;
    expect(single).toBeDefined();
    const web = new WebSiteManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    for (const [planId, count] of [[elastic!.id, 20], [other!.id, 0], [single!.id, 1]] as const) {
      const [, , , , rg, , , , name] = planId.split('/');
      const current = await web.appServicePlans.get(rg!, name!);
      await web.appServicePlans.beginCreateOrUpdateAndWait(rg!, name!, { ...current, maximumElasticWorkerCount: count }, { updateIntervalInMs: 10 });
    }
    const after = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'after') });
    expect(after.inventory.plans.find((p) => p.id === elastic!.id)?.maximumElasticWorkerCount).toBe(20);
    expect(after.inventory.plans.find((p) => p.id === other!.id)).not.toHaveProperty('maximumElasticWorkerCount');
    expect(after.inventory.plans.find((p) => p.id === single!.id)?.maximumElasticWorkerCount).toBe(1);
    expect(before.inventory.plans.every((p) => !('maximumElasticWorkerCount' in p))).toBe(true);
  });

  it("a slot's VNet connections are its own, not its site's", async () => {
    const web = new WebSiteManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    const connections = await web.webApps.listVnetConnectionsSlot('rg-web-we', 'shop-web-we', 'staging');
    expect(connections.length).toBeGreaterThan(0);
    for (const c of connections) await web.webApps.deleteVnetConnectionSlot('rg-web-we', 'shop-web-we', c.name!, 'staging');
    const found = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'slot') });
    const site = found.inventory.apps.find((a) => a.id.endsWith('/sites/shop-web-we'))!;
    const slot = found.inventory.apps.find((a) => a.id.endsWith('/sites/shop-web-we/slots/staging'))!;
    expect(site.gatewayConnections.map((c) => c.vnetId)).toEqual([APPS_WE]);
    expect(slot.gatewayConnections).toEqual([]);
  });

  it("an app with regional integration only: its subnet's VNet is read, but no NSG (it is no target)", async () => {
    const found = await discoverFleet({ subscriptionIds: [PROD], appIds: [LINUX_REGIONAL] }, { clientsFor: clientsForPrincipal(world.sim, 'regional') });
    expect(found.inventory.apps.map((a) => a.id)).toEqual([LINUX_REGIONAL]);
    // Its regional connection is listed among its VNet connections, and is no gateway connection.
    expect(found.inventory.apps[0]).toMatchObject({ gatewayConnections: [], regionalSubnetId: expect.stringContaining('/subnets/') as unknown });
    expect(found.inventory.virtualNetworks.map((v) => v.id)).toEqual([APPS_WE]);
    expect(found.inventory.virtualNetworks[0]?.subnets?.some((s) => s.networkSecurityGroupId !== null)).toBe(true);
    expect(found.inventory.networkSecurityGroups).toEqual([]);
    expect(found.gateways).toEqual([]);
    expect(found.peerings.map((p) => p.vnetId)).toEqual(found.peerings.map(() => APPS_WE));
  });

  it('with an api-version before outboundVnetRouting, application routing comes from config/web, read for gateway apps only', async () => {
    await new WebSiteManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim)).webApps.updateConfiguration('rg-web-we', 'shop-api-we', { vnetRouteAllEnabled: true });
    const flat = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'flat', { webApiVersion: '2024-04-01' }) });
    const current = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'current') });
    const gatewayApps = flat.inventory.apps.filter((a) => a.gatewayConnections.length > 0).map((a) => a.id.toLowerCase());
    const configReads = (await auditOf(world.sim, 'flat', { method: 'GET', path: '/config/web' })).map((r) => r.path.replace(/\/config\/web$/i, '').toLowerCase());
    expect(configReads.sort()).toEqual([...gatewayApps].sort());
    for (const app of flat.apps) {
      const now = current.apps.find((a) => a.appId === app.appId)!;
      const gateway = gatewayApps.includes(app.appId.toLowerCase());
      expect(app.routing, app.appId).toEqual({
        allTraffic: false,
        applicationTraffic: gateway ? now.routing.applicationTraffic : false,
        contentShareTraffic: false,
        imagePullTraffic: false,
        backupRestoreTraffic: false,
      });
    }
    expect(flat.apps.some((a) => a.routing.applicationTraffic)).toBe(true);
  });
});
