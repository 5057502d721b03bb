import { describe, expect, it } from 'vitest';
import {
  UnknownGatewayVnetError,
  applyPlanSubnetLimit,
  assessApp,
  blockForAddressSpace,
  type AppAssessmentInput,
  type EligibilityDecision,
  type VnetFacts,
} from '../../src/domain/eligibility.js';

const SUB = '00000000-1111-2222-3333-444444444444';
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const vnetId = (name: string) => `${RG}/providers/Microsoft.Network/virtualNetworks/${name}`;
const subnetId = (vnet: string, name: string) => `${vnetId(vnet)}/subnets/${name}`;
const PLAN = `${RG}/providers/Microsoft.Web/serverfarms/plan`;
const APP = `${RG}/providers/Microsoft.Web/sites/app`;

const vnet = (name: string, location: string, peerings: VnetFacts['peerings'] = []): VnetFacts => ({ id: vnetId(name), location, peerings });

const input = (overrides: {
  app?: Partial<AppAssessmentInput['app']>;
  tier?: string;
  name?: string;
  vnets?: VnetFacts[];
}): AppAssessmentInput => ({
  app: { id: APP, location: 'West Europe', slots: [], regionalSubnetId: null, gatewayVnetIds: [vnetId('hub')], ...overrides.app },
  plan: { id: PLAN, sku: { name: overrides.name ?? 'P1v3', tier: overrides.tier ?? 'PremiumV3' } },
  vnets: overrides.vnets ?? [vnet('hub', 'westeurope')],
});

