/**
 * What happens when a move goes wrong, end to end through the HTTP API: an app whose verification fails, and one
 * whose last step is refused by App Service, are both put back exactly as they were (their ARM state compared with
 * what it was, field by field, by the test itself); and a second request for apps in flight is refused with 409.
 * A rolled-back app is announced to the webhook of the MIGRATOR_WEBHOOK_URL setting (a real HTTP receiver here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffNetworkState, readAppNetworkState } from '../../src/azure/app-networking/index.js';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { staticCredential } from '@vnet-migrator/arm-simulator/testing.js';
import { allApps, startEngineWorld, waitForMigration, type EngineWorld } from './engine-harness.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const SUBSCRIPTIONS = Object.values(DEMO_SUBSCRIPTIONS);

interface PlannedApp {
  readonly appId: string;
  readonly dependsOn: string[];
  readonly routing: { legacySettingsToRemove: string[] };
}

describe('rollback and conflicts through the HTTP API', () => {
  let world: EngineWorld;
  let clientsFor: (subscriptionId: string) => ArmClients;
  let planned: PlannedApp[];
  let receiver: WebhookReceiver;

  const start = async (body: unknown): Promise<string> => {
    const response = await world.api<{ id: string }>('POST', '/migrations', body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return response.body.id;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    world = await startEngineWorld({ env: { MIGRATOR_WEBHOOK_URL: receiver.url('/events?token=secret-token') } });
    const cache = new Map<string, ArmClients>();
    clientsFor = (sub) => {
      let c = cache.get(sub);
      if (c === undefined) cache.set(sub, (c = createArmClients(staticCredential('test-reader'), sub, { endpoint: world.sim.url, caPem: world.sim.caPem })));
      return c;
    };
    const dryRun = await world.api<{ plan: { groups: { apps: PlannedApp[] }[] } }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS }, dryRun: true });
    expect(dryRun.status).toBe(200);
    // Stand-alone sites (no slots to go first), so each migration moves exactly one app.
    planned = dryRun.body.plan.groups.flatMap((g) => g.apps).filter((a) => a.dependsOn.length === 0 && !a.appId.includes('/slots/'));
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await receiver?.close();
  });

  it('rolls an app whose verification fails back to exactly its snapshot', async () => {
    const app = planned[0];
    if (app === undefined) throw new Error('the demo plan has no stand-alone app');
    const before = await readAppNetworkState(app.appId, { clientsFor });
    // The disconnect restarts the app; a restart far longer than the verification deadline makes verification fail.
    const restart = world.sim.settings.restartDurationMs;
    world.sim.settings.restartDurationMs = 3_600_000;
    try {
      const id = await start({ scope: { subscriptionIds: SUBSCRIPTIONS, appIds: [app.appId] }, verify: { healthPath: '/health', timeoutSeconds: 10 } });
      const final = await waitForMigration(world, id, ['Completed', 'Failed']);
      expect(final.status).toBe('Completed');
      const [record] = (await allApps(world, id)).filter((a) => a.appId.toLowerCase() === app.appId.toLowerCase());
      expect(record).toMatchObject({ outcome: 'rolledBack', reasonCode: 'verify-failed', needsAttention: false });
      expect(record?.message).toMatch(/not healthy within 10 s/);
      // The webhook heard of it, with the app's reason and message, and of the migration's end.
      await receiver.waitFor('migration-finished', id);
      const events = receiver.events;
      const rolledBack = events.filter((e) => e.migrationId === id && e.type === 'app-rolled-back');
      expect(rolledBack).toHaveLength(1);
      expect(rolledBack[0]?.data).toMatchObject({ appId: app.appId, outcome: 'rolledBack', reasonCode: 'verify-failed', needsAttention: false });
      expect(events.filter((e) => e.migrationId === id).map((e) => e.type)).toEqual(['app-rolled-back', 'migration-finished']);
      expect(world.host.log.join('\n')).not.toContain('secret-token');
    } finally {
      world.sim.settings.restartDurationMs = restart;
    }
    expect(diffNetworkState(before, await readAppNetworkState(app.appId, { clientsFor }))).toEqual([]);
  }, 120_000);

  it('rolls an app back when App Service refuses its last step, carrying App Service’s own message', async () => {
    const app = planned.find((a) => a.routing.legacySettingsToRemove.length > 0 && a !== planned[0]);
    if (app === undefined) throw new Error('the demo plan has no stand-alone app with legacy routing settings');
    const before = await readAppNetworkState(app.appId, { clientsFor });
    const site = app.appId.split('/sites/')[1] ?? '';
    world.sim.faults.add({ id: 'refuse-settings', kind: 'permanent', method: 'PUT', pathPattern: `/sites/${site}/config/appsettings$`, message: 'The app settings of this site are locked by policy (simulated).' });
    try {
      const id = await start({ scope: { subscriptionIds: SUBSCRIPTIONS, appIds: [app.appId] }, verify: { healthPath: '/health', timeoutSeconds: 30 } });
      await waitForMigration(world, id, ['Completed', 'Failed']);
      const [record] = (await allApps(world, id)).filter((a) => a.appId.toLowerCase() === app.appId.toLowerCase());
      expect(record).toMatchObject({ outcome: 'rolledBack', reasonCode: 'cleanup-failed', needsAttention: false });
      expect(record?.message).toContain('The app settings of this site are locked by policy (simulated).');
    } finally {
      world.sim.faults.remove('refuse-settings');
    }
    expect(diffNetworkState(before, await readAppNetworkState(app.appId, { clientsFor }))).toEqual([]);
  }, 120_000);

  it('refuses with 409 a second request for apps a running migration holds, naming it', async () => {
    const app = planned.find((a) => a !== planned[0] && a.routing.legacySettingsToRemove.length === 0) ?? planned[2];
    if (app === undefined) throw new Error('no app left');
    const first = await start({ scope: { subscriptionIds: SUBSCRIPTIONS, appIds: [app.appId] }, verify: { healthPath: '/health', timeoutSeconds: 30 } });
    const second = await world.api<{ code: string; detail: string; status: number }>('POST', '/migrations', { scope: { subscriptionIds: SUBSCRIPTIONS } });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(second.body.code).toBe('AppsHeldByAnotherMigration');
    expect(second.body.detail).toContain(first);
    await waitForMigration(world, first, ['Completed', 'Failed']);
  }, 120_000);
});
