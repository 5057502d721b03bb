import { beforeEach, describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/domain/inventory.js';
import { buildMigrationPlan } from '../../src/domain/plan-builder.js';
import {
  ARM_LIMITS,
  DEFAULT_STEP_SECONDS,
  appDowntimeSeconds,
  appDurationSeconds,
  bucketSeconds,
  buildReadinessReport,
  scheduleSeconds,
  windowSeconds,
  type ReadinessInput,
} from '../../src/domain/readiness-report.js';
import { SUB, fleet, nsgId, planId, siteId, subnetId, vnetId } from './inventory-fixture.js';

const gatewayOf = (vnet: string, sku: string) => ({ id: `${vnetId(vnet)}-gw`, vnetId: vnetId(vnet), sku: { name: sku, tier: sku } });
// Planned inside each test, not when the file loads: Stryker switches a mutant on once the tests start, so a plan
// built at load time would never see it (docs/mutation.md).
const input = (extra: Partial<ReadinessInput> = {}): ReadinessInput => {
  const inventory = parseInventory(fleet());
  return {
    plan: buildMigrationPlan(inventory, { apiVersion: '2025-05-01' }),
    gateways: [gatewayOf('hub', 'VpnGw2'), gatewayOf('far', 'VpnGw1'), gatewayOf('tiny', 'Basic')],
    appGatewayVnets: inventory.apps.map((a) => ({ appId: a.id, gatewayVnetIds: a.gatewayConnections.map((c) => c.vnetId) })),
    maxParallel: 4,
    ...extra,
  };
};

describe('per-app estimates', () => {
  it('downtime is disconnect + regional join + restart; the app holds its group from snapshot to cleanup', () => {
    expect(appDowntimeSeconds(DEFAULT_STEP_SECONDS)).toBe(5 + 15 + 30);
    expect(appDurationSeconds(DEFAULT_STEP_SECONDS)).toBe(5 + 5 + 50 + 10 + 5);
  });
});

describe('ARM throttling arithmetic', () => {
  it('a token bucket lets its burst through at once, then the refill rate', () => {
    expect(bucketSeconds(200, 200, 10)).toBe(0);
    expect(bucketSeconds(7000, 200, 10)).toBe(680);
    expect(bucketSeconds(1000, 200, 10)).toBe(80);
  });

  it("Microsoft.Network's window waits a full window per 1,000 requests after the first", () => {
    expect(windowSeconds(1000, 1000, 300)).toBe(0);
    expect(windowSeconds(1001, 1000, 300)).toBe(300);
    expect(windowSeconds(2500, 1000, 300)).toBe(600);
  });
});

describe('scheduleSeconds (the fleet sliding window)', () => {
  it('runs groups one after another on one lane and on the first free lane otherwise', () => {
    expect(scheduleSeconds([235, 75, 85], 1)).toBe(395);
    // lane 0: 235; lane 1: 75 then 85.
    expect(scheduleSeconds([235, 75, 85], 2)).toBe(235);
    expect(scheduleSeconds([10, 10, 10, 10], 2)).toBe(20);
    expect(scheduleSeconds([], 3)).toBe(0);
  });

  it('refuses a lane count that is not a positive integer', () => {
    expect(() => scheduleSeconds([1], 0)).toThrow(RangeError);
    expect(() => scheduleSeconds([1], 1.5)).toThrow(RangeError);
  });
});

describe('buildReadinessReport on the fixture fleet', () => {
  let report: ReturnType<typeof buildReadinessReport>;
  beforeEach(() => {
    report = buildReadinessReport(input());
  });

  it('lists every app once, by reason code, in a stable order with the plan summary', () => {
    expect(report.byReason.map((r) => [r.reason, r.outcome, r.count])).toEqual([
      ['eligible', 'migrate', 4],
      ['slot-present', 'migrate', 1],
      ['already-regional', 'skip', 1],
      ['no-gateway-integration', 'skip', 1],
      ['unsupported-sku', 'blocked', 1],
      ['no-address-space', 'blocked', 1],
    ]);
    expect(report.byReason.reduce((n, r) => n + r.count, 0)).toBe(fleet().apps.length);
    expect(report.summary).toMatchObject({ apps: 9, migrate: 5, skip: 2, blocked: 2, groups: 3 });
    expect(report.byReason.find((r) => r.reason === 'no-address-space')?.apps[0]).toMatchObject({ appId: siteId('f1'), planId: planId('p6') });
  });

  it('names each subnet to create with its VNet, prefix and why that size', () => {
    expect(report.subnets.map((s) => [s.subnetId, s.action, s.addressPrefix, s.apps])).toEqual([
      [subnetId('hub', 'asp-p1-integration'), 'create', '10.0.0.128/25', 3],
      [subnetId('hub', 'app-int-empty'), 'reuse', '10.0.1.0/26', 1],
      [subnetId('local', 'asp-p3-integration'), 'create', '10.60.0.0/26', 1],
    ]);
    const p1 = report.subnets[0];
    expect(p1).toMatchObject({ vnetId: vnetId('hub'), prefixLength: 25, addressesNeeded: 65 });
    expect(p1?.why.length).toBeGreaterThan(1);
    expect(p1?.why.at(-1)).toMatch(/creating 10\.0\.0\.128\/25/);
    expect(report.summary).toMatchObject({ subnetsToCreate: 2, subnetsReused: 1 });
  });

  it('estimates downtime per migrating app and the fleet total', () => {
    expect(report.apps).toHaveLength(5);
    expect(new Set(report.apps.map((a) => a.downtimeSeconds))).toEqual(new Set([50]));
    expect(report.summary.totalDowntimeSeconds).toBe(250);
  });

  it('bounds the makespan by the groups on maxParallel lanes while ARM has tokens to spare', () => {
    // Groups: p1 3 apps + a new subnet = 235 s, p2 1 app reusing = 75 s, p3 1 app + new subnet = 85 s.
    expect(buildReadinessReport(input({ maxParallel: 1 })).makespan).toMatchObject({ scheduleSeconds: 395, throttleSeconds: 0, seconds: 395, boundBy: 'schedule' });
    expect(report.makespan).toMatchObject({ maxParallel: 4, groups: 3, scheduleSeconds: 235, seconds: 235, boundBy: 'schedule' });
    expect(report.makespan.perSubscription).toEqual([
      expect.objectContaining({ apps: 5, writes: 35, deletes: 5, networkWrites: 2, boundSeconds: 0 }),
    ]);
  });

  it('is bound by ARM throttling when the buckets are the slower', () => {
    const fast = { ...DEFAULT_STEP_SECONDS, snapshot: 0, routing: 0, disconnect: 0, regionalJoin: 0, restart: 1, verify: 0, cleanup: 0, createSubnet: 0 };
    const tight = { ...ARM_LIMITS, writeBurst: 5, writesPerSecond: 1 };
    const throttled = buildReadinessReport(input({ steps: fast, limits: tight }));
    expect(throttled.makespan).toMatchObject({ scheduleSeconds: 3, throttleSeconds: 30, seconds: 30, boundBy: 'arm-throttling' });
    expect(throttled.summary.makespanSeconds).toBe(30);
  });

  it('reports the gateways no app would use any more, and their monthly cost', () => {
    const byVnet = Object.fromEntries(report.gateways.gateways.map((g) => [g.vnetId, g]));
    expect(byVnet[vnetId('far')]).toMatchObject({ unused: true, appsMoved: 1, estimatedMonthlySavingUsd: 140 });
    // d1 (unsupported SKU) keeps using hub's gateway, f1 (no address space) tiny's.
    expect(byVnet[vnetId('hub')]).toMatchObject({ unused: false, appsStillUsing: [siteId('d1')] });
    expect(byVnet[vnetId('tiny')]).toMatchObject({ unused: false, appsStillUsing: [siteId('f1')] });
    expect(report.summary).toMatchObject({ unusedGateways: 1, monthlySavingUsd: 140 });
  });
});

describe('readiness arithmetic at its edges', () => {
  it('a bucket with more tokens than requests costs no time', () => {
    expect(bucketSeconds(100, 200, 10)).toBe(0);
  });

  it('names the bad lane count', () => {
    expect(() => scheduleSeconds([1], 0)).toThrow('maxParallel must be a positive integer, got 0');
  });

  it('a fleet with nothing to move reports no downtime per app', () => {
    const onlySkipped = fleet();
    onlySkipped.apps = onlySkipped.apps.filter((a) => a.gatewayConnections?.length === 0);
    const inventory = parseInventory(onlySkipped);
    const report = buildReadinessReport({ ...input(), plan: buildMigrationPlan(inventory, { apiVersion: '2025-05-01' }), appGatewayVnets: [] });
    expect(report.summary).toMatchObject({ migrate: 0, downtimeSecondsPerApp: 0, totalDowntimeSeconds: 0 });
  });

  it("lists each migrating app under its reason with its plan, and its plan notes as the message", () => {
    const report = buildReadinessReport(input());
    expect(report.byReason.find((r) => r.reason === 'slot-present')?.apps).toEqual([{ appId: siteId('a2'), planId: planId('p1'), message: '' }]);
    expect(report.byReason.find((r) => r.reason === 'eligible')?.apps.find((a) => a.appId === siteId('c1'))).toEqual({
      appId: siteId('c1'),
      planId: planId('p3'),
      message: `Gateway VNet ${vnetId('far')} is in northeurope; using in-region VNet ${vnetId('local')}, peered with it.`,
    });
  });
});

describe('readiness of plans spread over VNets and subscriptions', () => {
  it('counts, for each subnet of a plan that uses two VNets, the apps moving into that one', () => {
    const wide = fleet();
    wide.virtualNetworks.push({ id: vnetId('v1'), location: 'westeurope', addressPrefixes: ['10.10.0.0/24'] });
    wide.apps.push({ ...fleet().apps[0]!, id: siteId('a3'), gatewayConnections: [{ vnetId: vnetId('v1'), routes: [] }] });
    const report = buildReadinessReport({ ...input(), plan: buildMigrationPlan(parseInventory(wide), { apiVersion: '2025-05-01' }) });
    expect(report.subnets.filter((s) => s.planId === planId('p1')).map((s) => [s.vnetId, s.apps])).toEqual([
      [vnetId('hub'), 3],
      [vnetId('v1'), 1],
    ]);
  });

  it('lists the throttling of each subscription in subscription order, a VNet subscription with no app among them', () => {
    const NET_SUB = '00000000-0000-0000-0000-00000000000a';
    const sharedVnet = `/subscriptions/${NET_SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/shared`;
    const spread = fleet();
    spread.virtualNetworks.push({ id: sharedVnet, location: 'westeurope', addressPrefixes: ['10.80.0.0/24'] });
    spread.apps.push({ ...fleet().apps[0]!, id: siteId('b2'), planId: planId('p2'), gatewayConnections: [{ vnetId: sharedVnet, routes: [] }] });
    const report = buildReadinessReport({ ...input(), plan: buildMigrationPlan(parseInventory(spread), { apiVersion: '2025-05-01' }) });
    expect(report.makespan.perSubscription.map((s) => [s.subscriptionId, s.apps])).toEqual([
      [NET_SUB, 0],
      [SUB, 6],
    ]);
  });

  it('a fleet with nothing to move takes no time; with schedule and throttling even, the schedule is named as the bound', () => {
    const none = fleet();
    none.apps = [];
    const report = buildReadinessReport({ ...input(), plan: buildMigrationPlan(parseInventory(none), { apiVersion: '2025-05-01' }), appGatewayVnets: [] });
    expect(report.makespan).toMatchObject({ scheduleSeconds: 0, throttleSeconds: 0, seconds: 0, boundBy: 'schedule', perSubscription: [] });
  });

  it("gives each migrating app's downtime in the summary, and a message of all its plan notes", () => {
    const noted = fleet();
    // c1 moves to 'local' (peered with its gateway VNet 'far': one note) and reuses an empty subnet there whose NSG
    // the inventory does not describe (a second note).
    const local = noted.virtualNetworks.find((v) => v.id === vnetId('local'));
    if (local === undefined) throw new Error('fixture changed');
    local.subnets = [{ id: subnetId('local', 'ready'), addressPrefix: '10.60.0.0/25', delegations: ['Microsoft.Web/serverFarms'], networkSecurityGroupId: nsgId('unlisted') }];
    const report = buildReadinessReport({ ...input(), plan: buildMigrationPlan(parseInventory(noted), { apiVersion: '2025-05-01' }) });
    expect(report.summary.downtimeSecondsPerApp).toBe(50);
    expect(report.byReason.find((r) => r.reason === 'eligible')?.apps.find((a) => a.appId === siteId('c1'))?.message).toBe(
      `Gateway VNet ${vnetId('far')} is in northeurope; using in-region VNet ${vnetId('local')}, peered with it. ` +
        `NSG ${nsgId('unlisted')} on the target subnet is not in the inventory; its rules were not checked.`,
    );
  });

  it('a subscription with no network writes waits for no network window', () => {
    expect(windowSeconds(0, 1000, 300)).toBe(0);
  });
});