describe('assessApp: one test per reason code', () => {
  it.each<[string, AppAssessmentInput, Partial<EligibilityDecision>, RegExp]>([
    ['eligible', input({}), { eligible: true, outcome: 'migrate', reason: 'eligible', strategy: 'direct', targetVnetId: vnetId('hub') }, /Eligible: moves to a regional subnet/],
    [
      'already-regional',
      input({ app: { regionalSubnetId: subnetId('hub', 'int') } }),
      { eligible: false, outcome: 'skip', reason: 'already-regional' },
      /Already uses regional integration/,
    ],
    ['no-gateway-integration', input({ app: { gatewayVnetIds: [] } }), { eligible: false, outcome: 'skip', reason: 'no-gateway-integration' }, /nothing to migrate/],
    ['unsupported-sku (Free)', input({ tier: 'Free', name: 'F1' }), { eligible: false, outcome: 'blocked', reason: 'unsupported-sku' }, /is Free \(F1\); regional integration needs Basic/],
    ['unsupported-sku (Shared)', input({ tier: 'Shared', name: 'D1' }), { reason: 'unsupported-sku' }, /Shared/],
    ['unsupported-sku (Consumption)', input({ tier: 'Dynamic', name: 'Y1' }), { reason: 'unsupported-sku' }, /Dynamic \(Y1\)/],
    ['unsupported-sku (Isolated)', input({ tier: 'IsolatedV2', name: 'I1v2' }), { reason: 'unsupported-sku' }, /IsolatedV2/],
    [
      'unsupported-sku (FlexConsumption: regional only, never gateway-based)',
      input({ tier: 'FlexConsumption', name: 'FC1' }),
      { eligible: false, outcome: 'blocked', reason: 'unsupported-sku' },
      /Flex Consumption apps support only regional integration, into a subnet delegated to Microsoft\.App\/environments/,
    ],
    ['unsupported-sku (unknown tier)', input({ tier: 'Quantum', name: 'Q1' }), { reason: 'unsupported-sku' }, /a tier this tool does not know/],
    [
      'multiple-gateway-vnets',
      input({ app: { gatewayVnetIds: [vnetId('hub'), vnetId('other')] }, vnets: [vnet('hub', 'westeurope'), vnet('other', 'westeurope')] }),
      { eligible: false, outcome: 'blocked', reason: 'multiple-gateway-vnets' },
      /connections to 2 VNets/,
    ],
    [
      'cross-region-vnet with no VNet in the region',
      input({ vnets: [vnet('hub', 'northeurope')] }),
      { eligible: false, outcome: 'blocked', reason: 'cross-region-vnet' },
      /needs a VNet in West Europe with global peering to it\. No VNet exists in West Europe\./,
    ],
    [
      'cross-region-vnet with an unpeered in-region VNet',
      input({ vnets: [vnet('hub', 'northeurope'), vnet('local', 'westeurope')] }),
      { reason: 'cross-region-vnet' },
      /VNets exist in West Europe \(.*local\) but none is peered with it/,
    ],
    [
      'cross-region-vnet with a peering that is not Connected',
      input({ vnets: [vnet('hub', 'northeurope'), vnet('local', 'westeurope', [{ remoteVnetId: vnetId('hub'), state: 'Initiated' }])] }),
      { reason: 'cross-region-vnet' },
      /local is peered with it but the peering is Initiated, not Connected/,
    ],
    [
      'cross-region gateway VNet with a Connected in-region peer is eligible, targeting the peer',
      input({ vnets: [vnet('hub', 'northeurope', [{ remoteVnetId: vnetId('local'), state: 'Connected' }]), vnet('local', 'West Europe')] }),
      { eligible: true, reason: 'eligible', targetVnetId: vnetId('local') },
      /Eligible/,
    ],
    [
      'slot-present',
      input({ app: { slots: [`${APP}/slots/staging`] } }),
      { eligible: true, outcome: 'migrate', reason: 'slot-present', strategy: 'slots-first', targetVnetId: vnetId('hub') },
      /slot strategy: it has 1 slot\(s\)/,
    ],
  ])('%s', (_name, assessment, expected, message) => {
    const decision = assessApp(assessment);
    expect(decision).toMatchObject(expected);
    expect(decision.message).toMatch(message);
  });

  it('reports whether an in-region peered VNet exists in the cross-region details', () => {
    const decision = assessApp(input({ vnets: [vnet('hub', 'northeurope'), vnet('local', 'westeurope', [{ remoteVnetId: vnetId('HUB'), state: 'Disconnected' }])] }));
    expect(decision.details).toMatchObject({ inRegionPeeredVnetId: vnetId('local'), peeringStates: ['Disconnected'], gatewayVnetLocation: 'northeurope' });
  });

  it('names the state each side of a peering reports when neither is Connected', () => {
    const decision = assessApp(
      input({ vnets: [vnet('hub', 'northeurope', [{ remoteVnetId: vnetId('local'), state: 'Disconnected' }]), vnet('local', 'westeurope', [{ remoteVnetId: vnetId('hub'), state: 'Initiated' }])] }),
    );
    expect(decision.message).toMatch(/is peered with it but the peering is Initiated\/Disconnected, not Connected\.$/);
  });

  describe('choosing the in-region VNet for a cross-region gateway VNet', () => {
    const hub = (peerings: VnetFacts['peerings'] = []) => vnet('hub', 'northeurope', peerings);
    const peer = (name: string, state = 'Connected') => ({ remoteVnetId: vnetId(name), state });
    const target = (vnets: VnetFacts[]) => assessApp(input({ vnets })).targetVnetId ?? null;

    it.each<[string, VnetFacts[], string | null]>([
      ['a Connected peering seen from the in-region side', [hub(), vnet('local', 'westeurope', [peer('hub')])], 'local'],
      ['a Connected peering seen from the gateway side', [hub([peer('local')]), vnet('local', 'westeurope')], 'local'],
      ['one side Connected, the other still Initiated', [hub([peer('local', 'Initiated')]), vnet('local', 'westeurope', [peer('hub')])], 'local'],
      ['a peer in a third region is not in the app\'s region', [hub([peer('far')]), vnet('far', 'eastus')], null],
      ['an in-region VNet peered with another VNet, not the gateway one', [hub(), vnet('local', 'westeurope', [peer('other')]), vnet('other', 'westeurope')], null],
      ['of two Connected in-region peers, the first by id', [hub([peer('zeta'), peer('alpha')]), vnet('zeta', 'westeurope'), vnet('alpha', 'westeurope')], 'alpha'],
      ['a Connected peer is preferred over an earlier one that is not', [hub([peer('alpha', 'Disconnected'), peer('beta')]), vnet('alpha', 'westeurope'), vnet('beta', 'westeurope')], 'beta'],
    ])('%s', (_name, vnets, expected) => {
      expect(target(vnets)).toBe(expected === null ? null : vnetId(expected));
    });

    it('says which VNet it used and why, in the notes', () => {
      const decision = assessApp(input({ vnets: [hub([peer('local')]), vnet('local', 'westeurope')] }));
      expect(decision.details).toMatchObject({
        gatewayVnetId: vnetId('hub'),
        targetVnetId: vnetId('local'),
        notes: [`Gateway VNet ${vnetId('hub')} is in northeurope; using in-region VNet ${vnetId('local')}, peered with it.`],
      });
    });

    it('a same-region gateway VNet is the target, with no notes', () => {
      expect(assessApp(input({})).details).toEqual({ gatewayVnetId: vnetId('hub'), targetVnetId: vnetId('hub'), notes: [] });
    });
  });

  it('multiple-gateway-vnets and unsupported-sku keep the facts a person needs in details', () => {
    const two = [vnetId('hub'), vnetId('other')];
    expect(assessApp(input({ app: { gatewayVnetIds: two }, vnets: [vnet('hub', 'westeurope'), vnet('other', 'westeurope')] })).details).toEqual({ gatewayVnetIds: two });
    expect(assessApp(input({ tier: 'Free', name: 'F1' })).details).toEqual({ planId: PLAN, skuName: 'F1', skuTier: 'Free' });
    expect(assessApp(input({ app: { regionalSubnetId: subnetId('hub', 'int') } })).details).toEqual({ subnetId: subnetId('hub', 'int') });
    expect(assessApp(input({ app: { slots: ['s1'] } })).details).toMatchObject({ slots: ['s1'] });
  });

  it('already-regional wins over a leftover gateway connection (one form of integration at a time)', () => {
    expect(assessApp(input({ app: { regionalSubnetId: subnetId('hub', 'x') }, tier: 'Free' })).reason).toBe('already-regional');
  });

  it('throws for a gateway VNet the inventory does not describe', () => {
    expect(() => assessApp(input({ vnets: [] }))).toThrow(UnknownGatewayVnetError);
    expect(() => assessApp(input({ vnets: [] }))).toThrow(
      expect.objectContaining({
        code: 'UnknownGatewayVnet',
        retryable: false,
        details: { appId: APP, vnetId: vnetId('hub') },
        message: `App ${APP} has a gateway connection to ${vnetId('hub')}, which the inventory does not describe; re-run the inventory with read access to that VNet.`,
      }) as Error,
    );
  });
});

