/**
 * A plan group moves several apps at once while their joins of the plan's subnet go one at a time: two joins of one
 * subnet at once fight over its service association link lease (409, ExtendedCode 70006). Two migrations of the
 * demo fleet run side by side in one world, one resource group each: `maxParallelPerPlan: 1` (one app after
 * another) and `maxParallelPerPlan: 4`. Judged on the simulator's audit log (when each join reached ARM and how long
 * it took) and on the app records' start and finish times, not on what the engine says about its pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatencyModel } from '@vnet-migrator/arm-simulator/policy/latency.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { allApps, startEngineWorld, waitForMigration, type AppStatusBody, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';

const SUBSCRIPTION = Object.values(DEMO_SUBSCRIPTIONS)[0] ?? '';
const SEQUENTIAL_GROUP = 'rg-web-ne';
const PIPELINED_GROUP = 'rg-web-we';
/** Simulated ms; the clock runs 20 times faster than real time, so the simulator's 15 s restart is ~0.75 s real. */
const JOIN_MS = 4_000;
const CLOCK_FACTOR = 20;

interface PlannedGroup {
  readonly planId: string;
  readonly apps: readonly { readonly appId: string; readonly subnetId: string }[];
}

interface Run {
  readonly status: MigrationStatusBody;
  readonly apps: readonly AppStatusBody[];
  readonly groups: readonly PlannedGroup[];
}

describe('a plan group moves several apps at once, one join of its subnet at a time', () => {
  let world: EngineWorld;
  const runs = new Map<string, Run>();

  const migrate = async (resourceGroup: string, maxParallelPerPlan: number): Promise<Run> => {
    const scope = { subscriptionIds: [SUBSCRIPTION], resourceGroups: [resourceGroup] };
    const dryRun = await world.api<{ plan: { groups: PlannedGroup[] } }>('POST', '/migrations', { scope, dryRun: true });
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    const started = await world.api<{ id: string }>('POST', '/migrations', { scope, maxParallel: 4, maxParallelPerPlan, verify: { healthPath: '/health', timeoutSeconds: 600 } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const status = await waitForMigration(world, started.body.id, ['Completed', 'Failed', 'Canceled'], 240_000);
    return { status, apps: await allApps(world, started.body.id), groups: dryRun.body.plan.groups };
  };

  /** The largest number of apps of one group whose [started, finished] intervals overlap at one instant. */
  const mostAtOnce = (run: Run, group: PlannedGroup): number => {
    const ids = new Set(group.apps.map((a) => a.appId.toLowerCase()));
    const edges = run.apps
      .filter((a) => ids.has(a.appId.toLowerCase()))
      .flatMap((a) => [
        { at: Date.parse(a.startedTime ?? ''), delta: 1 },
        { at: Date.parse(a.finishedTime ?? ''), delta: -1 },
      ])
      .sort((x, y) => x.at - y.at || x.delta - y.delta);
    let now = 0;
    let most = 0;
    for (const edge of edges) {
      now += edge.delta;
      most = Math.max(most, now);
    }
    return most;
  };

  /** Each join PATCH of the group's apps as ARM saw it: arrival and answer, in simulated ms (audit times are answer times). */
  const joinsOf = (group: PlannedGroup): { appId: string; from: number; to: number; status: number }[] =>
    group.apps.flatMap((app) =>
      world.sim.audit
        .query({ method: 'PATCH', pathContains: new URL(`https://x${app.appId}`).pathname })
        .filter((e) => e.path.toLowerCase().split('?')[0] === app.appId.toLowerCase())
        .map((e) => ({ appId: app.appId, from: e.time - e.durationMs * CLOCK_FACTOR, to: e.time, status: e.status })),
    );

  beforeAll(async () => {
    world = await startEngineWorld({
      simulator: {
        clockFactor: CLOCK_FACTOR,
        longRunningOperationMs: 0,
        subnetJoinLeaseMs: JOIN_MS,
        latency: createLatencyModel({ default: 50, perOperation: { 'PATCH Microsoft.Web/sites': JOIN_MS, 'PATCH Microsoft.Web/sites/slots': JOIN_MS } }),
      },
    });
    const [sequential, pipelined] = await Promise.all([migrate(SEQUENTIAL_GROUP, 1), migrate(PIPELINED_GROUP, 4)]);
    runs.set(SEQUENTIAL_GROUP, sequential);
    runs.set(PIPELINED_GROUP, pipelined);
  }, 300_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('moves every planned app of both migrations', () => {
    for (const run of runs.values()) {
      expect(run.status.status, JSON.stringify(run.status.error)).toBe('Completed');
      const planned = run.groups.reduce((n, g) => n + g.apps.length, 0);
      expect(planned).toBeGreaterThan(4);
      expect(run.status.summary['succeeded']).toBe(planned);
    }
  });

  it('with maxParallelPerPlan 4, several apps of one plan are under way at once; with 1, never two', () => {
    const pipelined = runs.get(PIPELINED_GROUP);
    const sequential = runs.get(SEQUENTIAL_GROUP);
    if (pipelined === undefined || sequential === undefined) throw new Error('the migrations did not run');
    const largest = [...pipelined.groups].sort((a, b) => b.apps.length - a.apps.length)[0];
    if (largest === undefined) throw new Error('no plan group');
    expect(largest.apps.length).toBeGreaterThanOrEqual(6);
    expect(mostAtOnce(pipelined, largest)).toBeGreaterThanOrEqual(2);
    expect(mostAtOnce(pipelined, largest)).toBeLessThanOrEqual(4);
    for (const group of sequential.groups) expect(mostAtOnce(sequential, group)).toBe(1);
  });

  it('never sends two joins of one subnet at once, so no join meets the lease conflict', () => {
    for (const run of runs.values()) {
      for (const group of run.groups) {
        const joins = joinsOf(group).sort((a, b) => a.from - b.from);
        expect(joins.length).toBe(group.apps.length);
        expect(joins.filter((j) => j.status === 409)).toEqual([]);
        for (let i = 1; i < joins.length; i += 1) {
          const [previous, next] = [joins[i - 1], joins[i]];
          if (previous === undefined || next === undefined) continue;
          expect(next.from, `${next.appId} joined while ${previous.appId}'s join was still running`).toBeGreaterThanOrEqual(previous.to);
        }
      }
    }
  });
});
