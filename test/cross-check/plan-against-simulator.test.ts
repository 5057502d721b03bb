/**
 * The planner (src/domain) and the ARM simulator (tools/arm-simulator/src) were written independently so that a planning bug
 * cannot hide behind the same bug in the simulator's rules. This runs one against the other on the demo fleet:
 * discover the inventory over ARM (the product's discoverFleet), plan it, execute every planned step with the real SDK clients, then check that
 * the simulator accepted every step, that every migrated app works and is integrated as planned, and, on a world of
 * its own (the attempts disturb it), that the simulator refuses what the planner blocked. No test depends on another
 * having run first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFleet } from '../../src/azure/discovery/discover-fleet.js';
import type { FleetDiscovery } from '../../src/azure/discovery/fleet-discovery.js';
import { buildMigrationPlan, type MigrationPlan } from '../../src/domain/plan-builder.js';
import { resourceIdKey } from '../../src/domain/resource-id.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { attemptBlocked, CHECKED_REASONS } from './attempt-blocked.js';
import { executePlan, SubscriptionClients, type AppExecution, type PlanExecution } from './execute-plan.js';
import { armViewDisagreements, downtimeSince, health, serviceAssociationDisagreements, tcpping } from './verify-migration.js';

/** Simulated ms per real ms: a 15 s restart passes in 50 real ms, a 3 s LRO in 10. */
const CLOCK_FACTOR = 300;
const API_VERSION = '2025-05-01';
const BREAKS_AFTER_MIGRATION = 'orders-legacy-we';
/** plan-limit-we's apps: each eligible alone, together three VNets for a plan allowed two regional subnets. */
const LIMITED_APPS = ['claims-api-we', 'edi-api-we', 'records-api-we'];

const short = (id: string): string => id.split('/sites/')[1] ?? id;

/** A fresh demo world, discovered over ARM and planned. */
async function discoverAndPlan(): Promise<{ sim: SimulatorHandle; clients: SubscriptionClients; world: FleetDiscovery; plan: MigrationPlan }> {
  const sim = await startTestSimulator({ scenario: 'demo', clockFactor: CLOCK_FACTOR, longRunningOperationMs: 3000, pageSize: 100 });
  const clients = new SubscriptionClients(staticCredential('migrator'), { endpoint: sim.url, caPem: sim.caPem });
  const world = await discoverFleet({ subscriptionIds: Object.values(DEMO_SUBSCRIPTIONS) }, { clientsFor: (subscriptionId) => clients.for(subscriptionId) });
  return { sim, clients, world, plan: buildMigrationPlan(world.inventory, { apiVersion: API_VERSION }) };
}

