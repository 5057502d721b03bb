/**
 * The move activity (the downtime window in one activity): idempotent from ARM's state alone. Driven as the durable
 * runtime drives it — re-run after the host died between its two ARM calls, re-run after a retryable failure, run
 * through applied-then-504 answers — over the simulator (demo fleet) and Azurite, the activities built exactly as
 * the host builds them. ARM writes are counted from the simulator's audit (what its handlers applied), and a refused
 * half is undone by the saga's compensations back to the snapshot, compared field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineActivities, type ActivityHandler, type ActivityName } from '../../src/activities/engine-activities.js';
import type { EngineDependencies } from '../../src/activities/engine-dependencies.js';
import { disconnectGateway, readAppNetworkState } from '../../src/azure/app-networking/index.js';
import { WEB_API_VERSION } from '../../src/azure/web-api-version.js';
import { MigrationRequestSchema } from '../../src/domain/migration-request.js';
import type { StepResult } from '../../src/domain/migration-model.js';
import { startAzurite, type RunningAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { ACTIVITIES } from '../../src/orchestrations/engine-names.js';
import type { LoadedGroup, StepTiming } from '../../src/orchestrations/engine-contract.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { openStateTables, type StateTables } from '../../src/state/state-tables.js';
import { appWrites, auditSince } from '../e2e/fleet-audit.js';
import { operationOptions, PROD, siteId, startDemoSimulator } from '../azure/app-networking/support.js';

const MIGRATION = 'move-activity-test';
const APPS = ['shop-api-we', 'catalog-api-we', 'payments-api-we', 'invoices-web-we', 'search-api-we'].map((name) => siteId(name));
const [KILLED_BETWEEN, AMBIGUOUS, RETRIED, JOIN_REFUSED, DELETE_REFUSED] = APPS as [string, string, string, string, string];
const nameOf = (appId: string): string => appId.split('/').pop() ?? appId;

describe('moveToRegional: the downtime window in one idempotent activity', () => {
  let sim: SimulatorHandle;
  let azurite: RunningAzurite;
  let run: (name: ActivityName, input: unknown) => Promise<unknown>;
  let opts: ReturnType<typeof operationOptions>;
  let state: StateTables;
  let subnetId: string;
  const move = (appId: string): Promise<StepResult<StepTiming>> => run(ACTIVITIES.moveToRegional, { migrationId: MIGRATION, appId }) as Promise<StepResult<StepTiming>>;
  const writesOf = async (appId: string, since: number): Promise<{ disconnects: number; joins: number }> => {
    const { disconnects, joins } = appWrites(await auditSince(sim, since), appId);
    return { disconnects: disconnects.length, joins: joins.length };
  };

  beforeAll(async () => {
    [sim, azurite] = await Promise.all([startDemoSimulator(), startAzurite()]);
    opts = operationOptions(sim);
    state = await openStateTables(azurite.connectionString, { tablePrefix: 'Move' });
    const deps: EngineDependencies = {
      state,
      clientsFor: opts.clientsFor,
      probes: { connectAddress: `127.0.0.1:${sim.port}`, caPem: sim.caPem, token: () => Promise.resolve('opaque-token'), timeoutInMs: 5000 },
      pollIntervalInMs: 5,
      webApiVersion: WEB_API_VERSION,
      now: () => new Date(),
    };
    const activities: Record<ActivityName, ActivityHandler> = createEngineActivities(deps);
    run = (name, input) => activities[name](input);
    const request = MigrationRequestSchema.parse({ scope: { subscriptionIds: [PROD], appIds: APPS }, verify: { healthPath: '/health' } });
    await state.migrations.create({ id: MIGRATION, status: 'Running', control: 'run', createdTime: new Date().toISOString(), request, summary: { total: 0, succeeded: 0, rolledBack: 0, failed: 0, skipped: 0, pending: 0, inProgress: 0 } });
    const ok = async (name: ActivityName, input: unknown): Promise<void> => {
      const result = (await run(name, input)) as StepResult<unknown>;
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    };
    await ok(ACTIVITIES.discoverFleet, { migrationId: MIGRATION });
    await ok(ACTIVITIES.planFleet, { migrationId: MIGRATION });
    const group = (await run(ACTIVITIES.loadPlanGroup, { migrationId: MIGRATION, groupIndex: 0 })) as LoadedGroup;
    expect(group.apps.map((a) => a.appId.toLowerCase()).sort()).toEqual(APPS.map((a) => a.toLowerCase()).sort());
    subnetId = group.subnets[0]?.subnetId ?? '';
    for (const subnet of group.subnets) await ok(ACTIVITIES.ensureSubnet, { migrationId: MIGRATION, groupIndex: 0, subnet });
    for (const appId of APPS) {
      await ok(ACTIVITIES.snapshotApp, { migrationId: MIGRATION, appId });
      await ok(ACTIVITIES.applyRouting, { migrationId: MIGRATION, appId });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([sim?.stop(), azurite?.stop()]);
  });

  const expectRegional = async (appId: string): Promise<void> => {
    const now = await readAppNetworkState(appId, opts);
    expect(now.virtualNetworkSubnetId?.toLowerCase()).toBe(subnetId.toLowerCase());
    expect(now.gatewayConnections).toEqual([]);
  };

  it('after the host died between the DELETE and the join, the re-run only joins; a further re-run writes nothing', async () => {
    const since = sim.clock.now();
    // The first run's DELETE went out, then the process was killed: the gateway connection is gone, nothing joined.
    await disconnectGateway(KILLED_BETWEEN, 'vnet-apps-we', opts);
    const rerun = await move(KILLED_BETWEEN);
    expect(rerun.ok).toBe(true);
    await expectRegional(KILLED_BETWEEN);
    expect(await move(KILLED_BETWEEN)).toMatchObject({ ok: true });
    expect(await writesOf(KILLED_BETWEEN, since)).toEqual({ disconnects: 1, joins: 1 });
  });

  it('applied-then-504 on both the DELETE and the join is success, each applied once', async () => {
    const since = sim.clock.now();
    const app = nameOf(AMBIGUOUS);
    sim.faults.add({ id: 'delete-504', kind: 'applied-then-504', method: 'DELETE', pathPattern: `/sites/${app}/virtualNetworkConnections/`, count: 1 });
    sim.faults.add({ id: 'join-504', kind: 'applied-then-504', method: 'PATCH', pathPattern: `/sites/${app}$`, count: 1 });
    const moved = await move(AMBIGUOUS);
    expect(moved).toMatchObject({ ok: true });
    expect(sim.faults.list().filter((r) => r.id === 'delete-504' || r.id === 'join-504')).toEqual([]);
    await expectRegional(AMBIGUOUS);
    expect(await writesOf(AMBIGUOUS, since)).toEqual({ disconnects: 1, joins: 1 });
  });

  it('a retryable failure of the join names the join; the retry (a re-run) completes it without a second DELETE, keeping the first start', async () => {
    const since = sim.clock.now();
    sim.faults.add({ id: 'join-500', kind: 'http500', method: 'PATCH', pathPattern: `/sites/${nameOf(RETRIED)}$`, count: 1 });
    const failed = await move(RETRIED);
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error).toMatchObject({ retryable: true, details: { step: 'connect' } });
    const firstStart = (await state.apps.get(MIGRATION, RETRIED))?.disconnectStartedTime;
    expect(firstStart).toBeDefined();
    const retried = await move(RETRIED);
    expect(retried.ok).toBe(true);
    if (!retried.ok) return;
    await expectRegional(RETRIED);
    expect(await writesOf(RETRIED, since)).toEqual({ disconnects: 1, joins: 1 });
    // Downtime is counted from the first attempt's send, not the retry's.
    expect(retried.value.startedTime).toBe(firstStart);
  });

  it.each([
    ['the join', JOIN_REFUSED, 'PATCH', '$', 'connect'],
    ['the DELETE', DELETE_REFUSED, 'DELETE', '/virtualNetworkConnections/', 'disconnect'],
  ] as const)('a permanent refusal of %s names that half, and the compensations put the app back exactly as snapshotted', async (_what, appId, method, suffix, step) => {
    sim.faults.add({ kind: 'permanent', method, pathPattern: `/sites/${nameOf(appId)}${suffix}`, message: `Locked by policy for ${nameOf(appId)}.`, count: 1 });
    const refused = await move(appId);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ retryable: false, details: { step } });
    expect(refused.error.message).toContain(`Locked by policy for ${nameOf(appId)}.`);
    // The saga's stack after the move, unwound in reverse: the move pushed both undos, routing came before it.
    for (const compensation of ['disconnect-regional', 'reconnect-gateway', 'restore-routing'] as const) {
      expect(await run(ACTIVITIES.compensate, { migrationId: MIGRATION, appId, compensation })).toMatchObject({ ok: true });
    }
    expect(await run(ACTIVITIES.compareWithSnapshot, { migrationId: MIGRATION, appId })).toEqual({ ok: true, value: { differences: [] } });
  });
});
