import { describe, expect, it } from 'vitest';
import { cidrsOverlap, parseCidr } from '../../src/domain/cidr.js';
import { parseInventory, type InventoryInput } from '../../src/domain/inventory.js';
import { SUBNET_NAME_MAX_LENGTH, buildMigrationPlan, type MigrationPlan, type PlanGroup } from '../../src/domain/plan-builder.js';
import { app, fleet, planId, siteId, subnetId, vnetId } from './inventory-fixture.js';

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
  const plan = build(fleet());

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
