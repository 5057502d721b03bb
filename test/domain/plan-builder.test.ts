import { beforeEach, describe, expect, it } from 'vitest';
import { cidrsOverlap, parseCidr } from '../../src/domain/cidr.js';
import { parseInventory, type InventoryInput } from '../../src/domain/inventory.js';
import { SUBNET_NAME_MAX_LENGTH, buildMigrationPlan, type MigrationPlan, type PlanGroup } from '../../src/domain/plan-builder.js';
import { app, fleet, nsgId, planId, siteId, subnetId, vnetId } from './inventory-fixture.js';

const OPTIONS = { apiVersion: '2025-05-01' };
const build = (input: InventoryInput, options = OPTIONS): MigrationPlan => buildMigrationPlan(parseInventory(input), options);
const group = (plan: MigrationPlan, name: string): PlanGroup => {
  const found = plan.groups.find((g) => g.planId === planId(name));
  if (found === undefined) throw new Error(`no group for ${name}`);
  return found;
};
const p1v3 = (name: string) => ({ id: planId(name), location: 'West Europe', sku: { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 30 });

/** Deterministic Fisher-Yates (mulberry32), applied to every array in the input, at every depth. */
function shuffleDeep<T>(value: T, seed: number): T {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const copy = v.map(visit);
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    }
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}

