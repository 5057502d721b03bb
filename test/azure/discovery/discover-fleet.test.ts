/**
 * Fleet discovery against the simulator's demo fleet (3 subscriptions, 63 sites and 3 slots): what it reads, what
 * it does not read, and that the same fleet always yields the same answer. Each test runs its own discovery on the
 * world as seeded (the simulator is reset before each): a discovery in a beforeAll would run before Stryker turns a
 * mutant on, and no test would then see the mutant (docs/mutation.md).
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import type { FleetDiscovery } from '../../../src/azure/discovery/fleet-discovery.js';
import { parseInventory } from '../../../src/domain/inventory.js';
import { compareResourceIds, resourceIdKey } from '../../../src/domain/resource-id.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { clientOptions, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { appOfSettingsPost, auditOf, clientsForPrincipal, demoWorldForEachTest } from './support.js';

const { prod: PROD, corp: CORP, shared: SHARED } = DEMO_SUBSCRIPTIONS;
const ALL = [PROD, CORP, SHARED];
const vnet = (sub: string, rg: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;
const short = (id: string): string => id.split('/providers/')[1] ?? id;

describe('discoverFleet on the demo fleet', () => {
  const world = demoWorldForEachTest();
  /** The three subscriptions, discovered as the principal 'whole' (the audit log tells its requests apart). */
  const discoverWhole = (): Promise<FleetDiscovery> => discoverFleet({ subscriptionIds: ALL }, { clientsFor: clientsForPrincipal(world.sim, 'whole') });

  it('finds every site and slot of the three subscriptions, each slot an app of its own listed by its site', async () => {
    const whole = await discoverWhole();
    expect(whole.inventory.apps).toHaveLength(66);
    expect(whole.apps.map((a) => a.appId)).toEqual(whole.inventory.apps.map((a) => a.id));
    const shopWeb = whole.inventory.apps.find((a) => a.id.endsWith('/sites/shop-web-we'));
    expect(shopWeb?.slots).toEqual([`${shopWeb?.id ?? ''}/slots/staging`]);
    const slot = whole.inventory.apps.find((a) => a.id.endsWith('/sites/shop-web-we/slots/staging'));
    expect(slot).toMatchObject({ slots: [], gatewayConnections: [{ vnetId: vnet(PROD, 'rg-network-we', 'vnet-apps-we') }] });
    expect(whole.apps.find((a) => a.appId === slot?.id)).toMatchObject({ hostName: 'shop-web-we-staging.azurewebsites.net', scmHostName: 'shop-web-we-staging.scm.azurewebsites.net' });
    // The result is what the planner accepts as is.
    expect(parseInventory(JSON.parse(JSON.stringify(whole.inventory)))).toEqual(whole.inventory);
  });

  it('answers every list sorted by resource id, whatever order ARM and the parallel reads gave', async () => {
    const sorted = (ids: readonly string[]): string[] => [...ids].sort(compareResourceIds);
    // A peer that sorts before the gateway VNet it peers with (its subscription's id is lower): read after it, with
    // its own peering and an NSG on its subnet, which then also come after the gateway VNet's unless sorted.
    const network = new NetworkManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    const nsg = await network.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-aaa', 'nsg-aaa', { location: 'westeurope' }, { updateIntervalInMs: 10 });
    const early = await network.virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-aaa', 'vnet-aaa',
      { location: 'westeurope', addressSpace: { addressPrefixes: ['10.250.0.0/16'] }, subnets: [{ name: 'snet-aaa', addressPrefix: '10.250.0.0/24', networkSecurityGroup: { id: nsg.id! } }] },
      { updateIntervalInMs: 10 },
    );
    const corpWe = vnet(CORP, 'rg-network-we', 'vnet-corp-we');
    await new NetworkManagementClient(staticCredential('admin'), CORP, clientOptions(world.sim)).virtualNetworkPeerings.beginCreateOrUpdateAndWait(
      'rg-network-we', 'vnet-corp-we', 'to-aaa', { remoteVirtualNetwork: { id: early.id! }, allowVirtualNetworkAccess: true }, { updateIntervalInMs: 10 });
    await network.virtualNetworkPeerings.beginCreateOrUpdateAndWait('rg-aaa', 'vnet-aaa', 'to-corp', { remoteVirtualNetwork: { id: corpWe }, allowVirtualNetworkAccess: true }, { updateIntervalInMs: 10 });
    for (const scope of [ALL, [CORP]]) {
      const found = await discoverFleet({ subscriptionIds: scope }, { clientsFor: clientsForPrincipal(world.sim, 'sorted') });
      const lists: Record<string, readonly string[]> = {
        apps: found.inventory.apps.map((a) => a.id),
        plans: found.inventory.plans.map((p) => p.id),
        virtualNetworks: found.inventory.virtualNetworks.map((v) => v.id),
        networkSecurityGroups: found.inventory.networkSecurityGroups.map((n) => n.id),
        peerings: found.peerings.map((p) => p.id),
        gateways: found.gateways.map((g) => g.id),
      };
      for (const [name, ids] of Object.entries(lists)) expect(ids, `${name} of ${scope.join(',')}`).toEqual(sorted(ids));
      for (const [name, ids] of Object.entries(lists)) expect(ids.length, name).toBeGreaterThan(1);
      expect(lists['virtualNetworks']).toContain(early.id);
      expect(lists['networkSecurityGroups']).toContain(nsg.id);
      expect(lists['peerings']).toContain(`${early.id!}/virtualNetworkPeerings/to-corp`);
    }
  });

  it('keeps setting names and the legacy routing values only, and the routing switches from the site', async () => {
    const whole = await discoverWhole();
    const basket = whole.inventory.apps.find((a) => a.id.endsWith('/sites/basket-api-we'));
    expect(basket?.appSettingNames).toEqual(['APP_ENV', 'DB_HOST', 'WEBSITE_CONTENTOVERVNET', 'WEBSITE_VNET_ROUTE_ALL']);
    expect(basket?.routingSettings).toEqual({ WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '1' });
    // No other value travels: the demo's APP_ENV is production/staging, DB_HOST a contoso.example host.
    const text = JSON.stringify(whole);
    expect(['"production"', '"staging"', 'contoso.example'].filter((value) => text.includes(value))).toEqual([]);
    const linux = whole.apps.find((a) => a.appId.endsWith('/sites/linux-regional-we'));
    expect(linux?.routing).toMatchObject({ applicationTraffic: true, allTraffic: false });
    const linuxApp = whole.inventory.apps.find((a) => a.id === linux?.appId);
    expect(linuxApp?.regionalSubnetId).toBe(`${vnet(PROD, 'rg-network-we', 'vnet-apps-we')}/subnets/snet-integration-linux`);
  });

  it('reads app settings (a POST, charged to the write bucket) only for apps with a gateway-based connection', async () => {
    const whole = await discoverWhole();
    const posts = await auditOf(world.sim, 'whole', { method: 'POST' });
    const gatewayApps = whole.inventory.apps.filter((a) => a.gatewayConnections.length > 0).map((a) => a.id.toLowerCase());
    const others = whole.inventory.apps.filter((a) => a.gatewayConnections.length === 0).map((a) => a.id.toLowerCase());
    expect(others.length).toBeGreaterThan(5);
    expect(posts.every((p) => /\/config\/appsettings\/list$/i.test(p.path))).toBe(true);
    expect(posts.map((p) => appOfSettingsPost(p.path)).sort()).toEqual([...gatewayApps].sort());
    expect(whole.stats.armPosts).toBe(gatewayApps.length);
    const reads = await auditOf(world.sim, 'whole', { method: 'GET' });
    expect(whole.stats.armReads).toBe(reads.length);
    expect(reads.some((r) => /\/config\/web$/i.test(r.path))).toBe(false); // the site carries outboundVnetRouting
  });

  it('reads the plans with one list per subscription, none of them again by id', async () => {
    const whole = await discoverWhole();
    const planReads = (await auditOf(world.sim, 'whole', { method: 'GET', path: '/serverfarms' })).map((r) => r.path.toLowerCase());
    expect(planReads.filter((p) => p.endsWith('/microsoft.web/serverfarms'))).toHaveLength(ALL.length);
    expect(planReads.filter((p) => /\/serverfarms\/[^/]+$/.test(p))).toEqual([]);
    expect(whole.inventory.plans.length).toBeGreaterThan(ALL.length);
  });

  it('reads plan routes only for the gateway VNets of apps on the plan, INHERITED routes included', async () => {
    const whole = await discoverWhole();
    const routeReads = (await auditOf(world.sim, 'whole', { method: 'GET', path: '/routes' })).map((r) => r.path.toLowerCase());
    expect(routeReads.some((p) => p.includes('/serverfarms/plan-linux-we/'))).toBe(false);
    expect(routeReads.some((p) => p.includes('/serverfarms/plan-free-we/'))).toBe(false);
    const plan = whole.inventory.plans.find((p) => p.id.endsWith('/serverfarms/plan-web-we-1'));
    expect(plan?.vnetRoutes).toEqual([
      { vnetId: vnet(PROD, 'rg-network-we', 'vnet-apps-we'), routes: expect.arrayContaining([expect.objectContaining({ startAddress: '100.72.0.0', routeType: 'INHERITED' })]) as unknown },
    ]);
    expect(whole.inventory.plans.find((p) => p.id.endsWith('/serverfarms/plan-linux-we'))?.vnetRoutes).toEqual([]);
  });

  it('finds the VPN gateway of every gateway VNet with its SKU and point-to-site configuration', async () => {
    const whole = await discoverWhole();
    const gatewayVnets = new Set(whole.inventory.apps.flatMap((a) => a.gatewayConnections.map((c) => resourceIdKey(c.vnetId))));
    expect(whole.gateways.map((g) => resourceIdKey(g.vnetId)).sort()).toEqual([...gatewayVnets].sort());
    expect(whole.gateways.find((g) => g.vnetId === vnet(PROD, 'rg-network-we', 'vnet-apps-we'))).toEqual({
      id: `/subscriptions/${PROD}/resourceGroups/rg-network-we/providers/Microsoft.Network/virtualNetworkGateways/gw-vnet-apps-we`,
      vnetId: vnet(PROD, 'rg-network-we', 'vnet-apps-we'),
      location: 'westeurope',
      sku: { name: 'VpnGw1', tier: 'VpnGw1' },
      pointToSite: true,
    });
  });

  it('reads peerings with their gateway transit flags, and the peered VNets with their NSGs', async () => {
    const whole = await discoverWhole();
    expect(whole.peerings.find((p) => p.vnetId === vnet(PROD, 'rg-network-we', 'vnet-apps-we') && p.remoteVnetId === vnet(SHARED, 'rg-network-we', 'vnet-shared-we'))).toMatchObject({
      state: 'Connected', allowGatewayTransit: true, useRemoteGateways: false,
    });
    expect(whole.peerings.find((p) => p.vnetId === vnet(SHARED, 'rg-network-we', 'vnet-shared-we') && p.remoteVnetId === vnet(PROD, 'rg-network-we', 'vnet-apps-we'))).toMatchObject({
      useRemoteGateways: true,
    });
    expect(whole.inventory.virtualNetworks.map((v) => short(v.id))).toContain('Microsoft.Network/virtualNetworks/vnet-shared-we');
    const nsgIds = whole.inventory.virtualNetworks.flatMap((v) => v.subnets.flatMap((s) => (s.networkSecurityGroupId === null ? [] : [resourceIdKey(s.networkSecurityGroupId)])));
    expect(whole.inventory.networkSecurityGroups.map((n) => resourceIdKey(n.id)).sort()).toEqual([...new Set(nsgIds)].sort());
  });

  it('reads a VNet in a subscription outside the scope by id, with that subscription\'s clients', async () => {
    // hr-*-ne (prod) reach vnet-corp-we (corp) through the gateway; vnet-apps-we (prod) is peered with vnet-shared-we.
    const prodOnly = await discoverFleet({ subscriptionIds: [PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'prod-only') });
    const ids = prodOnly.inventory.virtualNetworks.map((v) => v.id);
    expect(ids).toContain(vnet(CORP, 'rg-network-we', 'vnet-corp-we'));
    expect(ids).toContain(vnet(SHARED, 'rg-network-we', 'vnet-shared-we'));
    expect(prodOnly.gateways.map((g) => g.vnetId)).toContain(vnet(CORP, 'rg-network-we', 'vnet-corp-we'));
    const reads = await auditOf(world.sim, 'prod-only', { method: 'GET' });
    expect(reads.some((r) => r.path.toLowerCase() === vnet(CORP, 'rg-network-we', 'vnet-corp-we').toLowerCase())).toBe(true);
    expect(reads.some((r) => r.path.toLowerCase() === `/subscriptions/${CORP}/providers/microsoft.web/sites`)).toBe(false);
    expect(prodOnly.inventory.apps.every((a) => a.id.startsWith(`/subscriptions/${PROD}/`))).toBe(true);
  });

  it('answers the same inventory, apps, gateways and peerings when it reads the unchanged fleet again', async () => {
    const whole = await discoverWhole();
    const again = await discoverFleet({ subscriptionIds: [SHARED, CORP, PROD] }, { clientsFor: clientsForPrincipal(world.sim, 'again'), concurrency: 3 });
    expect({ ...again, stats: undefined }).toEqual({ ...whole, stats: undefined });
    expect(JSON.stringify(again.inventory)).toBe(JSON.stringify(whole.inventory));
  });
});
