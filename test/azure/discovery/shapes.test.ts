/**
 * What discovery keeps of ARM's answers, without I/O: the inventory's shapes of subnets, VNets, peerings and NSG
 * rules, gateway and regional connection entries, plan routes, app settings, app addresses and the scope filter.
 */
import { describe, expect, it } from 'vitest';
import { addressOf, scmHostNameOf } from '../../../src/azure/discovery/app-address.js';
import { appSettingFacts } from '../../../src/azure/discovery/app-setting-facts.js';
import { isGatewayConnection, regionalSubnetOf, routesOf } from '../../../src/azure/discovery/gateway-connection.js';
import { nsgShape, peeringsOf, subnetShape, vnetShape } from '../../../src/azure/discovery/network-shapes.js';
import { ScopeFilter } from '../../../src/azure/discovery/scope-filter.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const VNET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-a`;
const REMOTE = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-b`;
const site = (rg: string, name: string): string => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Web/sites/${name}`;

describe('network shapes', () => {
  it('a subnet: its prefix (or the first of its list), delegations, links, NSG and whether anything uses it', () => {
    expect(subnetShape({})).toEqual({ id: '', addressPrefix: '', delegations: [], serviceAssociationLinks: [], networkSecurityGroupId: null, inUse: false });
    expect(
      subnetShape({
        id: `${VNET}/subnets/s`,
        addressPrefixes: ['10.0.1.0/26', '10.0.2.0/26'],
        delegations: [{}, { serviceName: 'Microsoft.Web/serverFarms' }],
        serviceAssociationLinks: [{}, { linkedResourceType: 'Microsoft.Web/serverfarms', link: '/plan' }],
        networkSecurityGroup: { id: '/nsg' },
        privateEndpoints: [{}],
      }),
    ).toEqual({
      id: `${VNET}/subnets/s`,
      addressPrefix: '10.0.1.0/26',
      delegations: ['Microsoft.Web/serverFarms'],
      serviceAssociationLinks: [{ linkedResourceType: '', link: '' }, { linkedResourceType: 'Microsoft.Web/serverfarms', link: '/plan' }],
      networkSecurityGroupId: '/nsg',
      inUse: true,
    });
    expect(subnetShape({ addressPrefix: '10.0.0.0/24', addressPrefixes: ['10.9.0.0/24'], ipConfigurations: [{}], privateEndpoints: [] })).toMatchObject({ addressPrefix: '10.0.0.0/24', inUse: true });
    expect(subnetShape({ ipConfigurations: [], privateEndpoints: [] }).inUse).toBe(false);
  });

  it('a VNet: location, space, subnets sorted by id, and its peerings with their flags (Unknown state when absent)', () => {
    const vnet = {
      id: VNET,
      location: 'westeurope',
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [{ id: `${VNET}/subnets/b` }, { id: `${VNET}/subnets/A` }],
      virtualNetworkPeerings: [
        { id: `${VNET}/virtualNetworkPeerings/z`, remoteVirtualNetwork: { id: REMOTE }, peeringState: 'Connected', allowGatewayTransit: true, useRemoteGateways: true },
        { id: `${VNET}/virtualNetworkPeerings/a` },
      ],
    };
    const shape = vnetShape(vnet);
    expect(shape).toMatchObject({ id: VNET, location: 'westeurope', addressPrefixes: ['10.0.0.0/16'] });
    expect(shape.subnets?.map((s) => s.id)).toEqual([`${VNET}/subnets/A`, `${VNET}/subnets/b`]);
    expect(shape.peerings).toEqual([
      { id: `${VNET}/virtualNetworkPeerings/a`, remoteVnetId: '', state: 'Unknown' },
      { id: `${VNET}/virtualNetworkPeerings/z`, remoteVnetId: REMOTE, state: 'Connected' },
    ]);
    expect(peeringsOf(vnet)).toEqual([
      { id: `${VNET}/virtualNetworkPeerings/a`, vnetId: VNET, remoteVnetId: '', state: 'Unknown', allowGatewayTransit: false, useRemoteGateways: false },
      { id: `${VNET}/virtualNetworkPeerings/z`, vnetId: VNET, remoteVnetId: REMOTE, state: 'Connected', allowGatewayTransit: true, useRemoteGateways: true },
    ]);
    expect(vnetShape({})).toEqual({ id: '', location: '', addressPrefixes: [], subnets: [], peerings: [] });
    expect(peeringsOf({ virtualNetworkPeerings: [{}] })).toEqual([{ id: '', vnetId: '', remoteVnetId: '', state: 'Unknown', allowGatewayTransit: false, useRemoteGateways: false }]);
  });

  it('an NSG: its rules by priority then name, with defaults for what a rule leaves out', () => {
    const nsg = nsgShape(
      {
        securityRules: [
          { name: 'b', priority: 200, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destinationPortRanges: ['443', '445'], destinationPortRange: '80', destinationAddressPrefix: '10.0.0.0/8', destinationAddressPrefixes: ['1.1.1.1'] },
          { name: 'a', priority: 200, direction: 'Inbound', access: 'Allow', destinationPortRanges: [], destinationPortRange: '80', destinationAddressPrefixes: ['10.1.0.0/16', '10.2.0.0/16'] },
          { name: 'c', priority: 100 },
          {},
        ],
      },
      '/nsg-by-id',
    );
    expect(nsg).toEqual({
      id: '/nsg-by-id',
      rules: [
        { name: 'c', priority: 100, direction: 'Outbound', access: 'Allow', protocol: '*', destinationPortRanges: ['*'], destinationAddressPrefix: '*' },
        { name: 'a', priority: 200, direction: 'Inbound', access: 'Allow', protocol: '*', destinationPortRanges: ['80'], destinationAddressPrefix: '10.1.0.0/16' },
        { name: 'b', priority: 200, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destinationPortRanges: ['443', '445'], destinationAddressPrefix: '10.0.0.0/8' },
        { name: '', priority: 4096, direction: 'Outbound', access: 'Allow', protocol: '*', destinationPortRanges: ['*'], destinationAddressPrefix: '*' },
      ],
    });
    expect(nsgShape({ id: '/nsg-as-read' }, '/nsg-by-id')).toEqual({ id: '/nsg-as-read', rules: [] });
  });
});