describe('plan-level decisions', () => {
  const eligibleFor = (app: string, target: string): EligibilityDecision =>
    assessApp(input({ app: { id: `${RG}/providers/Microsoft.Web/sites/${app}`, gatewayVnetIds: [vnetId(target)] }, vnets: [vnet(target, 'westeurope')] }));

  it('plan-subnet-limit: three VNets for one plan blocks every app that needs a new subnet', () => {
    const decisions = [eligibleFor('a', 'v1'), eligibleFor('b', 'v2'), eligibleFor('c', 'v3')];
    const limited = applyPlanSubnetLimit(PLAN, decisions, []);
    expect(limited.map((d) => d.reason)).toEqual(['plan-subnet-limit', 'plan-subnet-limit', 'plan-subnet-limit']);
    expect(limited[0]?.message).toMatch(/would need 3 regional subnets \(0 in use, 3 new .*\) but a plan may use 2/);
  });

  it('plan-subnet-limit counts the regional subnets the plan already uses, and lets apps reuse them', () => {
    const decisions = [eligibleFor('a', 'v1'), eligibleFor('b', 'v2')];
    const limited = applyPlanSubnetLimit(PLAN, decisions, [subnetId('v1', 'int'), subnetId('v9', 'int')]);
    expect(limited.map((d) => d.reason)).toEqual(['eligible', 'plan-subnet-limit']);
  });

  it('plan-subnet-limit leaves skipped and blocked apps alone and does not count them', () => {
    const skipped = assessApp(input({ app: { id: `${RG}/providers/Microsoft.Web/sites/idle`, gatewayVnetIds: [] } }));
    const unsupported = assessApp(input({ app: { id: `${RG}/providers/Microsoft.Web/sites/free` }, tier: 'Free', name: 'F1' }));
    const decisions = [skipped, eligibleFor('a', 'v1'), unsupported, eligibleFor('b', 'v2')];
    expect(applyPlanSubnetLimit(PLAN, decisions, [])).toEqual(decisions);
    const limited = applyPlanSubnetLimit(PLAN, [...decisions, eligibleFor('c', 'v3')], []);
    expect(limited.map((d) => d.reason)).toEqual(['no-gateway-integration', 'plan-subnet-limit', 'unsupported-sku', 'plan-subnet-limit', 'plan-subnet-limit']);
    expect(limited[0]).toBe(skipped);
    expect(limited[2]).toBe(unsupported);
  });

  it('plan-subnet-limit names every target VNet, sorted, and keeps the counts in details', () => {
    const limited = applyPlanSubnetLimit(PLAN, [eligibleFor('c', 'v3'), eligibleFor('a', 'v1'), eligibleFor('b', 'v2')], [subnetId('v9', 'int')]);
    expect(limited[0]?.message).toBe(
      `Plan ${PLAN} would need 4 regional subnets (1 in use, 3 new for ${vnetId('v1')}, ${vnetId('v2')}, ${vnetId('v3')}) but a plan may use 2. ` +
        'Consolidate the plan\'s apps onto 2 VNets (peer the others) or move some apps to another plan.',
    );
    expect(limited[0]?.details).toEqual({
      planId: PLAN,
      limit: 2,
      subnetsNeeded: 4,
      existingRegionalSubnetIds: [subnetId('v9', 'int')],
      targetVnetIds: [vnetId('v1'), vnetId('v2'), vnetId('v3')],
    });
  });

  it('no-address-space says "none" when no range is free', () => {
    expect(blockForAddressSpace(eligibleFor('a', 'v1'), { vnetId: vnetId('v1'), prefixLength: 27, freeRanges: [] }).message).toBe(
      `VNet ${vnetId('v1')} has no reusable integration subnet and no free /27 for a new one (free ranges: none). Add an address prefix to the VNet or free a subnet.`,
    );
  });

  it('two VNets for one plan are within the limit', () => {
    const decisions = [eligibleFor('a', 'v1'), eligibleFor('b', 'v2'), eligibleFor('c', 'v1')];
    expect(applyPlanSubnetLimit(PLAN, decisions, []).map((d) => d.reason)).toEqual(['eligible', 'eligible', 'eligible']);
  });

  it('no-address-space: names the VNet, the size needed and the free ranges', () => {
    const decision = blockForAddressSpace(eligibleFor('a', 'v1'), { vnetId: vnetId('v1'), prefixLength: 26, freeRanges: ['10.0.0.64/27'] });
    expect(decision).toMatchObject({ eligible: false, outcome: 'blocked', reason: 'no-address-space', details: { freeRanges: ['10.0.0.64/27'], prefixLength: 26 } });
    expect(decision.message).toMatch(/no free \/26 .*free ranges: 10\.0\.0\.64\/27/);
  });
});