describe('buildMigrationPlan on the fixture fleet', () => {
  // Built before each test, not when the file loads: Stryker switches a mutant on once the tests start, so a plan
  // built at load time would never see it (docs/mutation.md).
  let plan: MigrationPlan;
  beforeEach(() => {
    plan = build(fleet());
  });

  it('groups migrating apps by plan and lists every other app with its reason, sorted by id', () => {
    expect(plan.groups.map((g) => g.planId)).toEqual([planId('p1'), planId('p2'), planId('p3')]);
    expect(plan.skipped.map((s) => [s.appId, s.outcome, s.reason])).toEqual([
      [siteId('d1'), 'blocked', 'unsupported-sku'],
      [siteId('e1'), 'skip', 'no-gateway-integration'],
      [siteId('e2'), 'skip', 'already-regional'],
      [siteId('f1'), 'blocked', 'no-address-space'],
    ]);
    expect(plan.summary).toEqual({ migrate: 5, skip: 2, blocked: 2 });
  });

  it('creates a sized subnet at the lowest free aligned block when no empty delegated subnet is big enough', () => {
    expect(group(plan, 'p1').subnets).toEqual([
      expect.objectContaining({ name: 'asp-p1-integration', subnetId: subnetId('hub', 'asp-p1-integration'), addressPrefix: '10.0.0.128/25', action: 'create' }),
    ]);
    expect(group(plan, 'p1').subnets[0]?.sizing).toMatchObject({ prefixLength: 25, addressesNeeded: 65 });
  });

  it('orders steps per app, ensures the subnet once per plan, and migrates slots before their site', () => {
    const apps = group(plan, 'p1').apps;
    expect(apps.map((a) => a.appId)).toEqual([siteId('a1'), `${siteId('a2')}/slots/staging`, siteId('a2')]);
    expect(apps.map((a) => a.steps.map((s) => s.kind))).toEqual([
      ['snapshot', 'ensure-subnet', 'apply-routing', 'disconnect-gateway', 'connect-regional', 'verify', 'remove-legacy-settings'],
      ['snapshot', 'apply-routing', 'disconnect-gateway', 'connect-regional', 'verify'],
      ['snapshot', 'apply-routing', 'disconnect-gateway', 'connect-regional', 'verify', 'remove-legacy-settings'],
    ]);
    expect(apps[2]).toMatchObject({ reason: 'slot-present', strategy: 'slots-first', dependsOn: [`${siteId('a2')}/slots/staging`] });
    expect(apps[2]?.steps[1]).toEqual({
      kind: 'apply-routing',
      appId: siteId('a2'),
      siteProperties: { outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: false } },
    });
    expect(apps[2]?.steps[2]).toMatchObject({ kind: 'disconnect-gateway', connectionName: 'hub' });
  });

  it('reuses the tightest empty subnet delegated to Microsoft.Web/serverFarms', () => {
    expect(group(plan, 'p2').subnets[0]).toMatchObject({ subnetId: subnetId('hub', 'app-int-empty'), addressPrefix: '10.0.1.0/26', action: 'reuse' });
    expect(group(plan, 'p2').apps[0]?.steps[1]).toMatchObject({ kind: 'ensure-subnet', action: 'reuse' });
  });

  it('targets an in-region VNet peered with a cross-region gateway VNet', () => {
    const c1 = group(plan, 'p3').apps[0];
    expect(c1).toMatchObject({ gatewayVnetId: vnetId('far'), targetVnetId: vnetId('local'), subnetId: subnetId('local', 'asp-p3-integration') });
    expect(c1?.notes.join(' ')).toMatch(/using in-region VNet .*local, peered with it/);
    expect(group(plan, 'p3').subnets[0]).toMatchObject({ addressPrefix: '10.60.0.0/26', sizing: { prefixLength: 26 } });
  });

  it('blocks with the free ranges when the VNet has no room', () => {
    expect(plan.skipped.find((s) => s.appId === siteId('f1'))?.details).toEqual({ vnetId: vnetId('tiny'), prefixLength: 27, freeRanges: ['10.70.0.16/28'] });
  });

  it('is JSON-serializable as is', () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('buildMigrationPlan behaviour', () => {
  it('is deterministic: every shuffle of the input yields the same plan', () => {
    const input = fleet();
    input.plans.push(p1v3('q1'), p1v3('q2'));
    input.apps.push(app('q1-app', 'q1', 'hub'), app('q2-app', 'q2', 'hub'), app('Q0-app', 'q2', 'hub'));
    const expected = JSON.stringify(build(input));
    for (let seed = 1; seed <= 25; seed += 1) {
      expect(JSON.stringify(build(shuffleDeep(input, seed)))).toBe(expected);
    }
  });

  it('never gives two plans overlapping allocations, nor overlaps an existing subnet', () => {
    const input = fleet();
    for (let i = 0; i < 8; i += 1) {
      input.plans.push(p1v3(`extra-${i}`));
      input.apps.push(app(`extra-app-${i}`, `extra-${i}`, 'hub'));
    }
    const plan = build(input);
    const created = plan.groups.flatMap((g) => g.subnets.filter((s) => s.action === 'create' && s.vnetId === vnetId('hub')));
    expect(created).toHaveLength(9);
    const blocks = created.map((s) => parseCidr(s.addressPrefix ?? ''));
    const existing = ['10.0.0.0/27', '10.0.1.0/26', '10.0.2.0/24'].map(parseCidr);
    blocks.forEach((block, i) => {
      expect(existing.some((e) => cidrsOverlap(e, block))).toBe(false);
      blocks.slice(i + 1).forEach((other) => expect(cidrsOverlap(block, other)).toBe(false));
    });
  });

  it('names new subnets within ARM limits and avoids names already taken', () => {
    const input = fleet();
    const longName = `plan-${'x'.repeat(70)}`;
    input.plans.push(p1v3(longName));
    input.apps.push(app('long-app', longName, 'hub'));
    input.virtualNetworks[0]?.subnets?.push({ id: subnetId('hub', 'ASP-P1-INTEGRATION'), addressPrefix: '10.0.3.0/28', inUse: true });
    const plan = build(input);
    expect(group(plan, 'p1').subnets[0]?.name).toBe('asp-p1-integration-2');
    const long = group(plan, longName).subnets[0]?.name ?? '';
    expect(long.length).toBe(SUBNET_NAME_MAX_LENGTH);
    expect(long).toMatch(/^asp-plan-x+-integration$/);
  });

  it('reuses the subnet a plan already integrates with in that VNet', () => {
    const input = fleet();
    input.apps.push(app('e3', 'p5', 'hub'));
    const g = group(build(input), 'p5');
    expect(g.subnets[0]).toMatchObject({ subnetId: subnetId('hub', 'used'), action: 'reuse', addressPrefix: '10.0.2.0/24' });
    expect(g.subnets[0]?.reason).toMatch(/already integrates other apps with this subnet/);
  });

  it('blocks every app of a plan that would need more than two regional subnets', () => {
    const input = fleet();
    for (const name of ['v1', 'v2', 'v3']) {
      input.virtualNetworks.push({ id: vnetId(name), location: 'westeurope', addressPrefixes: [`10.${name.slice(1)}0.0.0/24`] });
      input.apps.push(app(`multi-${name}`, 'p1', name));
    }
    const plan = build(input);
    expect(plan.skipped.filter((s) => s.reason === 'plan-subnet-limit').map((s) => s.appId)).toEqual(
      [siteId('a1'), siteId('a2'), `${siteId('a2')}/slots/staging`, siteId('multi-v1'), siteId('multi-v2'), siteId('multi-v3')],
    );
    expect(plan.groups.map((g) => g.planId)).not.toContain(planId('p1'));
  });

  it('warns when the reused subnet NSG blocks content share traffic', () => {
    const input = fleet();
    const b1 = input.apps.find((a) => a.id === siteId('b1'));
    if (b1 === undefined) throw new Error('fixture changed');
    b1.routingSettings = { WEBSITE_CONTENTOVERVNET: '1' };
    const routing = group(build(input), 'p2').apps[0]?.routing;
    expect(routing?.warnings.join('\n')).toMatch(/outbound TCP 445 to Storage, but NSG rule 'deny-smb'/);
  });

  it('writes the flat routing properties for api-versions before 2025-03-01', () => {
    const plan = build(fleet(), { apiVersion: '2024-11-01' });
    expect(group(plan, 'p1').apps[2]?.routing.siteProperties).toEqual({ vnetRouteAllEnabled: true, vnetImagePullEnabled: false, vnetContentShareEnabled: false });
  });

  it('blocks a plan too large for any plannable subnet without stopping the rest of the fleet', () => {
    const input = fleet();
    input.plans.push({ ...p1v3('huge'), maximumNumberOfWorkers: 1000 });
    for (let i = 0; i < 200; i += 1) input.apps.push(app(`huge-${String(i).padStart(3, '0')}`, 'huge', 'hub', { hyperV: true }));
    const plan = build(input);
    const huge = plan.skipped.filter((s) => s.planId === planId('huge'));
    expect(huge).toHaveLength(200);
    expect(huge[0]).toMatchObject({ reason: 'no-address-space', details: { prefixLength: 13 } });
    expect(plan.groups.map((g) => g.planId)).toEqual([planId('p1'), planId('p2'), planId('p3')]);
  });
});

describe('buildMigrationPlan: which existing subnet it reuses', () => {
  const web = ['Microsoft.Web/serverFarms'];
  type Candidate = { name: string; addressPrefix: string; delegations?: string[]; inUse?: boolean; serviceAssociationLinks?: { linkedResourceType: string; link: string }[] };
  const planFor = (candidates: Candidate[]) =>
    group(
      build({
        plans: [p1v3('p')],
        apps: [app('x', 'p', 'hub')],
        virtualNetworks: [
          {
            id: vnetId('hub'),
            location: 'westeurope',
            addressPrefixes: ['10.0.0.0/16'],
            subnets: candidates.map(({ name, ...rest }) => ({ id: subnetId('hub', name), ...rest })),
          },
        ],
        networkSecurityGroups: [],
      }),
      'p',
    ).subnets[0];

  it.each<[string, Candidate, boolean]>([
    ['empty, delegated to Microsoft.Web/serverFarms only', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: web }, true],
    ['the delegation spelled in lower case', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: ['microsoft.web/serverfarms'] }, true],
    ['not delegated', { name: 'c', addressPrefix: '10.0.8.0/24' }, false],
    ['delegated to Microsoft.App/environments', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: ['Microsoft.App/environments'] }, false],
    ['delegated to Web and to another service', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: [...web, 'Microsoft.Sql/managedInstances'] }, false],
    ['linked to another plan', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: web, serviceAssociationLinks: [{ linkedResourceType: 'Microsoft.Web/serverfarms', link: planId('other') }] }, false],
    ['in use by something else', { name: 'c', addressPrefix: '10.0.8.0/24', delegations: web, inUse: true }, false],
    ['smaller than the plan needs', { name: 'c', addressPrefix: '10.0.8.0/29', delegations: web }, false],
  ])('%s: reused %s', (_name, candidate, reused) => {
    const chosen = planFor([candidate]);
    expect(chosen?.action).toBe(reused ? 'reuse' : 'create');
    if (reused) expect(chosen?.subnetId).toBe(subnetId('hub', 'c'));
    else expect(chosen?.subnetId).not.toBe(subnetId('hub', 'c'));
  });

  it('of several that fit, the tightest, then the lowest address', () => {
    const fitting = (name: string, addressPrefix: string): Candidate => ({ name, addressPrefix, delegations: web });
    expect(planFor([fitting('big', '10.0.0.0/22'), fitting('tight', '10.0.9.0/25'), fitting('mid', '10.0.8.0/24')])?.subnetId).toBe(subnetId('hub', 'tight'));
    expect(planFor([fitting('upper', '10.0.9.0/24'), fitting('lower', '10.0.8.0/24')])?.subnetId).toBe(subnetId('hub', 'lower'));
  });
});

