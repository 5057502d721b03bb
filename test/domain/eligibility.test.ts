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

  it('already-regional wins over a leftover gateway connection (one form of integration at a time)', () => {
    expect(assessApp(input({ app: { regionalSubnetId: subnetId('hub', 'x') }, tier: 'Free' })).reason).toBe('already-regional');
  });

  it('throws for a gateway VNet the inventory does not describe', () => {
    expect(() => assessApp(input({ vnets: [] }))).toThrow(UnknownGatewayVnetError);
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
