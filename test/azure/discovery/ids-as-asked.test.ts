/**
 * The plan and gateway reads of discovery asked directly, with ids as a caller may spell them: ARM's ids are
 * case-insensitive, so a resource group or a plan named in another case is the same resource, read once and reported
 * as ARM spells it; and answers come in id order whatever order they were asked in (the inventory must not depend on
 * the order apps were listed). Runs on the demo world as seeded (the simulator is reset before each test).
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { describe, expect, it } from 'vitest';
import { ArmReader } from '../../../src/azure/discovery/arm-reader.js';
import { discoverFleet } from '../../../src/azure/discovery/discover-fleet.js';
import { discoverPlans } from '../../../src/azure/discovery/plan-discovery.js';
import { discoverVpnGateways } from '../../../src/azure/discovery/vpn-gateway-discovery.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { clientOptions, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { auditOf, clientsForPrincipal, demoWorldForEachTest } from './support.js';

const { prod: PROD, corp: CORP } = DEMO_SUBSCRIPTIONS;
const corpVnet = (rg: string, name: string): string => `/subscriptions/${CORP}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;
// plan-limit-we's three apps reach three gateway VNets of one resource group, each VNet with its own VPN gateway.
const PLAN_LIMIT = `/subscriptions/${CORP}/resourceGroups/rg-corp-we/providers/Microsoft.Web/serverfarms/plan-limit-we`;
const CORP_WE = corpVnet('rg-network-we', 'vnet-corp-we');
const LEGACY_WE = corpVnet('rg-network-we', 'vnet-legacy-we');
const PARTNER_WE = corpVnet('rg-network-we', 'vnet-partner-we');

function newReader(): ArmReader {
  return new ArmReader({ perSubscription: 4, total: 8 }, undefined);
}

describe('discovery reads ids as ARM does: any case, any order', () => {
  const world = demoWorldForEachTest();

  it("a plan's VNet routes come in VNet id order, whatever order its gateway VNets are asked in", async () => {
    const asked = [PARTNER_WE, CORP_WE, LEGACY_WE];
    const [plan] = await discoverPlans(newReader(), clientsForPrincipal(world.sim, 'routes'), [{ id: PLAN_LIMIT, gatewayVnetIds: asked }]);
    expect(plan?.vnetRoutes?.map((r) => r.vnetId)).toEqual([CORP_WE, LEGACY_WE, PARTNER_WE]);
    // One routes read per VNet, each for its own VNet.
    const reads = await auditOf(world.sim, 'routes', { method: 'GET', path: '/routes' });
    expect(reads.map((r) => decodeURIComponent(r.path).split('/virtualNetworkConnections/')[1]?.split('/')[0]).sort()).toEqual(['vnet-corp-we', 'vnet-legacy-we', 'vnet-partner-we']);
  });

  it("a plan asked for in another case is the same plan, reported with ARM's spelling of its id", async () => {
    const shouted = PLAN_LIMIT.replace('rg-corp-we', 'RG-CORP-WE').replace('plan-limit-we', 'PLAN-LIMIT-WE');
    const [plan] = await discoverPlans(newReader(), clientsForPrincipal(world.sim, 'case'), [{ id: shouted, gatewayVnetIds: [] }]);
    const read = await new WebSiteManagementClient(staticCredential('admin'), CORP, clientOptions(world.sim)).appServicePlans.get('rg-corp-we', 'plan-limit-we');
    expect(read.id).toBe(PLAN_LIMIT);
    expect(plan?.id).toBe(PLAN_LIMIT);
    // Found in the subscription's list, not read again by id.
    expect((await auditOf(world.sim, 'case', { method: 'GET', path: '/serverfarms/' })).map((r) => r.path)).toEqual([]);
  });

  it('the VPN gateways of one resource group are listed once, whatever case its name has in the VNet ids, and answered in id order', async () => {
    const legacyShouted = LEGACY_WE.replace('rg-network-we', 'RG-Network-WE');
    // Asked in reverse order: the answer still comes in gateway id order.
    const gateways = await discoverVpnGateways(newReader(), clientsForPrincipal(world.sim, 'gateways'), [legacyShouted, CORP_WE]);
    expect(gateways.map((g) => g.id.split('/').pop())).toEqual(['gw-vnet-corp-we', 'gw-vnet-legacy-we']);
    expect(gateways.map((g) => g.vnetId)).toEqual([CORP_WE, legacyShouted]);
    const lists = await auditOf(world.sim, 'gateways', { method: 'GET', path: '/virtualNetworkGateways' });
    expect(lists).toHaveLength(1);
  });

  it("a site's slots are reported in id order, whatever order ARM lists them in", async () => {
    const web = new WebSiteManagementClient(staticCredential('admin'), PROD, clientOptions(world.sim));
    const site = await web.webApps.get('rg-web-we', 'shop-web-we');
    // The simulator lists slots in creation order: the seeded 'staging' first, then this one, which sorts before it.
    await web.webApps.beginCreateOrUpdateSlotAndWait('rg-web-we', 'shop-web-we', 'alpha', { location: site.location, serverFarmId: site.serverFarmId }, { updateIntervalInMs: 10 });
    const listed: string[] = [];
    for await (const slot of web.webApps.listSlots('rg-web-we', 'shop-web-we')) listed.push(slot.name ?? '');
    expect(listed).toEqual(['shop-web-we/staging', 'shop-web-we/alpha']);
    const found = await discoverFleet({ subscriptionIds: [PROD], appIds: [site.id!] }, { clientsFor: clientsForPrincipal(world.sim, 'slots') });
    expect(found.inventory.apps.find((a) => a.id === site.id)?.slots).toEqual([`${site.id}/slots/alpha`, `${site.id}/slots/staging`]);
  });
});
