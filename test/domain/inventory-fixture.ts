/** A small fleet exercising every planning path; tests tweak copies of it. */
import type { InventoryInput } from '../../src/domain/inventory.js';

export const SUB = '00000000-1111-2222-3333-444444444444';
const NET = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network`;
const WEB = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Web`;

export const vnetId = (name: string): string => `${NET}/virtualNetworks/${name}`;
export const subnetId = (vnet: string, name: string): string => `${vnetId(vnet)}/subnets/${name}`;
export const planId = (name: string): string => `${WEB}/serverfarms/${name}`;
export const siteId = (name: string): string => `${WEB}/sites/${name}`;
export const nsgId = (name: string): string => `${NET}/networkSecurityGroups/${name}`;

type AppInput = InventoryInput['apps'][number];

export const app = (name: string, plan: string, gatewayVnet: string | null, extra: Partial<AppInput> = {}): AppInput => ({
  id: name.includes('/') ? name : siteId(name),
  kind: 'app',
  location: 'West Europe',
  planId: planId(plan),
  gatewayConnections: gatewayVnet === null ? [] : [{ vnetId: vnetId(gatewayVnet), routes: [] }],
  ...extra,
});

export function fleet(): InventoryInput {
  return {
    plans: [
      { id: planId('p1'), location: 'West Europe', sku: { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 30 },
      { id: planId('p2'), location: 'West Europe', sku: { name: 'S1', tier: 'Standard' }, maximumNumberOfWorkers: 10 },
      {
        id: planId('p3'),
        location: 'West Europe',
        sku: { name: 'EP1', tier: 'ElasticPremium' },
        maximumNumberOfWorkers: 1,
        maximumElasticWorkerCount: 20,
      },
      { id: planId('p4'), location: 'West Europe', sku: { name: 'F1', tier: 'Free' }, maximumNumberOfWorkers: 1 },
      { id: planId('p5'), location: 'West Europe', sku: { name: 'B1', tier: 'Basic' }, maximumNumberOfWorkers: 3 },
      { id: planId('p6'), location: 'West Europe', sku: { name: 'S1', tier: 'Standard' }, maximumNumberOfWorkers: 10 },
    ],
    apps: [
      app('a1', 'p1', 'hub', { appSettingNames: ['WEBSITE_CONTENTOVERVNET', 'DB'], routingSettings: { WEBSITE_CONTENTOVERVNET: '1' } }),
      app('a2', 'p1', 'hub', {
        slots: [`${siteId('a2')}/slots/staging`],
        appSettingNames: ['WEBSITE_VNET_ROUTE_ALL'],
        routingSettings: { WEBSITE_VNET_ROUTE_ALL: '1' },
        gatewayConnections: [{ vnetId: vnetId('hub'), routes: [{ startAddress: '52.1.0.0', endAddress: '52.1.0.255' }] }],
      }),
      app(`${siteId('a2')}/slots/staging`, 'p1', 'hub'),
      app('b1', 'p2', 'hub', { hyperV: false }),
      app('c1', 'p3', 'far'),
      app('d1', 'p4', 'hub'),
      app('e1', 'p5', null),
      app('e2', 'p5', null, { regionalSubnetId: subnetId('hub', 'used') }),
      app('f1', 'p6', 'tiny'),
    ],
    virtualNetworks: [
      {
        id: vnetId('hub'),
        location: 'westeurope',
        addressPrefixes: ['10.0.0.0/16'],
        subnets: [
          { id: subnetId('hub', 'GatewaySubnet'), addressPrefix: '10.0.0.0/27', inUse: true },
          {
            id: subnetId('hub', 'app-int-empty'),
            addressPrefix: '10.0.1.0/26',
            delegations: ['Microsoft.Web/serverFarms'],
            networkSecurityGroupId: nsgId('web-nsg'),
          },
          {
            id: subnetId('hub', 'used'),
            addressPrefix: '10.0.2.0/24',
            delegations: ['Microsoft.Web/serverFarms'],
            serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.Web/serverfarms', link: planId('p5') }],
            inUse: true,
          },
        ],
      },
      {
        id: vnetId('far'),
        location: 'northeurope',
        addressPrefixes: ['10.50.0.0/16'],
        peerings: [{ id: `${vnetId('far')}/virtualNetworkPeerings/to-local`, remoteVnetId: vnetId('local'), state: 'Connected' }],
      },
      { id: vnetId('local'), location: 'westeurope', addressPrefixes: ['10.60.0.0/24'] },
      {
        id: vnetId('tiny'),
        location: 'westeurope',
        addressPrefixes: ['10.70.0.0/27'],
        subnets: [{ id: subnetId('tiny', 'vms'), addressPrefix: '10.70.0.0/28', inUse: true }],
      },
    ],
    networkSecurityGroups: [
      {
        id: nsgId('web-nsg'),
        rules: [
          {
            name: 'deny-smb',
            priority: 100,
            direction: 'Outbound',
            access: 'Deny',
            protocol: 'Tcp',
            destinationPortRanges: ['445'],
            destinationAddressPrefix: 'Storage',
          },
        ],
      },
    ],
  };
}
