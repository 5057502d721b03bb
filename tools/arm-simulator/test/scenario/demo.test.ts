import { describe, expect, it } from 'vitest';
import { demoScenario, DEMO_SUBSCRIPTIONS } from '../../src/scenario/demo.js';
import { parseScenario } from '../../src/scenario/schema.js';
import { createVerificationWorld } from '../../src/world/reachability.js';
import { worldViewFromScenario } from '../../src/world/from-scenario.js';
import type { SiteView, WorldView } from '../../src/world/view.js';
import { addressProblems, danglingReferences, ofType } from './fleet-checks.js';

const demo = demoScenario();
const sites = ofType(demo, 'Microsoft.Web/sites');
const byName = (name: string) => sites.find((s) => s.id.endsWith(`/sites/${name}`));
const T = Date.UTC(2026, 0, 1);

describe('demo scenario', () => {
  it('passes the schema, has 63 apps over 3 subscriptions and 2 regions', () => {
    expect(parseScenario(JSON.parse(JSON.stringify(demo)))).toEqual(demo);
    expect(sites).toHaveLength(63);
    expect(new Set(sites.map((s) => s.id.split('/')[2]))).toEqual(new Set(Object.values(DEMO_SUBSCRIPTIONS)));
    expect(new Set(sites.map((s) => s.body.location))).toEqual(new Set(['westeurope', 'northeurope']));
  });

  it('has sound address math and no dangling references, in dependency order', () => {
    expect(addressProblems(demo)).toEqual([]);
    expect(danglingReferences(demo)).toEqual([]);
  });

  it('covers the eligibility cases', () => {
    const connections = demo.resources.filter((r) => /\/virtualNetworkConnections\//i.test(r.id));
    const gatewayApps = new Set(connections.map((c) => c.id.replace(/\/virtualNetworkConnections\/.*$/i, '')));
    expect(gatewayApps.size).toBeGreaterThan(30);
    expect(ofType(demo, 'Microsoft.Web/sites/slots')).toHaveLength(3);
    expect(byName('linux-regional-we')?.body).toMatchObject({ kind: 'app,linux', properties: { virtualNetworkSubnetId: expect.stringMatching(/snet-integration-linux$/) as unknown } });
    expect(byName('legacy-container-we')?.body).toMatchObject({ kind: 'app,container,windows' });
    const skus = ofType(demo, 'Microsoft.Web/serverfarms').map((p) => (p.body as { sku: { tier: string } }).sku.tier);
    expect(skus).toEqual(expect.arrayContaining(['Free', 'Shared', 'IsolatedV2', 'Basic', 'Standard', 'PremiumV3']));
    // App Service connects an app to one gateway VNet at a time: no app (or slot) has two connections.
    const perApp = new Map<string, number>();
    for (const c of connections) perApp.set(c.id.replace(/\/virtualNetworkConnections\/.*$/i, ''), (perApp.get(c.id.replace(/\/virtualNetworkConnections\/.*$/i, '')) ?? 0) + 1);
    expect([...perApp.values()].filter((n) => n > 1)).toEqual([]);
    // plan-multi-we: three apps over two VNets, exactly the plan's two regional subnets.
    const multiPlanVnets = new Set(connections.filter((c) => /bridge-[abc]-we/.test(c.id)).map((c) => (c.body as { properties: { vnetResourceId: string } }).properties.vnetResourceId));
    expect(multiPlanVnets.size).toBe(2);
    // plan-limit-we: three apps, one gateway VNet each, three different in-region VNets (one more than a plan's regional limit).
    const limitApps = sites.filter((s) => (s.body as { properties: { serverFarmId: string } }).properties.serverFarmId.endsWith('/serverfarms/plan-limit-we'));
    expect(limitApps.map((s) => s.id.split('/').at(-1)).sort()).toEqual(['claims-api-we', 'edi-api-we', 'records-api-we']);
    const limitConnections = limitApps.map((s) => connections.filter((c) => c.id.toLowerCase().startsWith(`${s.id.toLowerCase()}/virtualnetworkconnections/`)));
    expect(limitConnections.map((c) => c.length)).toEqual([1, 1, 1]);
    const limitVnets = new Set(limitConnections.flat().map((c) => (c.body as { properties: { vnetResourceId: string } }).properties.vnetResourceId));
    expect(limitVnets.size).toBe(3);
    const vnetLocations = new Map(ofType(demo, 'Microsoft.Network/virtualNetworks').map((v) => [v.id, (v.body as { location: string }).location]));
    expect([...limitVnets].map((v) => vnetLocations.get(v))).toEqual(['westeurope', 'westeurope', 'westeurope']);
    const legacySettings = demo.resources.filter((r) => r.id.endsWith('/config/appsettings') && 'WEBSITE_VNET_ROUTE_ALL' in (r.body as { properties: object }).properties);
    expect(legacySettings.length).toBeGreaterThanOrEqual(2);
    for (const r of demo.resources.filter((x) => x.id.endsWith('/config/appsettings'))) {
      expect(Object.keys((r.body as { properties: object }).properties).join(',')).not.toMatch(/PASSWORD|SECRET|KEY|CONNECTIONSTRING/i);
    }
  });

  it('every dependency is reachable before migration', () => {
    const world = createVerificationWorld(worldViewFromScenario(demo));
    const broken = (demo.dependencies ?? []).map((d) => world.reach(d.appId, d.target, T, d.description)).filter((r) => !r.reachable);
    expect(broken).toEqual([]);
  });

  it('orders-legacy-we breaks after a migration without route all, and survives one with it', () => {
    const view = worldViewFromScenario(demo);
    const app = byName('orders-legacy-we')?.id ?? '';
    const subnet = view.virtualNetworks.find((v) => v.id.endsWith('vnet-apps-we'))?.id + '/subnets/snet-integration-new';
    const migrate = (routeAll: boolean): WorldView => ({
      ...view,
      sites: view.sites.map((s): SiteView => (s.id !== app ? s : { ...s, properties: { ...s.properties, virtualNetworkSubnetId: subnet, outboundVnetRouting: { applicationTraffic: routeAll } } })),
      vnetConnections: { ...view.vnetConnections, [app]: [] },
    });
    expect(createVerificationWorld(migrate(false)).health(app, T)).toMatchObject({ status: 503, body: { dependencies: [{ reason: 'routed-to-internet' }] } });
    expect(createVerificationWorld(migrate(true)).health(app, T).status).toBe(200);
  });

  it('cross-region apps reach their dependency after migrating into the globally peered in-region VNet', () => {
    const view = worldViewFromScenario(demo);
    const app = byName('eu-sync-ne')?.id ?? '';
    const ne = view.virtualNetworks.find((v) => v.id.endsWith('vnet-apps-ne'))?.id ?? '';
    const after: WorldView = {
      ...view,
      sites: view.sites.map((s): SiteView => (s.id !== app ? s : { ...s, properties: { ...s.properties, virtualNetworkSubnetId: `${ne}/subnets/snet-integration` } })),
      vnetConnections: { ...view.vnetConnections, [app]: [] },
    };
    expect(createVerificationWorld(after).health(app, T)).toMatchObject({ status: 200, body: { dependencies: [{ reason: 'peered-vnet' }] } });
  });
});
