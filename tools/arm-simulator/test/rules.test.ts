import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, captureResponses, seedGateway, clientOptions, NET, RG, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

const SUBNET = `${NET}/virtualNetworks/vnet1/subnets/apps`;
const PLAN = `${WEB}/serverfarms/plan1`;

interface AppServiceEnvelope {
  Code: string;
  Message: string;
  Details: [{ Message: string }, { Code: string }, { ErrorEntity: { ExtendedCode: string } }];
}

describe('Azure rules, as the SDKs surface them', () => {
  let sim: SimulatorHandle;
  let web: WebSiteManagementClient;
  let net: NetworkManagementClient;

  beforeEach(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0 });
    web = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
    net = new NetworkManagementClient(staticCredential(), SUB, clientOptions(sim));
  });
  afterEach(async () => {
    await sim.stop();
  });

  /** Runs a Web call expected to fail; returns App Service's envelope read through onResponse. */
  async function webFailure(call: (onResponse: (r: unknown) => void) => Promise<unknown>): Promise<{ error: unknown; envelope: AppServiceEnvelope }> {
    const capture = captureResponses();
    let error: unknown;
    try {
      await call(capture.onResponse);
    } catch (e) {
      error = e;
    }
    expect(error, 'the call should have failed').toBeDefined();
    return { error, envelope: JSON.parse(capture.lastBody()) as AppServiceEnvelope };
  }

  function seedApp(name: string, extra: Record<string, unknown> = {}, plan = PLAN, location = 'westeurope'): void {
    sim.seed([{ id: `${WEB}/sites/${name}`, body: { location, properties: { serverFarmId: plan, ...extra } } }]);
  }

  it('missing delegation: 400 with App Service text only reachable through onResponse', async () => {
    baseWorld(sim, { delegated: false });
    seedApp('app1');
    const { error, envelope } = await webFailure((onResponse) =>
      web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET }, { onResponse }),
    );
    expect(error).toMatchObject({ statusCode: 400, message: expect.stringContaining('Unexpected status code: 400') as unknown });
    expect(envelope.Message).toBe('Subnet apps in VNET vnet1 is missing a delegation to Microsoft.Web/serverFarms. Please add the delegation and try again.');
    expect(envelope.Code).toBe('BadRequest');
    expect(envelope.Details[2].ErrorEntity.ExtendedCode).toBe('SubnetMissingDelegation');
    expect((await web.webApps.get(RG, 'app1')).virtualNetworkSubnetId ?? null).toBeNull();
  });

  it('subnet smaller than /28 is refused', async () => {
    baseWorld(sim, { subnetPrefix: '10.0.1.0/29' });
    seedApp('app1');
    const { envelope } = await webFailure((onResponse) => web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET }, { onResponse }));
    expect(envelope.Message).toContain('Subnet apps in VNET vnet1 is too small');
  });

  it('VNet in another region is refused', async () => {
    baseWorld(sim);
    sim.seed([{ id: `${WEB}/serverfarms/plan-ne`, body: { location: 'northeurope', sku: { name: 'S1' } } }]);
    seedApp('app-ne', {}, `${WEB}/serverfarms/plan-ne`, 'northeurope');
    const { envelope } = await webFailure((onResponse) => web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app-ne', { subnetResourceId: SUBNET }, { onResponse }));
    expect(envelope.Details[2].ErrorEntity.ExtendedCode).toBe('VnetRegionMismatch');
    expect(envelope.Message).toContain("is in location 'westeurope'");
  });

  it('a plan may hold two subnets; the third is 409 with the plan VNET limit text', async () => {
    baseWorld(sim);
    sim.seed([
      { id: `${NET}/virtualNetworks/vnet1/subnets/apps2`, body: { properties: { addressPrefix: '10.0.2.0/26', delegations: [{ name: 'w', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } } },
      { id: `${NET}/virtualNetworks/vnet1/subnets/apps3`, body: { properties: { addressPrefix: '10.0.3.0/26', delegations: [{ name: 'w', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } } },
    ]);
    seedApp('a1', { virtualNetworkSubnetId: SUBNET });
    seedApp('a2', { virtualNetworkSubnetId: `${NET}/virtualNetworks/vnet1/subnets/apps2` });
    seedApp('a3');
    const { error, envelope } = await webFailure((onResponse) =>
      web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'a3', { subnetResourceId: `${NET}/virtualNetworks/vnet1/subnets/apps3` }, { onResponse }),
    );
    expect(error).toMatchObject({ statusCode: 409 });
    expect(envelope.Message).toBe('Adding this VNET would exceed the App Service Plan VNET limit of 2.');
  });

  it('a /27 subnet held by another plan is occupied; a /26 allows a multi-plan join', async () => {
    baseWorld(sim, { subnetPrefix: '10.0.1.0/27' });
    sim.seed([{ id: `${WEB}/serverfarms/plan2`, body: { location: 'westeurope', sku: { name: 'P1v3' } } }]);
    seedApp('a1', { virtualNetworkSubnetId: SUBNET });
    seedApp('b1', {}, `${WEB}/serverfarms/plan2`);
    const { envelope } = await webFailure((onResponse) => web.webApps.update(RG, 'b1', { virtualNetworkSubnetId: SUBNET }, { onResponse }));
    expect(envelope.Message).toBe(`Subnet apps in VNET vnet1 is already occupied by service ${PLAN}.`);

    sim.seed([{ id: `${NET}/virtualNetworks/vnet1/subnets/big`, body: { properties: { addressPrefix: '10.0.4.0/26', delegations: [{ name: 'w', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } } }]);
    seedApp('a2', { virtualNetworkSubnetId: `${NET}/virtualNetworks/vnet1/subnets/big` });
    const joined = await web.webApps.update(RG, 'b1', { virtualNetworkSubnetId: `${NET}/virtualNetworks/vnet1/subnets/big` });
    expect(joined.virtualNetworkSubnetId).toBe(`${NET}/virtualNetworks/vnet1/subnets/big`);
  });

  it('one form of integration per app: regional is refused while a gateway connection exists, and vice versa', async () => {
    baseWorld(sim);
    seedGateway(sim);
    seedApp('app1');
    await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` });
    const { envelope } = await webFailure((onResponse) => web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET }, { onResponse }));
    expect(envelope.Message).toContain('already has a gateway-based virtual network integration');
    seedApp('app2', { virtualNetworkSubnetId: SUBNET });
    const second = await webFailure((onResponse) => web.webApps.createOrUpdateVnetConnection(RG, 'app2', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` }, { onResponse }));
    expect(second.envelope.Message).toContain('already has a regional virtual network integration');
  });

  /** A second VNet, vnet2, with its own route-based P2S gateway gw2. */
  function seedSecondGatewayVnet(): void {
    sim.seed([
      { id: `${NET}/virtualNetworks/vnet2`, body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.2.0.0/16'] }, subnets: [{ name: 'GatewaySubnet', properties: { addressPrefix: '10.2.255.0/27' } }] } } },
      {
        id: `${NET}/virtualNetworkGateways/gw2`,
        body: {
          location: 'westeurope',
          properties: {
            gatewayType: 'Vpn', vpnType: 'RouteBased',
            ipConfigurations: [{ name: 'ipconfig', properties: { subnet: { id: `${NET}/virtualNetworks/vnet2/subnets/GatewaySubnet` } } }],
            vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: ['172.16.2.0/24'] }, vpnClientProtocols: ['SSTP'] },
          },
        },
      },
    ]);
  }

  it('one gateway VNet per app: a connection to a second VNet is 409 naming the first, nothing applied; re-PUT of the same stays allowed', async () => {
    baseWorld(sim);
    seedGateway(sim);
    seedSecondGatewayVnet();
    seedApp('app1');
    await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` });
    const { error, envelope } = await webFailure((onResponse) =>
      web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet2', { vnetResourceId: `${NET}/virtualNetworks/vnet2` }, { onResponse }),
    );
    expect(error).toMatchObject({ statusCode: 409 });
    expect(envelope.Code).toBe('Conflict');
    expect(envelope.Message).toBe(
      'App app1 already has a gateway-required virtual network integration with VNET vnet1. Gateway-required virtual network integration ' +
        'connects an app to only one virtual network at a time: remove the connection to vnet1 first.',
    );
    expect(envelope.Details[2].ErrorEntity.ExtendedCode).toBe('GatewayVnetIntegrationLimitExceeded');
    expect((await web.webApps.listVnetConnections(RG, 'app1')).map((c) => c.name)).toEqual(['vnet1']);
    // Re-putting the app's own connection (here with routes) is an update, not a second VNet.
    const again = await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1`, dnsServers: '10.0.0.4' });
    expect(again.dnsServers).toBe('10.0.0.4');
    // Integration is per app: the slot may use the other VNet.
    sim.seed([{ id: `${WEB}/sites/app1/slots/staging`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } }]);
    await web.webApps.createOrUpdateVnetConnectionSlot(RG, 'app1', 'vnet2', 'staging', { vnetResourceId: `${NET}/virtualNetworks/vnet2` });
    // After the first connection is removed the app may connect elsewhere.
    await web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1');
    await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet2', { vnetResourceId: `${NET}/virtualNetworks/vnet2` });
    expect((await web.webApps.listVnetConnections(RG, 'app1')).map((c) => c.name)).toEqual(['vnet2']);
    // A scenario cannot seed the state either: seeding applies the same rules.
    expect(() => sim.seed([{ id: `${WEB}/sites/app1/virtualNetworkConnections/vnet1`, body: { properties: { vnetResourceId: `${NET}/virtualNetworks/vnet1` } } }]))
      .toThrow(/GatewayVnetIntegrationLimitExceeded/);
  });

  it('deleting a gateway connection that is already gone answers 404 for sites and slots (the 19.x client throws)', async () => {
    baseWorld(sim);
    seedGateway(sim);
    seedApp('app1');
    sim.seed([{ id: `${WEB}/sites/app1/slots/staging`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } }]);
    await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` });
    await web.webApps.createOrUpdateVnetConnectionSlot(RG, 'app1', 'vnet1', 'staging', { vnetResourceId: `${NET}/virtualNetworks/vnet1` });
    await web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1');
    await web.webApps.deleteVnetConnectionSlot(RG, 'app1', 'vnet1', 'staging');
    const restarts = sim.restarts.length;

    const site = await webFailure((onResponse) => web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1', { onResponse }));
    expect(site.error).toMatchObject({ statusCode: 404 });
    expect(site.envelope).toMatchObject({ Code: 'NotFound', Message: 'Cannot find Vnet with name vnet1 for app app1.' });
    const slot = await webFailure((onResponse) => web.webApps.deleteVnetConnectionSlot(RG, 'app1', 'vnet1', 'staging', { onResponse }));
    expect(slot.error).toMatchObject({ statusCode: 404 });
    expect(slot.envelope).toMatchObject({ Code: 'NotFound', Message: 'Cannot find Vnet with name vnet1 for app staging.' });
    // A name that never existed is the same 404; nothing restarts.
    await expect(web.webApps.deleteVnetConnection(RG, 'app1', 'never')).rejects.toMatchObject({ statusCode: 404 });
    expect(sim.restarts.length).toBe(restarts);
  });

  it('no gateway-based integration for Linux apps or Windows containers', async () => {
    baseWorld(sim);
    seedGateway(sim);
    seedApp('linux', { reserved: true });
    seedApp('container', { hyperV: true });
    const linux = await webFailure((onResponse) => web.webApps.createOrUpdateVnetConnection(RG, 'linux', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` }, { onResponse }));
    expect(linux.envelope.Message).toContain('not supported for Linux apps');
    const container = await webFailure((onResponse) => web.webApps.createOrUpdateVnetConnection(RG, 'container', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` }, { onResponse }));
    expect(container.envelope.Message).toContain('not supported for Windows container apps');
  });

  it('SKUs without VNet integration (Free) are refused', async () => {
    baseWorld(sim, { tier: 'Free' });
    seedApp('app1');
    const { envelope } = await webFailure((onResponse) => web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET }, { onResponse }));
    expect(envelope.Message).toContain('Free pricing tier');
  });

  it('Flex Consumption: regional integration only, into a subnet delegated to Microsoft.App/environments', async () => {
    baseWorld(sim, { tier: 'FlexConsumption' });
    seedGateway(sim);
    sim.seed([
      {
        id: `${NET}/virtualNetworks/vnet1/subnets/aca`,
        body: { properties: { addressPrefix: '10.0.2.0/26', delegations: [{ name: 'app', properties: { serviceName: 'Microsoft.App/environments' } }] } },
      },
    ]);
    seedApp('flex-gw');
    seedApp('flex-web');
    seedApp('flex-app');
    const gateway = await webFailure((onResponse) =>
      web.webApps.createOrUpdateVnetConnection(RG, 'flex-gw', 'vnet1', { vnetResourceId: `${NET}/virtualNetworks/vnet1` }, { onResponse }),
    );
    expect(gateway.envelope.Details[2].ErrorEntity.ExtendedCode).toBe('GatewayVnetIntegrationNotSupportedForSku');
    const webDelegated = await webFailure((onResponse) =>
      web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'flex-web', { subnetResourceId: SUBNET }, { onResponse }),
    );
    expect(webDelegated.envelope.Message).toBe('Subnet apps in VNET vnet1 is missing a delegation to Microsoft.App/environments. Please add the delegation and try again.');
    const joined = await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'flex-app', { subnetResourceId: `${NET}/virtualNetworks/vnet1/subnets/aca` });
    expect(joined.subnetResourceId).toBe(`${NET}/virtualNetworks/vnet1/subnets/aca`);
  });

  it('InUseSubnetCannotBeDeleted and SubnetDelegationsCannotChangeWhenSubnetUsedByResource come back as RestErrors with codes', async () => {
    baseWorld(sim);
    seedApp('app1', { virtualNetworkSubnetId: SUBNET });
    await expect(net.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps')).rejects.toMatchObject({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
    await expect(net.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'apps', { addressPrefix: '10.0.1.0/26', delegations: [] })).rejects.toMatchObject({
      statusCode: 400,
      code: 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource',
    });
    // Rejected requests change nothing.
    const subnet = await net.subnets.get(RG, 'vnet1', 'apps');
    expect(subnet.delegations?.[0]?.serviceName).toBe('Microsoft.Web/serverFarms');
    expect(subnet.serviceAssociationLinks?.[0]?.link).toBe(PLAN);
    // Removing the subnet from a VNet PUT is refused the same way.
    await expect(
      net.virtualNetworks.beginCreateOrUpdateAndWait(RG, 'vnet1', { location: 'westeurope', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [] }),
    ).rejects.toMatchObject({ code: 'InUseSubnetCannotBeDeleted' });
    expect((await net.virtualNetworks.get(RG, 'vnet1')).subnets?.map((s) => s.name)).toEqual(['apps']);
  });

  it("a VPN gateway's IP configuration shows in its GatewaySubnet's ipConfigurations and keeps the subnet from being deleted", async () => {
    baseWorld(sim);
    seedGateway(sim);
    const gatewaySubnet = await net.subnets.get(RG, 'vnet1', 'GatewaySubnet');
    expect(gatewaySubnet.ipConfigurations?.map((c) => c.id)).toEqual([`${NET}/virtualNetworkGateways/gw1/ipConfigurations/ipconfig`]);
    expect((await net.subnets.get(RG, 'vnet1', 'apps')).ipConfigurations).toBeUndefined();
    await expect(net.subnets.beginDeleteAndWait(RG, 'vnet1', 'GatewaySubnet')).rejects.toMatchObject({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
    expect((await net.subnets.get(RG, 'vnet1', 'GatewaySubnet')).name).toBe('GatewaySubnet');
  });

  it('a rejected site PUT leaves the existing site exactly as it was', async () => {
    baseWorld(sim, { delegated: false });
    seedApp('app1');
    const before = sim.store.get(`${WEB}/sites/app1`);
    await webFailure((onResponse) => web.webApps.createOrUpdate(RG, 'app1', { location: 'westeurope', serverFarmId: PLAN, httpsOnly: true, virtualNetworkSubnetId: SUBNET }, { onResponse }));
    expect(sim.store.get(`${WEB}/sites/app1`)).toBe(before);
  });
});

