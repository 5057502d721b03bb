import type { SiteView, VirtualNetworkView, WorldView } from '../../src/world/view.js';

export const SUB = '11111111-1111-4111-8111-111111111111';
const net = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/${name}`;
export const site = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-apps/providers/Microsoft.Web/sites/${name}`;
const gw = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworkGateways/${name}`;

export const HUB = net('vnet-hub-we');
export const APPS = net('vnet-apps-we');
export const SPOKE = net('vnet-spoke-we');
export const NORTH = net('vnet-data-ne');
export const LONELY = net('vnet-lonely-we');

function vnet(id: string, location: string, prefix: string, peerings: [string, { allowGatewayTransit?: boolean; useRemoteGateways?: boolean; state?: string }][] = []): VirtualNetworkView {
  return {
    id,
    location,
    properties: {
      addressSpace: { addressPrefixes: [prefix] },
      subnets: [{ name: 'GatewaySubnet' }],
      virtualNetworkPeerings: peerings.map(([remote, flags]) => ({
        name: `to-${remote.split('/').pop() ?? ''}`,
        properties: {
          remoteVirtualNetwork: { id: remote },
          peeringState: flags.state ?? 'Connected',
          allowGatewayTransit: flags.allowGatewayTransit ?? false,
          useRemoteGateways: flags.useRemoteGateways ?? false,
        },
      })),
    },
  };
}

export function regionalSite(name: string, subnetOf: string, routing: SiteView['properties']['outboundVnetRouting'] = { applicationTraffic: false }): SiteView {
  return { id: site(name), location: 'westeurope', properties: { serverFarmId: 'plan', virtualNetworkSubnetId: `${subnetOf}/subnets/apps`, outboundVnetRouting: routing } };
}

export const plainSite = (name: string): SiteView => ({ id: site(name), location: 'westeurope', properties: { serverFarmId: 'plan' } });

/** Hub with a VPN gateway and two on-premises networks (one RFC 1918, one not), peered spokes, a global peer. */
export function baseWorld(overrides: Partial<WorldView> = {}): WorldView {
  return {
    sites: [
      plainSite('app-none'),
      plainSite('app-gw'),
      plainSite('app-gw-routes'),
      plainSite('app-gw-nogateway'),
      plainSite('app-gw-cross-region'),
      regionalSite('app-reg', APPS),
      regionalSite('app-reg-routeall', APPS, { applicationTraffic: true }),
      regionalSite('app-reg-legacy', APPS, null),
    ],
    vnetConnections: {
      [site('app-gw')]: [{ name: 'vnet-hub-we', properties: { vnetResourceId: HUB, isSwift: false } }],
      [site('app-gw-routes')]: [{ properties: { vnetResourceId: HUB, routes: [{ startAddress: '10.10.0.0', endAddress: '10.10.255.255', routeType: 'STATIC' }] } }],
      [site('app-gw-nogateway')]: [{ properties: { vnetResourceId: LONELY } }],
      [site('app-gw-cross-region').toUpperCase()]: [{ properties: { vnetResourceId: NORTH } }],
    },
    appSettings: { [site('app-reg-legacy')]: { WEBSITE_VNET_ROUTE_ALL: '1', DB_HOST: 'db.corp.example' } },
    virtualNetworks: [
      vnet(HUB, 'westeurope', '10.10.0.0/16', [[SPOKE, { allowGatewayTransit: true }], [APPS, { allowGatewayTransit: true }]]),
      vnet(SPOKE, 'westeurope', '10.20.0.0/16', [[HUB, { useRemoteGateways: true }]]),
      vnet(APPS, 'westeurope', '10.40.0.0/16', [[HUB, { useRemoteGateways: true }], [NORTH, {}], [LONELY, {}]]),
      vnet(NORTH, 'northeurope', '10.30.0.0/16', [[APPS, {}]]),
      vnet(LONELY, 'westeurope', '10.50.0.0/16', [[APPS, { state: 'Initiated' }]]),
    ],
    virtualNetworkGateways: [
      { id: gw('gw-hub-we'), location: 'westeurope', properties: { ipConfigurations: [{ properties: { subnet: { id: `${HUB}/subnets/GatewaySubnet` } } }] } },
      { id: gw('gw-data-ne'), location: 'northeurope', properties: { ipConfigurations: [{ properties: { subnet: { id: `${NORTH}/subnets/GatewaySubnet` } } }] } },
    ],
    onPremises: [
      { name: 'dc-amsterdam', gatewayId: gw('gw-hub-we'), addressPrefixes: ['192.168.50.0/24'] },
      { name: 'dc-legacy-cgnat', gatewayId: gw('gw-hub-we'), addressPrefixes: ['100.70.0.0/16'] },
    ],
    dns: { 'db.corp.example': '100.70.1.10', 'files.corp.example': '192.168.50.20', 'api.contoso.com': '20.50.1.1' },
    dependencies: [
      { appId: site('app-reg'), target: 'files.corp.example:445', description: 'file share' },
      { appId: site('app-reg'), target: '10.30.0.4:1433', description: 'database in northeurope' },
      { appId: site('app-gw'), target: 'db.corp.example:1433', description: 'on-premises database' },
    ],
    ...overrides,
  };
}