describe('app connections, routes and settings', () => {
  it('tells gateway-based entries from regional ones, whose subnet it names', () => {
    expect(isGatewayConnection({ vnetResourceId: VNET })).toBe(true);
    expect(isGatewayConnection({ vnetResourceId: VNET, isSwift: true })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `${VNET}/subnets/s` })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `${VNET}/x` })).toBe(false);
    expect(isGatewayConnection({ vnetResourceId: `x${VNET.slice(1)}/` })).toBe(false);
    expect(isGatewayConnection({})).toBe(false);
    expect(regionalSubnetOf({ vnetResourceId: `${VNET}/subnets/s`, isSwift: true })).toBe(`${VNET}/subnets/s`);
    expect(regionalSubnetOf({ vnetResourceId: `${VNET}/subnets/s` })).toBeUndefined();
    expect(regionalSubnetOf({ vnetResourceId: VNET, isSwift: true })).toBeUndefined();
    expect(regionalSubnetOf({ vnetResourceId: `${VNET}/subnets/s/x`, isSwift: true })).toBeUndefined();
    expect(regionalSubnetOf({ isSwift: true })).toBeUndefined();
  });

  it('keeps routes with a start address; one without an end covers its start alone', () => {
    expect(routesOf(undefined)).toEqual([]);
    expect(routesOf([{ endAddress: '10.0.0.9' }, { startAddress: '10.0.0.1' }, { startAddress: '10.1.0.0', endAddress: '10.1.255.255', routeType: 'INHERITED' }])).toEqual([
      { startAddress: '10.0.0.1', endAddress: '10.0.0.1' },
      { startAddress: '10.1.0.0', endAddress: '10.1.255.255', routeType: 'INHERITED' },
    ]);
  });

  it('keeps sorted setting names and the legacy switches only, whatever their spelling', () => {
    expect(appSettingFacts(undefined)).toEqual({ appSettingNames: [], routingSettings: {} });
    expect(appSettingFacts({ b: 'secret', website_vnet_route_all: '1', A: 'x', WEBSITE_CONTENTOVERVNET: '0' })).toEqual({
      appSettingNames: ['A', 'WEBSITE_CONTENTOVERVNET', 'b', 'website_vnet_route_all'],
      routingSettings: { WEBSITE_VNET_ROUTE_ALL: '1', WEBSITE_CONTENTOVERVNET: '0' },
    });
  });

  it('keeps no entry for a legacy switch that is not set, even when a setting is named "undefined"', () => {
    expect(appSettingFacts({ undefined: 'x', WEBSITE_CONTENTOVERVNET: '1' })).toStrictEqual({ appSettingNames: ['WEBSITE_CONTENTOVERVNET', 'undefined'], routingSettings: { WEBSITE_CONTENTOVERVNET: '1' } });
  });

  it('addresses a site and a slot as the SDK does, and refuses anything else', () => {
    expect(addressOf(site('rg', 'app1'))).toEqual({ subscriptionId: SUB, resourceGroup: 'rg', site: 'app1', slot: undefined });
    expect(addressOf(`${site('rg', 'app1')}/slots/staging`)).toEqual({ subscriptionId: SUB, resourceGroup: 'rg', site: 'app1', slot: 'staging' });
    expect(() => addressOf(VNET)).toThrow(new TypeError(`${VNET} is neither a site nor a slot id`));
  });

  it("finds an app's Kudu host in its Repository host name, else by App Service's <app>.scm.<domain> convention", () => {
    const states = (repository: string | undefined): Parameters<typeof scmHostNameOf>[0] => ({
      hostNameSslStates: [{ name: 'shop.azurewebsites.net', hostType: 'Standard' }, ...(repository === undefined ? [] : [{ name: repository, hostType: 'Repository' as const }])],
    });
    expect(scmHostNameOf(states('shop.scm.example.net'), 'shop.azurewebsites.net')).toBe('shop.scm.example.net');
    expect(scmHostNameOf(states(undefined), 'shop.azurewebsites.net')).toBe('shop.scm.azurewebsites.net');
    expect(scmHostNameOf(states(''), 'shop.azurewebsites.net')).toBe('shop.scm.azurewebsites.net');
    expect(scmHostNameOf({}, 'shop.azurewebsites.net')).toBe('shop.scm.azurewebsites.net');
    expect(scmHostNameOf({}, 'localhost')).toBe('localhost');
    expect(scmHostNameOf({}, '.internal')).toBe('.scm.internal');
  });
});