describe('the planner against the independent ARM simulator, on the demo fleet', () => {
  let sim: SimulatorHandle;
  let clients: SubscriptionClients;
  let world: FleetDiscovery;
  let plan: MigrationPlan;
  let execution: PlanExecution;

  const hostOf = (appId: string): string => world.apps.find((a) => resourceIdKey(a.appId) === resourceIdKey(appId))?.hostName ?? '';
  const migrated = (): readonly AppExecution[] => execution.apps.filter((a) => a.join !== undefined);

  beforeAll(async () => {
    ({ sim, clients, world, plan } = await discoverAndPlan());
    execution = await executePlan(plan, clients, sim.clock);
    // Let every restart a disconnect caused run out before anything is judged.
    const lastDisconnect = Math.max(...execution.apps.map((a) => a.disconnect?.end ?? 0));
    const settled = lastDisconnect + sim.settings.restartDurationMs + 1000;
    while (sim.clock.now() < settled) await sim.clock.sleep(settled - sim.clock.now());
  }, 60_000);
  afterAll(async () => {
    await sim.stop();
  });

  it('discovers the whole demo fleet over ARM and plans a migration for the gateway-based apps', () => {
    // 63 sites and 3 staging slots; the ones with neither a gateway connection nor a rule problem are skipped.
    expect(world.inventory.apps).toHaveLength(66);
    expect(plan.summary.migrate).toBeGreaterThan(0);
    expect(plan.groups.flatMap((g) => g.apps.map((a) => short(a.appId)))).toContain(BREAKS_AFTER_MIGRATION);
    expect(plan.skipped.filter((s) => s.reason === 'plan-subnet-limit').map((s) => short(s.appId)).sort()).toEqual(LIMITED_APPS);
    console.log(`plan: ${JSON.stringify(plan.summary)}; skipped/blocked: ${plan.skipped.map((s) => `${short(s.appId)}=${s.reason}`).join(', ')}`);
  });

  it('every planned step is accepted by the simulator (no 4xx)', () => {
    const described = execution.failures.map((f) => `${short(f.appId)} ${f.step}: ${f.statusCode ?? '?'} ${f.code} — ${f.message}`);
    expect(described, described.join('\n')).toEqual([]);
    expect(migrated()).toHaveLength(plan.summary.migrate);
  });

  it('after the migration every migrated app answers 200 on its health path and tcpping reaches each dependency', async () => {
    const problems: string[] = [];
    let pinged = 0;
    for (const app of migrated()) {
      const answer = await health(sim, hostOf(app.appId));
      if (answer.status !== 200) {
        const failing = answer.body.dependencies.filter((d) => !d.reachable).map((d) => `${d.target} ${d.reason}`);
        problems.push(`${short(app.appId)}: health ${answer.status} ${answer.body.status} (${failing.join(', ')})`);
      }
      for (const dependency of answer.body.dependencies) {
        const ping = await tcpping(sim, hostOf(app.appId), dependency.target);
        pinged += 1;
        if (ping.ExitCode !== 0 || !ping.Output.includes(`Connected to ${dependency.target}`)) {
          problems.push(`${short(app.appId)}: tcpping ${dependency.target} exit ${ping.ExitCode}`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(pinged).toBeGreaterThan(0);
  });

  it(`${BREAKS_AFTER_MIGRATION} stays healthy: the planner routes its application traffic through the VNet`, async () => {
    const app = migrated().find((a) => short(a.appId) === BREAKS_AFTER_MIGRATION);
    expect(app, `${BREAKS_AFTER_MIGRATION} was not migrated`).toBeDefined();
    if (app === undefined) return;
    const answer = await health(sim, hostOf(app.appId));
    expect(answer.body.dependencies.map((d) => `${d.target} ${d.reason}`)).toEqual(['mainframe.corp.contoso.example:3270 on-premises']);
    expect(answer.status).toBe(200);
    expect(app.siteProperties).toMatchObject({ outboundVnetRouting: { applicationTraffic: true } });
  });

  it('each migrated app was down for a bounded time: at least its restart, at most the restart or the disconnect-to-join gap', async () => {
    const restartMs = sim.settings.restartDurationMs;
    const problems: string[] = [];
    const downtimes: number[] = [];
    for (const app of migrated()) {
      const downtime = await downtimeSince(sim, hostOf(app.appId), execution.from);
      downtimes.push(downtime);
      const disconnect = app.disconnect ?? { start: 0, end: 0 };
      const join = app.join ?? { start: 0, end: 0 };
      // Down from the disconnect (it restarts the app) until both the restart is over and the app has joined.
      const upper = Math.max(disconnect.end - disconnect.start + restartMs, join.end - disconnect.start);
      if (downtime < restartMs || downtime > upper) problems.push(`${short(app.appId)}: ${downtime} ms down, expected ${restartMs}..${upper}`);
    }
    const sorted = [...downtimes].sort((a, b) => a - b);
    const seconds = (ms: number | undefined): string => ((ms ?? Number.NaN) / 1000).toFixed(1);
    console.log(`downtime per migrated app (simulated s, n=${sorted.length}): min ${seconds(sorted[0])}, median ${seconds(sorted[Math.floor(sorted.length / 2)])}, max ${seconds(sorted.at(-1))}`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the three views of regional integration agree, no gateway connection remains, and routing is as planned', async () => {
    const problems: string[] = [];
    for (const app of migrated()) problems.push(...(await armViewDisagreements(clients, app)));
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('each integration subnet carries a service association link naming the plan that joined it', async () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const app of migrated()) {
      const key = `${resourceIdKey(app.subnetId)}|${resourceIdKey(app.planId)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(...(await serviceAssociationDisagreements(clients, app.subnetId, app.planId)));
    }
    expect(seen.size).toBe(plan.groups.reduce((n, g) => n + g.subnets.length, 0));
    expect(problems, problems.join('\n')).toEqual([]);
  });

});

describe('the planner against the independent ARM simulator: what it blocked', () => {
  let sim: SimulatorHandle;
  let clients: SubscriptionClients;
  let world: FleetDiscovery;
  let plan: MigrationPlan;

  // A world of its own: the attempts below disconnect the blocked apps, which would disturb the checks above.
  beforeAll(async () => {
    ({ sim, clients, world, plan } = await discoverAndPlan());
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('what the planner blocked for a rule reason, the simulator refuses when it is attempted anyway', async () => {
    const blocked = plan.skipped.filter((s) => s.outcome === 'blocked' && (CHECKED_REASONS as readonly string[]).includes(s.reason));
    expect(blocked.length).toBeGreaterThan(0);
    const attempts = await attemptBlocked(clients, world.inventory, blocked);
    console.log(attempts.map((a) => `${short(a.appId)} (${a.reason}): ${a.attempted} → ${a.refusals.length > 0 ? a.refusals.join('; ') : 'accepted'}`).join('\n'));
    const problems: string[] = [];
    for (const attempt of attempts.filter((a) => a.reason !== 'plan-subnet-limit')) {
      if (attempt.accepted.length > 0 || attempt.refusals.length === 0) problems.push(`${short(attempt.appId)} (${attempt.reason}): the simulator accepted ${attempt.accepted.join(', ')}`);
    }
    // The subnet limit is the plan's, not each app's: plan-limit-we's apps join one VNet each, in order, so the first
    // two joins fit the plan's two regional subnets and the third must be refused with App Service's limit.
    const limited = attempts.filter((a) => a.reason === 'plan-subnet-limit');
    expect(limited.map((a) => short(a.appId)).sort()).toEqual(LIMITED_APPS);
    expect(limited.map((a) => a.accepted.length)).toEqual([1, 1, 0]);
    expect(limited.at(-1)?.refusals).toEqual([expect.stringMatching(/^join .*: 409 PlanVnetLimitExceeded$/) as unknown]);
    const expectedCode: Record<string, string> = {
      'cross-region-vnet': 'VnetRegionMismatch',
      'unsupported-sku': 'VnetIntegrationNotSupportedForSku',
      'no-address-space': 'Netcfg',
    };
    for (const attempt of attempts) {
      const code = expectedCode[attempt.reason];
      if (code !== undefined && attempt.refusals.some((r) => !r.includes(code))) {
        problems.push(`${short(attempt.appId)} (${attempt.reason}): refused for another reason than ${code}: ${attempt.refusals.join('; ')}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
