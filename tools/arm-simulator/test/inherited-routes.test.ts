/**
 * A gateway-based connection shows the routes it inherits from its VNet's gateway (routeType INHERITED, VnetRoute in
 * arm-appservice 19.x): the on-premises networks behind that gateway. Without them a migration reading ARM cannot see
 * that orders-legacy-we reached its mainframe (100.72.0.0/16, outside RFC 1918) through the tunnel, and plans it
 * without application routing; found by test/cross-check/plan-against-simulator.test.ts.
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { DEMO_SUBSCRIPTIONS } from '../src/scenario/demo.js';
import { clientOptions, rawRequest, startTestSimulator, staticCredential } from '../src/testing.js';

describe('routes a gateway-based connection inherits from its gateway', () => {
  let sim: SimulatorHandle;
  let prod: WebSiteManagementClient;
  let corp: WebSiteManagementClient;

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', pageSize: 100 });
    prod = new WebSiteManagementClient(staticCredential(), DEMO_SUBSCRIPTIONS.prod, clientOptions(sim));
    corp = new WebSiteManagementClient(staticCredential(), DEMO_SUBSCRIPTIONS.corp, clientOptions(sim));
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('lists the on-premises networks behind the gateway as INHERITED routes on the site connection', async () => {
    const connection = await prod.webApps.getVnetConnection('rg-web-we', 'orders-legacy-we', 'vnet-apps-we');
    expect(connection.routes?.map((r) => [r.startAddress, r.endAddress, r.routeType])).toEqual([
      ['192.168.0.0', '192.168.15.255', 'INHERITED'],
      ['100.72.0.0', '100.72.255.255', 'INHERITED'],
    ]);
    const listed = await prod.webApps.listVnetConnections('rg-web-we', 'orders-legacy-we');
    expect(listed[0]?.routes).toHaveLength(2);
  });

  it('shows the same routes on the plan view and on slots', async () => {
    const planRoutes = await prod.appServicePlans.listRoutesForVnet('rg-web-we', 'plan-web-we-1', 'vnet-apps-we');
    expect(planRoutes.map((r) => r.startAddress)).toEqual(['192.168.0.0', '100.72.0.0']);
    const slot = await prod.webApps.listVnetConnectionsSlot('rg-web-we', 'shop-web-we', 'staging');
    expect(slot[0]?.routes?.map((r) => r.startAddress)).toEqual(['192.168.0.0', '100.72.0.0']);
  });

  it('a VNet whose gateway has no on-premises network gives no inherited routes; the own routes come first, as STATIC', async () => {
    expect((await corp.webApps.getVnetConnection('rg-corp-we', 'bridge-b-we', 'vnet-partner-we')).routes).toEqual([]);
    // Own routes (routes is read-only in the SDK model, so set raw) come first and are typed STATIC; on a VNet whose
    // gateway has on-premises networks the inherited ones follow, rendered at read time.
    const path = (sub: string, rg: string, site: string, vnet: string): string =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${site}/virtualNetworkConnections/${vnet}?api-version=2025-05-01`;
    const body = JSON.stringify({ properties: { routes: [{ startAddress: '10.99.0.0', endAddress: '10.99.0.255' }] } });
    expect((await rawRequest(sim, 'PATCH', path(DEMO_SUBSCRIPTIONS.corp, 'rg-corp-we', 'bridge-b-we', 'vnet-partner-we'), body)).status).toBe(200);
    const own = (await corp.webApps.getVnetConnection('rg-corp-we', 'bridge-b-we', 'vnet-partner-we')).routes ?? [];
    expect(own.map((r) => [r.startAddress, r.routeType])).toEqual([['10.99.0.0', 'STATIC']]);
    expect((await rawRequest(sim, 'PATCH', path(DEMO_SUBSCRIPTIONS.prod, 'rg-web-we', 'shop-api-we', 'vnet-apps-we'), body)).status).toBe(200);
    const mixed = (await prod.webApps.getVnetConnection('rg-web-we', 'shop-api-we', 'vnet-apps-we')).routes ?? [];
    expect(mixed.map((r) => [r.startAddress, r.routeType])).toEqual([['10.99.0.0', 'STATIC'], ['192.168.0.0', 'INHERITED'], ['100.72.0.0', 'INHERITED']]);
  });
});