describe('buildMigrationPlan: what each group and app carries', () => {
  it('counts skipped and blocked apps apart in the summary', () => {
    const input = fleet();
    input.apps.push(app('e3', 'p5', null), app('e4', 'p5', null));
    expect(build(input).summary).toEqual({ migrate: 5, skip: 4, blocked: 2 });
  });

  it("keeps the plan's location and SKU on its group", () => {
    expect(group(build(fleet()), 'p2')).toMatchObject({ location: 'West Europe', sku: { name: 'S1', tier: 'Standard' } });
  });

  it("adds the plan's routes for the gateway VNet, not another VNet's, in address order, to the app's routing", () => {
    const input = fleet();
    const p2 = input.plans.find((p) => p.id === planId('p2'));
    const b1 = input.apps.find((a) => a.id === siteId('b1'));
    if (p2 === undefined || b1 === undefined) throw new Error('fixture changed');
    p2.vnetRoutes = [
      { vnetId: vnetId('hub'), routes: [{ startAddress: '52.1.0.0', endAddress: '52.1.0.255' }, { startAddress: '52.1.0.0', endAddress: '52.1.0.127' }] },
      { vnetId: vnetId('far'), routes: [{ startAddress: '40.1.0.0', endAddress: '40.1.0.255' }] },
    ];
    b1.gatewayConnections = [{ vnetId: vnetId('hub'), routes: [{ startAddress: '60.1.0.0', endAddress: '60.1.0.255' }] }];
    const routing = group(build(input), 'p2').apps[0]?.routing;
    expect(routing?.siteProperties).toMatchObject({ outboundVnetRouting: { applicationTraffic: true } });
    expect(routing?.reasons[0]).toBe(
      'Application traffic goes through the VNet: the gateway routed 52.1.0.0-52.1.0.127, 52.1.0.0-52.1.0.255, 60.1.0.0-60.1.0.255 outside RFC 1918, ' +
        'which regional integration would otherwise send to the internet.',
    );
  });

  it("notes an NSG on a reused subnet that the inventory does not describe, and does not check it", () => {
    const input = fleet();
    input.networkSecurityGroups = [];
    const b1 = group(build(input), 'p2').apps[0];
    expect(b1?.notes).toEqual([`NSG ${nsgId('web-nsg')} on the target subnet is not in the inventory; its rules were not checked.`]);
    expect(group(build(fleet()), 'p2').apps[0]?.notes).toEqual([]);
    // A subnet it creates has no NSG to check.
    expect(group(build(input), 'p1').apps.map((a) => a.notes)).toEqual([[], [], []]);
  });

  it('reuses a subnet the plan already integrates with even when the inventory does not list it, without a prefix', () => {
    const input = fleet();
    const e2 = input.apps.find((a) => a.id === siteId('e2'));
    if (e2 === undefined) throw new Error('fixture changed');
    e2.regionalSubnetId = subnetId('hub', 'unlisted');
    input.apps.push(app('e3', 'p5', 'hub'));
    const g = group(build(input), 'p5');
    expect(g.subnets).toEqual([expect.objectContaining({ subnetId: subnetId('hub', 'unlisted'), name: 'unlisted', addressPrefix: null, action: 'reuse' })]);
    expect(g.apps[0]?.steps[1]).toEqual({ kind: 'ensure-subnet', action: 'reuse', vnetId: vnetId('hub'), subnetId: subnetId('hub', 'unlisted'), addressPrefix: null, delegation: 'Microsoft.Web/serverFarms' });
  });

  it('waits only for the slots that migrate: a slot already on regional integration is not a dependency', () => {
    const input = fleet();
    const staging = input.apps.find((a) => a.id === `${siteId('a2')}/slots/staging`);
    if (staging === undefined) throw new Error('fixture changed');
    staging.gatewayConnections = [];
    staging.regionalSubnetId = subnetId('hub', 'used');
    const a2 = build(input).groups.flatMap((g) => g.apps).find((a) => a.appId === siteId('a2'));
    expect(a2).toMatchObject({ strategy: 'slots-first', dependsOn: [] });
  });

  it('blocks only the apps whose target VNet has no room; the same plan still moves its apps to its other VNet', () => {
    const input = fleet();
    input.apps.push(app('f2', 'p1', 'tiny'));
    const plan = build(input);
    expect(group(plan, 'p1').apps.map((a) => a.appId)).toEqual([siteId('a1'), `${siteId('a2')}/slots/staging`, siteId('a2')]);
    expect(plan.skipped.find((s) => s.appId === siteId('f2'))).toMatchObject({
      planId: planId('p1'),
      outcome: 'blocked',
      reason: 'no-address-space',
      details: { vnetId: vnetId('tiny'), prefixLength: 25, freeRanges: ['10.70.0.16/28'] },
    });
  });

  it('keeps why a too-large plan cannot be planned in the details of each of its apps', () => {
    const input = fleet();
    input.plans.push({ ...p1v3('huge'), maximumNumberOfWorkers: 1000 });
    for (let i = 0; i < 200; i += 1) input.apps.push(app(`huge-${String(i).padStart(3, '0')}`, 'huge', 'hub', { hyperV: true }));
    const huge = build(input).skipped.find((s) => s.planId === planId('huge'));
    expect(huge?.details).toEqual({
      vnetId: vnetId('hub'),
      prefixLength: 13,
      freeRanges: ['10.0.0.32/27', '10.0.0.64/26', '10.0.0.128/25', '10.0.1.64/26', '10.0.1.128/25', '10.0.3.0/24', '10.0.4.0/22', '10.0.8.0/21', '10.0.16.0/20', '10.0.32.0/19', '10.0.64.0/18', '10.0.128.0/17'],
      // (1000 instances + one address per Windows container app per instance) x 2, plus Azure's 5.
      addressesNeeded: 2 * (1000 + 200 * 1000) + 5,
      largestPlannablePrefix: 16,
    });
    expect(huge?.message).toMatch(/^The plan needs \d+ addresses, a \/13 subnet, larger than the \/16 this tool plans in VNet /);
  });
});

