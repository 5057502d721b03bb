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

describe('advice per app: where each rule draws its line', () => {
  const transitPeering = { vnetId: vnet('spoke'), remoteVnetId: vnet('hub'), state: 'Connected', allowGatewayTransit: false, useRemoteGateways: true };
  const onPremises = [{ startAddress: '192.168.10.0', endAddress: '192.168.10.255' }];

  it.each<[string, AdviceInput['gatewayRoutes'], readonly string[], boolean]>([
    ['a route ending on the last address of the VNet', [{ startAddress: '10.0.255.0', endAddress: '10.0.255.255' }], ['10.0.0.0/16'], false],
    ['a route running one address past the VNet', [{ startAddress: '10.0.255.0', endAddress: '10.1.0.0' }], ['10.0.0.0/16'], true],
    ['a route starting one address before the VNet', [{ startAddress: '9.255.255.255', endAddress: '10.0.0.10' }], ['10.0.0.0/16'], true],
    ['a route inside the second address prefix', [{ startAddress: '10.9.0.0', endAddress: '10.9.0.255' }], ['10.0.0.0/16', '10.9.0.0/24'], false],
  ])('%s: advice %s', (_label, gatewayRoutes, gatewayVnetAddressPrefixes, advised) => {
    expect(adviseApp({ ...base, gatewayRoutes, gatewayVnetAddressPrefixes })).toHaveLength(advised ? 1 : 0);
  });

  it('names each range once, with the gateway VNet and the target in the advice', () => {
    expect(adviseApp({ ...base, gatewayRoutes: [...onPremises, ...onPremises, { startAddress: '172.16.0.0', endAddress: '172.16.0.255' }] })).toEqual([
      `The app reached 192.168.10.0-192.168.10.255, 172.16.0.0-172.16.0.255 through the gateway of ${vnet('hub')}. From ${vnet('spoke')} they need a peering to that VNet with gateway transit (allowGatewayTransit on its side, useRemoteGateways on this side).`,
    ]);
  });

  it.each<[string, Partial<typeof transitPeering>, boolean]>([
    ['the connected peering from the target using the remote gateway', {}, false],
    ['a peering from another VNet to the gateway VNet', { vnetId: vnet('other') }, true],
    ['a peering from the target to another VNet', { remoteVnetId: vnet('other') }, true],
    ['a peering that does not use the remote gateway', { useRemoteGateways: false }, true],
    ['a peering that is not Connected', { state: 'Disconnected' }, true],
  ])('gateway transit through %s: advice %s', (_label, change, advised) => {
    expect(adviseApp({ ...base, gatewayRoutes: onPremises, peerings: [{ ...transitPeering, ...change }] })).toHaveLength(advised ? 1 : 0);
  });

  const deny = (destinationPortRanges: string[], extra: Partial<AdviceInput['targetSubnetRules'][number]> = {}) => ({
    name: 'deny-out',
    priority: 100,
    direction: 'Outbound',
    access: 'Deny',
    destinationPortRanges,
    destinationAddressPrefix: '*',
    ...extra,
  });

  it.each<[string, AdviceInput['targetSubnetRules'], string, boolean]>([
    ['a range ending at the port', [deny(['1400-1433'])], 'db:1433', true],
    ['a range starting at the port', [deny(['1433-1500'])], 'db:1433', true],
    ['a range below the port', [deny(['1400-1432'])], 'db:1433', false],
    ['a range above the port', [deny(['1434-1500'])], 'db:1433', false],
    ['the port itself', [deny(['1433'])], 'db:1433', true],
    ['another single port', [deny(['1434'])], 'db:1433', false],
    ['any port', [deny(['*'])], 'db:1433', true],
    ['ports written with spaces', [deny([' 1400 - 1500 '])], 'db:1433', true],
    ['one of several ranges', [deny(['80', '1433'])], 'db:1433', true],
    ['an unreadable range', [deny(['sql'])], 'db:1433', false],
    ['port 80 when the dependency names none', [deny(['80'])], 'web.internal', true],
    ['an inbound rule', [deny(['1433'], { direction: 'Inbound' })], 'db:1433', false],
    ['an allow with a lower priority number than the deny', [deny(['1433'], { priority: 200 }), deny(['1433'], { access: 'Allow', priority: 150, name: 'allow' })], 'db:1433', false],
    ['a deny with a lower priority number than the allow', [deny(['1433'], { priority: 200, access: 'Allow', name: 'allow' }), deny(['1433'], { priority: 150 })], 'db:1433', true],
  ])('an NSG rule denying %s: advice %s', (_label, targetSubnetRules, dependency, advised) => {
    expect(adviseApp({ ...base, targetSubnetRules, dependencies: [dependency] })).toHaveLength(advised ? 1 : 0);
  });
});