describe('assessApp: the whole message a person reads', () => {
  it.each<[string, AppAssessmentInput, string]>([
    [
      'FlexConsumption',
      input({ tier: 'FlexConsumption', name: 'FC1' }),
      `Plan ${PLAN} is FlexConsumption (FC1): Flex Consumption apps support only regional integration, into a subnet delegated to ` +
        'Microsoft.App/environments, never a gateway-based connection. Re-run the inventory: the gateway connection it reports cannot exist.',
    ],
    [
      'multiple gateway VNets',
      input({ app: { gatewayVnetIds: [vnetId('hub'), vnetId('other')] }, vnets: [vnet('hub', 'westeurope'), vnet('other', 'westeurope')] }),
      'Has gateway connections to 2 VNets, but regional integration connects an app to one subnet. Peer the VNets and keep one connection, then migrate.',
    ],
    [
      'a peering that is not Connected',
      input({ vnets: [vnet('hub', 'northeurope'), vnet('local', 'westeurope', [{ remoteVnetId: vnetId('hub'), state: 'Initiated' }])] }),
      `Gateway VNet ${vnetId('hub')} is in northeurope, the app in West Europe: regional integration needs a VNet in West Europe with global ` +
        `peering to it. In-region VNet ${vnetId('local')} is peered with it but the peering is Initiated, not Connected.`,
    ],
    [
      'in-region VNets without a peering',
      input({ vnets: [vnet('hub', 'northeurope'), vnet('a', 'westeurope'), vnet('b', 'West Europe')] }),
      `Gateway VNet ${vnetId('hub')} is in northeurope, the app in West Europe: regional integration needs a VNet in West Europe with global ` +
        `peering to it. VNets exist in West Europe (${vnetId('a')}, ${vnetId('b')}) but none is peered with it.`,
    ],
    [
      'slots',
      input({ app: { slots: [`${APP}/slots/a`, `${APP}/slots/b`] } }),
      'Eligible with the slot strategy: it has 2 slot(s); VNet integration is slot-specific and does not swap, so its slots move and are verified first, then production.',
    ],
  ])('%s', (_label, assessment, message) => {
    expect(assessApp(assessment).message).toBe(message);
  });

  it('a cross-region app with no peer at all has no peering states in its details', () => {
    expect(assessApp(input({ vnets: [vnet('hub', 'northeurope'), vnet('a', 'westeurope')] })).details).toEqual({
      gatewayVnetId: vnetId('hub'),
      gatewayVnetLocation: 'northeurope',
      appLocation: 'West Europe',
      inRegionPeeredVnetId: null,
      peeringStates: [],
      inRegionVnetIds: [vnetId('a')],
    });
  });

  it('no-address-space for a plan too large says so, with the sizes, whatever is free', () => {
    const decision = blockForAddressSpace(assessApp(input({})), { vnetId: vnetId('hub'), prefixLength: 13, freeRanges: ['10.0.0.0/24', '10.0.4.0/22'], tooLarge: { addressesNeeded: 402005, largestPlannablePrefix: 16 } });
    expect(decision.message).toBe(
      `The plan needs 402005 addresses, a /13 subnet, larger than the /16 this tool plans in VNet ${vnetId('hub')}. Check the plan's worker maximums, or split its apps across plans.`,
    );
    expect(blockForAddressSpace(assessApp(input({})), { vnetId: vnetId('hub'), prefixLength: 26, freeRanges: ['10.0.0.0/27', '10.0.1.0/27'] }).message).toBe(
      `VNet ${vnetId('hub')} has no reusable integration subnet and no free /26 for a new one (free ranges: 10.0.0.0/27, 10.0.1.0/27). Add an address prefix to the VNet or free a subnet.`,
    );
  });
});

describe('plan-subnet-limit names only the target VNets of apps that move', () => {
  it('a skipped app of the plan adds nothing to the list of targets', () => {
    const app = (name: string, target: string) =>
      assessApp(input({ app: { id: `${RG}/providers/Microsoft.Web/sites/${name}`, gatewayVnetIds: [vnetId(target)] }, vnets: [vnet(target, 'westeurope')] }));
    const idle = assessApp(input({ app: { id: `${RG}/providers/Microsoft.Web/sites/idle`, gatewayVnetIds: [] } }));
    const limited = applyPlanSubnetLimit(PLAN, [idle, app('a', 'v1'), app('b', 'v2'), app('c', 'v3')], []);
    expect(limited[1]?.details['targetVnetIds']).toEqual([vnetId('v1'), vnetId('v2'), vnetId('v3')]);
  });
});
