/**
 * Operators steer a running fleet with the external events the fleet orchestration listens for (raised here through
 * the Durable management API, as any Durable client would): pause stops new apps while in-flight ones finish,
 * resume goes on, cancel ends it with every app either moved or untouched. The circuit breaker pauses the fleet by
 * itself once failures reach the threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppNetworkState } from '../../src/azure/app-networking/index.js';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import { allApps, startEngineWorld, waitForMigration, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);

describe('pause, resume, cancel and the circuit breaker', () => {
  let world: EngineWorld;
  let clientsFor: (subscriptionId: string) => ArmClients;

  const raise = async (id: string, event: 'pause' | 'resume' | 'cancel'): Promise<void> => {
    const origin = world.host.apiUrl.replace(/\/api$/, '');
    const response = await fetch(`${origin}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}/raiseEvent/${event}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(202);
  };
  const waitForCustomStatus = async (id: string, test: (c: { phase: string; groups: { inFlight: number } }) => boolean): Promise<void> => {
    const origin = world.host.apiUrl.replace(/\/api$/, '');
    const deadline = Date.now() + 120_000;
    for (;;) {
      const body = (await (await fetch(`${origin}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}`)).json()) as { customStatus?: { phase: string; groups: { inFlight: number } } };
      if (body.customStatus !== undefined && test(body.customStatus)) return;
      if (Date.now() > deadline) throw new Error(`custom status never matched: ${JSON.stringify(body.customStatus)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const status = async (id: string): Promise<MigrationStatusBody> => (await world.api<MigrationStatusBody>('GET', `/migrations/${id}`)).body;
  const finished = (s: MigrationStatusBody): number => (s.summary['succeeded'] ?? 0) + (s.summary['rolledBack'] ?? 0) + (s.summary['failed'] ?? 0);
  const until = async (id: string, what: string, test: (s: MigrationStatusBody) => boolean): Promise<MigrationStatusBody> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const s = await status(id);
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`${what} never happened: ${JSON.stringify(s)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    world = await startEngineWorld({ simulator: { longRunningOperationMs: 0 } });
    clientsFor = (sub) => createArmClients(staticCredential('test-reader'), sub, { endpoint: world.sim.url, caPem: world.sim.caPem });
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });

  it('pauses between apps, resumes, and cancels leaving every app moved or untouched', async () => {
    const started = await world.api<{ id: string }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, maxParallel: 1, verify: { healthPath: '/health', timeoutSeconds: 60 } });
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until(id, 'three apps done', (s) => finished(s) >= 3);
    await raise(id, 'pause');
    await until(id, 'the pause recorded', (s) => s.status === 'Paused');
    // The app in flight when the pause arrived finishes; the fleet then has no group running (its custom status).
    await waitForCustomStatus(id, (c) => c.phase === 'paused' && c.groups.inFlight === 0);
    const paused = await status(id);
    expect(paused.summary['inProgress']).toBe(0);
    // Paused: nothing new starts. Watched for a while, the counts stay where they were.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const later = await status(id);
    expect(later.status).toBe('Paused');
    expect(finished(later)).toBe(finished(paused));

    await raise(id, 'resume');
    await until(id, 'progress after resume', (s) => s.status === 'Running' && finished(s) > finished(paused));
    await raise(id, 'cancel');
    const final = await waitForMigration(world, id, ['Canceled', 'Completed', 'Failed']);
    expect(final.status).toBe('Canceled');

    const apps = await allApps(world, id);
    expect(apps.filter((a) => a.outcome === 'pending' || a.outcome === 'inProgress')).toEqual([]);
    const canceled = apps.filter((a) => a.reasonCode === 'canceled');
    expect(canceled.length).toBeGreaterThan(0);
    for (const app of apps.filter((a) => a.outcome === 'succeeded' || a.reasonCode === 'canceled')) {
      const state = await readAppNetworkState(app.appId, { clientsFor });
      if (app.outcome === 'succeeded') {
        expect(state.gatewayConnections, app.appId).toEqual([]);
        expect(state.virtualNetworkSubnetId?.toLowerCase(), app.appId).toBe(app.subnetId?.toLowerCase());
      } else {
        expect(state.virtualNetworkSubnetId, app.appId).toBeNull();
        expect(state.gatewayConnections.length, app.appId).toBe(1);
      }
    }
  }, 300_000);

  it('trips the circuit breaker: the fleet pauses itself once failures reach the threshold', async () => {
    // Every gateway disconnect is refused: each app that tries rolls back.
    world.sim.faults.add({ id: 'no-disconnect', kind: 'permanent', method: 'DELETE', pathPattern: '/virtualNetworkConnections/', message: 'Disconnects are frozen (simulated change freeze).' });
    // The request's own webhook (a real receiver) hears the breaker trip.
    const receiver = await startWebhookReceiver();
    const webhookUrls = [receiver.url('/hook')];
    const events = receiver.events;
    try {
      const started = await world.api<{ id: string }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, maxParallel: 1, failureThreshold: 2, verify: { healthPath: '/health', timeoutSeconds: 30 }, webhookUrls });
      expect(started.status).toBe(202);
      const id = started.body.id;
      await until(id, 'the breaker to trip', (s) => s.status === 'Paused');
      await waitForCustomStatus(id, (c) => c.phase === 'paused' && c.groups.inFlight === 0);
      const tripped = await status(id);
      expect((tripped as unknown as { breaker: { failures: number } | null }).breaker?.failures).toBeGreaterThanOrEqual(2);
      expect(tripped.summary['rolledBack']).toBeGreaterThanOrEqual(2);
      const rolledBack = (await allApps(world, id)).filter((a) => a.outcome === 'rolledBack');
      for (const app of rolledBack) expect(app.message).toContain('Disconnects are frozen (simulated change freeze).');
      await raise(id, 'cancel');
      expect((await waitForMigration(world, id, ['Canceled', 'Completed', 'Failed'])).status).toBe('Canceled');
      await receiver.waitFor('migration-finished', id);
      const trips = events.filter((e) => e.type === 'breaker-tripped');
      expect(trips).toHaveLength(1);
      expect(trips[0]?.data).toMatchObject({ failures: (tripped as unknown as { breaker: { failures: number } }).breaker.failures, threshold: 2 });
      expect(events.filter((e) => e.type === 'app-rolled-back').length).toBeGreaterThanOrEqual(2);
      expect(events.find((e) => e.type === 'migration-finished')?.data).toMatchObject({ canceled: true });
    } finally {
      world.sim.faults.remove('no-disconnect');
      await receiver.close();
    }
  }, 300_000);
});
