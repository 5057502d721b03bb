/**
 * What the operations do when ARM fails: a refusal surfaces App Service's own message; a retryable failure of a
 * write that was in fact applied is survived by reading back; one that was not applied is thrown retryable, and the
 * re-run (what a durable retry does) completes it. Also the flat vnet*Enabled routing of older api-versions.
 * Each test starts from the demo world as seeded (the simulator is reset before each), so it runs alone or in any order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  applyRouting,
  connectRegional,
  disconnectGateway,
  ensureSubnet,
  readAppNetworkState,
  reconnectGateway,
  removeLegacySettings,
  restoreRouting,
} from '../../../src/azure/app-networking/index.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createDelegatedSubnet, operationOptions, setupClients, siteId, startDemoSimulator, thrown, VNET_APPS_WE } from './support.js';

describe('app-networking operations under ARM failures', () => {
  let sim: SimulatorHandle;
  let opts: ReturnType<typeof operationOptions>;

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

  it("a permanent App Service refusal surfaces App Service's own message, not retryable", async () => {
    // Linux apps cannot have gateway-based integration: App Service's rule, App Service's words.
    const error = await thrown(() => reconnectGateway(siteId('linux-public-we'), { name: 'vnet-apps-we', vnetResourceId: VNET_APPS_WE }, opts));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('reconnect linux-public-we to gateway VNet vnet-apps-we failed: Gateway-required virtual network integration is not supported for Linux apps (linux-public-we).');
    expect(error.message).not.toContain('Unexpected status code');

    sim.faults.add({ kind: 'permanent', method: 'DELETE', pathPattern: '/sites/shop-api-we/virtualNetworkConnections/', message: 'The site shop-api-we is locked by policy Contoso-NoChanges.', count: 1 });
    const refused = await thrown(() => disconnectGateway(siteId('shop-api-we'), 'vnet-apps-we', opts));
    expect(refused.retryable).toBe(false);
    expect(refused.message).toMatch(/^disconnect shop-api-we from gateway VNet vnet-apps-we failed: The site shop-api-we is locked by policy Contoso-NoChanges\. \(400 BadRequest/);
    expect((await readAppNetworkState(siteId('shop-api-we'), opts)).gatewayConnections).toHaveLength(1);
  });

  it('an http500 on a write that was not applied is thrown retryable; the re-run completes it', async () => {
    const app = siteId('catalog-api-we');
    sim.faults.add({ id: 'config-500', kind: 'http500', method: 'PATCH', pathPattern: '/sites/catalog-api-we/config/web$', count: 1 });
    const before = (await readAppNetworkState(app, opts)).routing.applicationTraffic;
    const planned = { outboundVnetRouting: { applicationTraffic: !before, imagePullTraffic: false, contentShareTraffic: false } };
    const error = await thrown(() => applyRouting(app, planned, opts));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('apply routing of catalog-api-we failed');
    expect(await applyRouting(app, planned, opts)).toMatchObject({ applied: true });
    expect(await applyRouting(app, planned, opts)).toMatchObject({ applied: false });
  });

  it('an http500 while polling a long-running write that was applied is survived by reading back', async () => {
    const app = siteId('payments-api-we');
    // The site PUT is applied at once; the poll of its operation fails, so the outcome is unknown to the SDK.
    sim.faults.add({ id: 'poll-500', kind: 'http500', method: 'GET', pathPattern: '/Microsoft.Web/locations/[^/]+/operationResults/', count: 1 });
    const record = await applyRouting(app, { outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: true, contentShareTraffic: false } }, opts);
    expect(record).toMatchObject({ applied: true });
    expect(sim.faults.list().find((r) => r.id === 'poll-500')).toBeUndefined();
    expect((await readAppNetworkState(app, opts)).routing).toMatchObject({ applicationTraffic: true, imagePullTraffic: true });

    // The same for the subnet's long-running create (Network's Azure-AsyncOperation). The create is answered as
    // running and settles at once, so the read-back after the failed poll finds it done whatever the machine's load
    // (a subnet still Updating is not done yet: records-and-refusals.test.ts).
    const longRunningOperationMs = sim.settings.longRunningOperationMs;
    sim.settings.longRunningOperationMs = 0;
    onTestFinished(() => {
      sim.settings.longRunningOperationMs = longRunningOperationMs;
    });
    sim.faults.add({ id: 'subnet-poll-500', kind: 'http500', method: 'GET', pathPattern: '/Microsoft.Network/locations/[^/]+/operations/', count: 1 });
    const step = { action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-poll-fault`, addressPrefix: '10.10.3.0/26' } as const;
    expect(await ensureSubnet(step, opts)).toMatchObject({ applied: true, created: true });
    expect(sim.faults.list().find((r) => r.id === 'subnet-poll-500')).toBeUndefined();
    expect(await ensureSubnet(step, opts)).toMatchObject({ applied: false, created: false });
  });

  it.each(['applied-then-504', 'applied-then-reset'] as const)('a write that was applied and then answered %s is success after reading back', async (kind) => {
    const app = siteId(kind === 'applied-then-504' ? 'customers-api-we' : 'loyalty-api-we');
    sim.faults.add({ id: `disconnect-${kind}`, kind, method: 'DELETE', pathPattern: '/virtualNetworkConnections/vnet-apps-we$', count: 1 });
    expect(await disconnectGateway(app, 'vnet-apps-we', opts)).toMatchObject({ applied: true });
    expect(sim.faults.list().find((r) => r.id === `disconnect-${kind}`)).toBeUndefined();
    expect(await disconnectGateway(app, 'vnet-apps-we', opts)).toMatchObject({ applied: false });
    // One disconnect, one restart: the read-back did not send the DELETE again.
    expect(sim.restarts.filter((r) => r.siteId.toLowerCase() === app.toLowerCase())).toHaveLength(1);

    sim.faults.add({ id: `settings-${kind}`, kind, method: 'PUT', pathPattern: '/config/appsettings$', count: 1 });
    expect(await removeLegacySettings(app, ['DB_HOST'], opts)).toMatchObject({ applied: true });
    expect((await readAppNetworkState(app, opts)).appSettingNames).toEqual(['APP_ENV']);
  });

  it('connectRegional after an applied-then-504 join is success', async () => {
    const app = siteId('loyalty-api-we');
    // One form of integration at a time: the gateway connection goes first (with the SDK alone).
    await setupClients(sim).web.webApps.deleteVnetConnection('rg-web-we', 'loyalty-api-we', 'vnet-apps-we');
    const subnet = await createDelegatedSubnet(sim, 'snet-join-504', '10.10.4.0/26');
    sim.faults.add({ kind: 'applied-then-504', method: 'PATCH', pathPattern: '/sites/loyalty-api-we$', count: 1 });
    expect(await connectRegional(app, subnet, opts)).toMatchObject({ applied: true, after: subnet });
    expect(await connectRegional(app, subnet, opts)).toMatchObject({ applied: false });
  });

  it('ensureSubnet refuses a subnet of the same name with another prefix, and a reused one without the delegation', async () => {
    const other = await thrown(() => ensureSubnet({ action: 'create', subnetId: `${VNET_APPS_WE}/subnets/snet-integration-linux`, addressPrefix: '10.10.9.0/26' }, opts));
    expect(other).toMatchObject({ code: 'SubnetMismatch', retryable: false });
    expect(other.message).toContain('already exists with 10.10.1.0/26, not 10.10.9.0/26');
    const undelegated = await thrown(() => ensureSubnet({ action: 'reuse', subnetId: `${VNET_APPS_WE}/subnets/snet-data`, addressPrefix: null }, opts));
    expect(undelegated).toMatchObject({ code: 'SubnetMismatch', retryable: false });
    expect(await ensureSubnet({ action: 'reuse', subnetId: `${VNET_APPS_WE}/subnets/snet-integration-linux`, addressPrefix: null }, opts)).toMatchObject({ applied: false, created: false });
  });

  it('writes the flat vnet*Enabled flags with an api-version before 2025-03-01', async () => {
    const flat = operationOptions(sim, { webApiVersion: '2024-04-01' });
    const app = siteId('pricing-api-we');
    const original = (await readAppNetworkState(app, opts)).routing;
    const planned = { vnetRouteAllEnabled: true, vnetImagePullEnabled: true, vnetContentShareEnabled: true };
    expect(await applyRouting(app, planned, flat)).toMatchObject({ applied: true });
    expect(await applyRouting(app, planned, flat)).toMatchObject({ applied: false });
    // Read in the new form: the same switches.
    expect((await readAppNetworkState(app, opts)).routing).toMatchObject({ applicationTraffic: true, imagePullTraffic: true, contentShareTraffic: true });
    expect((await readAppNetworkState(app, flat)).routing).toMatchObject({ applicationTraffic: true, imagePullTraffic: true, contentShareTraffic: true });
    expect(await restoreRouting(app, original, flat)).toMatchObject({ applied: true });
    expect((await readAppNetworkState(app, opts)).routing).toEqual(original);
    // allTraffic has no flat form: asking for it is refused, not silently dropped.
    const error = await thrown(() => restoreRouting(app, { ...original, allTraffic: true }, flat));
    expect(error).toMatchObject({ code: 'RoutingNotExpressible', retryable: false });
  });

  it('operates on a deployment slot through the *Slot methods', async () => {
    const slot = `${siteId('shop-web-we')}/slots/staging`;
    const state = await readAppNetworkState(slot, opts);
    expect(state.gatewayConnections.map((c) => c.name)).toEqual(['vnet-apps-we']);
    expect(await disconnectGateway(slot, 'vnet-apps-we', opts)).toMatchObject({ applied: true });
    expect((await readAppNetworkState(siteId('shop-web-we'), opts)).gatewayConnections).toHaveLength(1);
    expect(await reconnectGateway(slot, state.gatewayConnections[0]!, opts)).toMatchObject({ applied: true });
  });
});