describe('buildMigrationPlan: names of the subnets it creates', () => {
  const nameFor = (planName: string, taken: string[] = []): string => {
    const input = fleet();
    input.plans.push(p1v3(planName));
    input.apps.push(app('named-app', planName, 'local'));
    for (const name of taken) (input.virtualNetworks[2]!.subnets ??= []).push({ id: subnetId('local', name), addressPrefix: `10.60.0.${16 * (input.virtualNetworks[2]!.subnets?.length ?? 0)}/28`, inUse: true });
    return group(build(input), planName).subnets[0]?.name ?? '';
  };

  it.each([
    ['a plain name is kept', 'web-prod', 'asp-web-prod-integration'],
    ['upper case is lowered', 'Web.Prod_1', 'asp-web.prod_1-integration'],
    ['accents are dropped, with nothing else replaced', 'Prödüktion', 'asp-produktion-integration'],
  ])('%s: %s → %s', (_label, planName, expected) => {
    expect(nameFor(planName)).toBe(expected);
  });

  // The hash must never change: a re-planned fleet must name (and so find) the same subnet as the first plan did.
  // Expected values: FNV-1a (32-bit) over the name's UTF-16 units, first 6 hex digits, computed outside this code.
  it.each([
    ['a name of only other characters', '東京', 'asp-06271e-integration'],
    ['each run of other characters becomes one dash, leading and trailing ones dropped', '..Web(Prod)!!', 'asp-web-prod-8d34f6-integration'],
  ])('%s: %s → %s, with a stable hash of the real name', (_label, planName, expected) => {
    expect(nameFor(planName)).toBe(expected);
  });

  it('two plans whose names read alike once cleaned get different subnets', () => {
    expect(nameFor('大阪')).not.toBe(nameFor('東京'));
  });
});

