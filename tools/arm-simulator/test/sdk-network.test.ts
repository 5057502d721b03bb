import { NetworkManagementClient } from '@azure/arm-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { clientOptions, NET, RG, rawRequest, startTestSimulator, staticCredential, SUB } from '../src/testing.js';

describe('Microsoft.Network through the real NetworkManagementClient', () => {
  let sim: SimulatorHandle;
  let client: NetworkManagementClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
    client = new NetworkManagementClient(staticCredential(), SUB, clientOptions(sim));
    await client.virtualNetworks.beginCreateOrUpdateAndWait(RG, 'vnet1', {
      location: 'westeurope',
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24' }],
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('gets a VNet with its inline subnet', async () => {
    const vnet = await client.virtualNetworks.get(RG, 'vnet1');
    expect(vnet.addressSpace?.addressPrefixes).toEqual(['10.1.0.0/16']);
    expect(vnet.subnets?.map((s) => s.name)).toEqual(['default']);
    expect(vnet.provisioningState).toBe('Succeeded');
  });

  it('creates a delegated subnet, polling Azure-AsyncOperation until Succeeded', async () => {
    const poller = await client.subnets.beginCreateOrUpdate(RG, 'vnet1', 'apps', {
      addressPrefix: '10.1.1.0/26',
      delegations: [{ name: 'web', serviceName: 'Microsoft.Web/serverFarms' }],
    });
    // While the operation runs the resource reads Updating, as in Azure.
    const during = await client.subnets.get(RG, 'vnet1', 'apps');
    expect(during.provisioningState).toBe('Updating');
    const subnet = await poller.pollUntilDone();
    expect(subnet.provisioningState).toBe('Succeeded');
    expect(subnet.delegations?.[0]?.serviceName).toBe('Microsoft.Web/serverFarms');
    const polls = sim.audit.query({ pathContains: '/providers/Microsoft.Network/locations/' });
    expect(polls.length).toBeGreaterThan(0);
  });

  it('lists subnets across pages via nextLink', async () => {
    await client.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'third', { addressPrefix: '10.1.2.0/28' });
    const names: string[] = [];
    for await (const s of client.subnets.list(RG, 'vnet1')) names.push(s.name ?? '');
    expect(names.sort()).toEqual(['apps', 'default', 'third']);
    expect(sim.audit.query({ pathContains: '/subnets', method: 'GET' }).some((e) => e.path.endsWith('/subnets'))).toBe(true);
  });

  it('deletes a subnet through the Location poller (202 then 204)', async () => {
    await client.subnets.beginDeleteAndWait(RG, 'vnet1', 'third');
    await expect(client.subnets.get(RG, 'vnet1', 'third')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    const results = sim.audit.query({ pathContains: '/operationResults/' });
    expect(results.map((e) => e.status)).toContain(202);
    expect(results.at(-1)?.status).toBe(204);
  });

  it('refuses an overlapping subnet with the Network error code', async () => {
    await expect(client.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'overlap', { addressPrefix: '10.1.0.128/25' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'NetcfgSubnetRangesOverlap',
    });
  });

  it('answers 429 RetryableErrorDueToAnotherOperation while a subnet operation runs', async () => {
    await client.subnets.beginCreateOrUpdate(RG, 'vnet1', 'busy', { addressPrefix: '10.1.3.0/28' });
    const second = await rawRequest(sim, 'PUT', `${NET}/virtualNetworks/vnet1/subnets/busy?api-version=2025-05-01`, JSON.stringify({ properties: { addressPrefix: '10.1.3.0/28' } }));
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeDefined();
    expect(second.json()).toMatchObject({ error: { code: 'RetryableErrorDueToAnotherOperation' } });
  });

  it('peers two VNets: Initiated until the remote peers back, then Connected', async () => {
    await client.virtualNetworks.beginCreateOrUpdateAndWait(RG, 'hub', { location: 'westeurope', addressSpace: { addressPrefixes: ['10.9.0.0/16'] } });
    const vnet1Id = `${NET}/virtualNetworks/vnet1`;
    const hubId = `${NET}/virtualNetworks/hub`;
    const first = await client.virtualNetworkPeerings.beginCreateOrUpdateAndWait(RG, 'vnet1', 'to-hub', { remoteVirtualNetwork: { id: hubId }, allowVirtualNetworkAccess: true });
    expect(first.peeringState).toBe('Initiated');
    await client.virtualNetworkPeerings.beginCreateOrUpdateAndWait(RG, 'hub', 'to-vnet1', { remoteVirtualNetwork: { id: vnet1Id } });
    const again = await client.virtualNetworkPeerings.get(RG, 'vnet1', 'to-hub');
    expect(again.peeringState).toBe('Connected');
    expect(again.remoteAddressSpace?.addressPrefixes).toEqual(['10.9.0.0/16']);
    const all: string[] = [];
    for await (const p of client.virtualNetworkPeerings.list(RG, 'vnet1')) all.push(p.name ?? '');
    expect(all).toEqual(['to-hub']);
    await client.virtualNetworkPeerings.beginDeleteAndWait(RG, 'vnet1', 'to-hub');
    await expect(client.virtualNetworkPeerings.get(RG, 'vnet1', 'to-hub')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('gets a VPN gateway with its point-to-site configuration and an NSG with rules', async () => {
    sim.seed([
      {
        id: `${NET}/virtualNetworkGateways/gw1`,
        body: {
          location: 'westeurope',
          properties: {
            gatewayType: 'Vpn', vpnType: 'RouteBased', sku: { name: 'VpnGw1', tier: 'VpnGw1' },
            ipConfigurations: [{ name: 'default', properties: { subnet: { id: `${NET}/virtualNetworks/vnet1/subnets/default` } } }],
            vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: ['172.16.0.0/24'] }, vpnClientProtocols: ['SSTP'] },
          },
        },
      },
      {
        id: `${NET}/networkSecurityGroups/nsg1`,
        body: { location: 'westeurope', properties: { securityRules: [{ name: 'deny-all', properties: { priority: 4096, access: 'Deny', direction: 'Outbound', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', sourcePortRange: '*', destinationPortRange: '*' } }] } },
      },
    ]);
    const gw = await client.virtualNetworkGateways.get(RG, 'gw1');
    expect(gw.vpnClientConfiguration?.vpnClientProtocols).toEqual(['SSTP']);
    expect(gw.ipConfigurations?.[0]?.id).toBe(`${NET}/virtualNetworkGateways/gw1/ipConfigurations/default`);
    const nsg = await client.networkSecurityGroups.get(RG, 'nsg1');
    expect(nsg.securityRules?.[0]?.access).toBe('Deny');
    expect(nsg.securityRules?.[0]?.id).toBe(`${NET}/networkSecurityGroups/nsg1/securityRules/deny-all`);
  });
});

describe('subnet references', () => {
  it('keeps NSG and route table references that exist and refuses dangling ones with InvalidResourceReference', async () => {
    const sim = await startTestSimulator({ longRunningOperationMs: 0 });
    try {
      const client = new NetworkManagementClient(staticCredential(), SUB, clientOptions(sim));
      sim.seed([
        { id: `${NET}/virtualNetworks/v`, body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } } },
        { id: `${NET}/networkSecurityGroups/nsg`, body: { location: 'westeurope', properties: {} } },
        { id: `${NET}/routeTables/rt`, body: { location: 'westeurope', properties: { routes: [] } } },
      ]);
      const subnet = await client.subnets.beginCreateOrUpdateAndWait(RG, 'v', 's', {
        addressPrefix: '10.0.0.0/24',
        networkSecurityGroup: { id: `${NET}/networkSecurityGroups/nsg` },
        routeTable: { id: `${NET}/routeTables/rt` },
      });
      expect(subnet.networkSecurityGroup?.id).toBe(`${NET}/networkSecurityGroups/nsg`);
      expect(subnet.routeTable?.id).toBe(`${NET}/routeTables/rt`);
      await expect(
        client.subnets.beginCreateOrUpdateAndWait(RG, 'v', 's2', { addressPrefix: '10.0.1.0/24', natGateway: { id: `${NET}/natGateways/missing` } }),
      ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidResourceReference' });
      expect(sim.store.get(`${NET}/virtualNetworks/v/subnets/s2`)).toBeUndefined();
      const orphan = await rawRequest(sim, 'PUT', `${NET}/virtualNetworks/none/subnets/s?api-version=2025-05-01`, JSON.stringify({ properties: { addressPrefix: '10.0.0.0/24' } }));
      expect(orphan.status).toBe(404);
      expect(orphan.json()).toMatchObject({ error: { code: 'ParentResourceNotFound' } });
    } finally {
      await sim.stop();
    }
  });
});