describe('ScopeFilter', () => {
  const app1 = { id: site('rg-web', 'app1'), tags: { Wave: '1', owner: 'shop' } };
  const app2 = { id: site('RG-OTHER', 'app2') };
  const slot = { id: `${app1.id}/slots/staging`, tags: { wave: '2' } };
  const bareSlot = { id: `${site('RG-OTHER', 'app2')}/slots/blue` };

  it('with no filter selects every site and slot', () => {
    const all = new ScopeFilter({ subscriptionIds: [SUB] });
    expect([all.isCandidate(app2), all.selectsSite(app2), all.selectsSlot(bareSlot, app2)]).toEqual([true, true, true]);
  });

  it('resource groups, in any case', () => {
    const filter = new ScopeFilter({ subscriptionIds: [SUB], resourceGroups: ['rg-other'] });
    expect([filter.isCandidate(app1), filter.selectsSite(app1), filter.selectsSlot(slot, app1)]).toEqual([false, false, false]);
    expect([filter.isCandidate(app2), filter.selectsSite(app2), filter.selectsSlot(bareSlot, app2)]).toEqual([true, true, true]);
  });

  it('app ids: a listed site is selected without its slots; a listed slot makes its site a candidate only', () => {
    const filter = new ScopeFilter({ subscriptionIds: [SUB], appIds: [app1.id.toUpperCase(), bareSlot.id] });
    expect([filter.isCandidate(app1), filter.selectsSite(app1), filter.selectsSlot(slot, app1)]).toEqual([true, true, false]);
    expect([filter.isCandidate(app2), filter.selectsSite(app2), filter.selectsSlot(bareSlot, app2)]).toEqual([true, false, true]);
    const other = { id: site('rg-web', 'app3') };
    expect([filter.isCandidate(other), filter.selectsSite(other)]).toEqual([false, false]);
  });

  it('tags: every listed one, names in any case, values exactly; a slot by its own tags or its site\'s', () => {
    const wave1 = new ScopeFilter({ subscriptionIds: [SUB], tags: { WAVE: '1' } });
    expect([wave1.isCandidate(app2), wave1.selectsSite(app1), wave1.selectsSite(app2)]).toEqual([true, true, false]);
    expect([wave1.selectsSlot(slot, app1), wave1.selectsSlot(bareSlot, app2)]).toEqual([true, false]);
    const wave2 = new ScopeFilter({ subscriptionIds: [SUB], tags: { wave: '2' } });
    expect([wave2.selectsSite(app1), wave2.selectsSlot(slot, app1)]).toEqual([false, true]);
    const both = new ScopeFilter({ subscriptionIds: [SUB], tags: { wave: '1', OWNER: 'shop' } });
    expect(both.selectsSite(app1)).toBe(true);
    expect(new ScopeFilter({ subscriptionIds: [SUB], tags: { wave: '1', owner: 'Shop' } }).selectsSite(app1)).toBe(false);
  });

  it('filters combine', () => {
    const filter = new ScopeFilter({ subscriptionIds: [SUB], resourceGroups: ['rg-web'], appIds: [app1.id], tags: { wave: '1' } });
    expect(filter.selectsSite(app1)).toBe(true);
    expect(new ScopeFilter({ subscriptionIds: [SUB], resourceGroups: ['rg-other'], appIds: [app1.id] }).selectsSite(app1)).toBe(false);
  });
});