describe('buildMigrationPlan: plans sharing a VNet', () => {
  const rgPlanId = (rg: string, name: string) => planId(name).replace('/rg-app/', `/${rg}/`);
  const rgSiteId = (rg: string, name: string) => siteId(name).replace('/rg-app/', `/${rg}/`);
  const twoPlans = (subnets: NonNullable<InventoryInput['virtualNetworks'][number]['subnets']>): MigrationPlan =>
    build({
      plans: ['rg-a', 'rg-b'].map((rg) => ({ ...p1v3('web'), id: rgPlanId(rg, 'web') })),
      apps: ['rg-a', 'rg-b'].map((rg) => ({ ...app('x', 'web', 'hub'), id: rgSiteId(rg, 'x'), planId: rgPlanId(rg, 'web') })),
      virtualNetworks: [{ id: vnetId('hub'), location: 'westeurope', addressPrefixes: ['10.0.0.0/16'], subnets }],
      networkSecurityGroups: [],
    });

  it('gives two plans of the same name (in different resource groups) different subnet names', () => {
    expect(twoPlans([]).groups.map((g) => g.subnets[0]?.name)).toEqual(['asp-web-integration', 'asp-web-integration-2']);
  });

  it('lets only one plan reuse an empty delegated subnet; the other creates its own', () => {
    const plan = twoPlans([{ id: subnetId('hub', 'empty'), addressPrefix: '10.0.8.0/24', delegations: ['Microsoft.Web/serverFarms'] }]);
    expect(plan.groups.map((g) => [g.subnets[0]?.action, g.subnets[0]?.name])).toEqual([
      ['reuse', 'empty'],
      ['create', 'asp-web-integration'],
    ]);
    expect(plan.groups[0]?.subnets[0]?.reason).toBe('Reusing empty subnet 10.0.8.0/24, delegated to Microsoft.Web/serverFarms and at least /25.');
  });

  it("does not take the plan's regional subnet in another VNet for the VNet its apps move to", () => {
    const input = fleet();
    input.apps.push(app('e3', 'p5', 'local'));
    const g = group(build(input), 'p5');
    expect(g.subnets).toEqual([expect.objectContaining({ vnetId: vnetId('local'), action: 'create', name: 'asp-p5-integration' })]);
  });

  it.each([
    ['a run of several other characters in the middle becomes one dash', 'Web()Prod', 'asp-web-prod-f06379-integration'],
    ['a trailing run of dashes and dots is dropped whole', 'Web(Prod).', 'asp-web-prod-ed34d9-integration'],
  ])('%s: %s → %s (FNV-1a computed outside this code)', (_label, planName, expected) => {
    const input = fleet();
    input.plans.push(p1v3(planName));
    input.apps.push(app('named-app', planName, 'local'));
    expect(group(build(input), planName).subnets[0]?.name).toBe(expected);
  });
});

