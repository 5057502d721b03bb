import { describe, expect, it } from 'vitest';
import { adviseApp, type AdviceInput } from '../../src/domain/migration-advice.js';

const vnet = (name: string): string => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/${name}`;
const base: AdviceInput = {
  gatewayVnetId: vnet('hub'),
  gatewayVnetAddressPrefixes: ['10.0.0.0/16'],
  targetVnetId: vnet('spoke'),
  gatewayRoutes: [],
  peerings: [],
  targetSubnetRules: [],
  dependencies: [],
};

describe('advice per app', () => {
  it('says nothing when the gateway carried only its own VNet', () => {
    expect(adviseApp({ ...base, gatewayRoutes: [{ startAddress: '10.0.0.0', endAddress: '10.0.255.255' }] })).toEqual([]);
  });

  it('asks for gateway transit when on-premises ranges were reached through another VNet’s gateway', () => {
    const advice = adviseApp({ ...base, gatewayRoutes: [{ startAddress: '192.168.10.0', endAddress: '192.168.10.255', routeType: 'INHERITED' }] });
    expect(advice).toEqual([expect.stringMatching(/192\.168\.10\.0-192\.168\.10\.255.*gateway transit/)]);
  });

  it('is satisfied by a connected peering that uses the remote gateway', () => {
    const routes = [{ startAddress: '192.168.10.0', endAddress: '192.168.10.255' }];
    const peerings = [{ vnetId: vnet('spoke'), remoteVnetId: vnet('hub'), state: 'Connected', allowGatewayTransit: false, useRemoteGateways: true }];
    expect(adviseApp({ ...base, gatewayRoutes: routes, peerings })).toEqual([]);
    expect(adviseApp({ ...base, gatewayRoutes: routes, peerings: [{ ...peerings[0]!, state: 'Initiated' }] })).toHaveLength(1);
  });

  it('points at the same VNet’s site-to-site path when the app stays in the gateway’s VNet', () => {
    const advice = adviseApp({ ...base, targetVnetId: vnet('hub'), gatewayRoutes: [{ startAddress: '172.16.0.0', endAddress: '172.16.0.255' }] });
    expect(advice).toEqual([expect.stringMatching(/site-to-site VPN or ExpressRoute/)]);
  });

  it('names the NSG rule that would block a dependency, by port and priority', () => {
    const rules = [
      { name: 'allow-web', priority: 200, direction: 'Outbound', access: 'Allow', destinationPortRanges: ['443'], destinationAddressPrefix: '*' },
      { name: 'deny-sql', priority: 100, direction: 'Outbound', access: 'Deny', destinationPortRanges: ['1400-1500'], destinationAddressPrefix: '*' },
    ];
    expect(adviseApp({ ...base, targetSubnetRules: rules, dependencies: ['db.internal:1433', 'api.internal:443'] })).toEqual([expect.stringMatching(/deny-sql \(priority 100\).*1433/)]);
    // A higher-priority allow decides first.
    const allowedFirst = [{ ...rules[0]!, priority: 50, destinationPortRanges: ['*'] }, rules[1]!];
    expect(adviseApp({ ...base, targetSubnetRules: allowedFirst, dependencies: ['db.internal:1433'] })).toEqual([]);
  });

  it('describes blue-green as advice for apps with slots', () => {
    expect(adviseApp({ ...base, hasSlots: true })).toEqual([expect.stringMatching(/^Blue-green \(advice, not executed\)/)]);
  });
});
