/**
 * The engine under what real ARM and real hosts do: 20 % of ARM requests failing transiently (500s, dropped
 * connections, throttling, "another operation in progress", and writes that were applied yet answered 504), and
 * the Functions host SIGKILLed twice in the middle of the fleet and restarted. Either way the demo fleet must end
 * exactly as an undisturbed run does, with no app written twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '@vnet-migrator/arm-simulator/contract.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { allApps, startEngineWorld, waitForMigration, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';
import { appWrites, auditSince } from './fleet-audit.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);
const ARM = '^/subscriptions/';

/**
 * `joinsExactlyOnce`: with injected 504s the Azure SDK itself re-sends an applied PATCH (core-rest-pipeline retries
 * 5xx for every method); re-joining the same subnet is a no-op, so only the disconnect count is strict there.
 */
async function expectWholeFleetMoved(world: EngineWorld, id: string, final: MigrationStatusBody, since: number, joinsExactlyOnce: boolean): Promise<void> {
  expect(final.status, JSON.stringify(final.error)).toBe('Completed');
  const apps = await allApps(world, id);
  const unfinished = apps.filter((a) => a.outcome !== 'succeeded' && a.outcome !== 'skipped').map((a) => `${a.appId}: ${a.outcome} ${a.reasonCode} ${a.message}`);
  expect(unfinished, unfinished.join('\n')).toEqual([]);
  const migrated = apps.filter((a) => a.outcome === 'succeeded');
  expect(migrated).toHaveLength(final.plan?.migrate ?? -1);
  const audit = await auditSince(world.sim, since);
  const twice = migrated.flatMap((a) => {
    const writes = appWrites(audit, a.appId);
    return writes.disconnects.length === 1 && (joinsExactlyOnce ? writes.joins.length === 1 : writes.joins.length >= 1) ? [] : [`${a.appId}: ${writes.disconnects.length} disconnects, ${writes.joins.length} joins`];
  });
  expect(twice, twice.join('\n')).toEqual([]);
}

describe('the demo fleet under faults and crashes', () => {
  let world: EngineWorld | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('fully succeeds with 20 % transient ARM faults, ambiguous applied-then-504 answers included', async () => {
    world = await startEngineWorld();
    const since = world.sim.clock.now();
    const rules = [
      { id: 'f-500', kind: 'http500', probability: 0.06, pathPattern: ARM },
      { id: 'f-reset', kind: 'reset', probability: 0.03, pathPattern: ARM },
      { id: 'f-429', kind: 'http429', probability: 0.03, retryAfterSeconds: 1, pathPattern: ARM },
      { id: 'f-busy', kind: 'another-operation', probability: 0.02, retryAfterSeconds: 1, pathPattern: ARM },
      ...['PUT', 'PATCH', 'DELETE'].map((method): FaultRule => ({ id: `f-504-${method}`, kind: 'applied-then-504', method, probability: 0.06, pathPattern: ARM })),
    ] satisfies FaultRule[];
    for (const rule of rules) world.sim.faults.add(rule);
    const started = await world.api<{ id: string }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, verify: { healthPath: '/health', timeoutSeconds: 60 } });
    expect(started.status).toBe(202);
    const final = await waitForMigration(world, started.body.id, ['Completed', 'Failed', 'Canceled'], 400_000);
    const fired = world.sim.faults.list().reduce((n, r) => n + r.fired, 0);
    expect(fired, 'faults must actually have hit the run').toBeGreaterThan(20);
    expect(world.sim.faults.list().find((r) => r.id === 'f-504-DELETE')?.fired ?? 0).toBeGreaterThan(0);
    await expectWholeFleetMoved(world, started.body.id, final, since, false);
  }, 500_000);

  it('finishes the fleet with the same outcomes after the host is SIGKILLed twice mid-fleet, touching no app twice', async () => {
    // continueAsNew every 3 plan groups, so kills also land around generation changes.
    world = await startEngineWorld({ simulator: { longRunningOperationMs: 0 }, env: { MIGRATOR_GROUPS_PER_GENERATION: '3' } });
    const since = world.sim.clock.now();
    const started = await world.api<{ id: string }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, maxParallel: 3, verify: { healthPath: '/health', timeoutSeconds: 60 } });
    expect(started.status).toBe(202);
    for (const threshold of [6, 24]) {
      await waitForProgress(world, started.body.id, threshold);
      await world.kill();
      await world.restartHost();
    }
    const final = await waitForMigration(world, started.body.id, ['Completed', 'Failed', 'Canceled'], 300_000);
    await expectWholeFleetMoved(world, started.body.id, final, since, true);
  }, 400_000);
});

async function waitForProgress(world: EngineWorld, id: string, finishedApps: number): Promise<void> {
  const deadline = Date.now() + 200_000;
  for (;;) {
    const { body } = await world.api<MigrationStatusBody>('GET', `/migrations/${id}`);
    const done = (body.summary['succeeded'] ?? 0) + (body.summary['rolledBack'] ?? 0) + (body.summary['failed'] ?? 0);
    if (done >= finishedApps) return;
    if (body.status === 'Completed' || Date.now() > deadline) throw new Error(`migration ${id} reached ${body.status} with ${done} apps done before ${finishedApps}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