describe('buildMigrationPlan: lists in the plan are in id order, whatever order the inventory gives', () => {
  it('a site waits for its migrating slots, listed in id order', () => {
    const input = fleet();
    const a2 = input.apps.find((a) => a.id === siteId('a2'));
    if (a2 === undefined) throw new Error('fixture changed');
    a2.slots = [`${siteId('a2')}/slots/zeta`, `${siteId('a2')}/slots/alpha`, `${siteId('a2')}/slots/staging`];
    input.apps.push(app(`${siteId('a2')}/slots/zeta`, 'p1', 'hub'), app(`${siteId('a2')}/slots/alpha`, 'p1', 'hub'));
    const site = group(build(input), 'p1').apps.find((a) => a.appId === siteId('a2'));
    expect(site?.dependsOn).toEqual([`${siteId('a2')}/slots/alpha`, `${siteId('a2')}/slots/staging`, `${siteId('a2')}/slots/zeta`]);
  });

  it('an app connected to two gateway VNets is blocked, naming them in id order', () => {
    const input = fleet();
    input.apps.push(app('two-gw', 'p1', null, { gatewayConnections: [{ vnetId: vnetId('tiny'), routes: [] }, { vnetId: vnetId('hub'), routes: [] }] }));
    expect(build(input).skipped.find((s) => s.appId === siteId('two-gw'))).toMatchObject({
      outcome: 'blocked',
      reason: 'multiple-gateway-vnets',
      details: { gatewayVnetIds: [vnetId('hub'), vnetId('tiny')] },
    });
  });

  it("a plan over its subnet limit names the subnets it already uses in id order, not its apps' order", () => {
    const input = fleet();
    // p5's apps in execution order: e0 (in VNet zz), then e2 (in hub); a third VNet for e4 takes it over two.
    input.apps.push(app('e0', 'p5', null, { regionalSubnetId: subnetId('zz', 'apps') }), app('e4', 'p5', 'local'));
    expect(build(input).skipped.find((s) => s.appId === siteId('e4'))).toMatchObject({
      reason: 'plan-subnet-limit',
      details: { subnetsNeeded: 3, existingRegionalSubnetIds: [subnetId('hub', 'used'), subnetId('zz', 'apps')] },
    });
  });

  it("routes an app's application traffic through the VNet when its gateway VNet has public address space", () => {
    const input = fleet();
    input.virtualNetworks.push({ id: vnetId('public'), location: 'westeurope', addressPrefixes: ['10.90.0.0/24', '52.10.0.0/24'] });
    input.plans.push(p1v3('pub'));
    input.apps.push(app('pub-app', 'pub', 'public'));
    const routing = group(build(input), 'pub').apps[0]?.routing;
    expect(routing?.siteProperties).toEqual({ outboundVnetRouting: { applicationTraffic: true, imagePullTraffic: false, contentShareTraffic: false } });
    expect(routing?.reasons.join('\n')).toMatch(/the VNet address space includes 52\.10\.0\.0\/24 outside RFC 1918/);
  });
});

