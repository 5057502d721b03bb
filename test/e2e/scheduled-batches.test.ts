/**
 * A scheduled migration on the local host's virtual clock, across Europe/Berlin's spring-forward night
 * (2027-03-28, 02:00 CET -> 03:00 CEST): its apps queue, the batch timer (every 20 virtual minutes) starts one
 * batch per run only inside a maintenance window, and nothing starts between windows. The window "Sun 01:30-03:30"
 * lasts one hour that night (00:30Z-01:30Z), not two: a batch at 01:40Z or later would mean the change was missed.
 * Webhooks go to a real HTTP receiver on this machine whose URL carries a secret in its query string: every event
 * arrives, and the secret is in no API answer and no log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SUBSCRIPTIONS } from '@vnet-migrator/arm-simulator/scenario/demo.js';
import { allApps, startEngineWorld, waitForMigration, type EngineWorld, type MigrationStatusBody } from './engine-harness.js';
import { responseProblems } from '../support/openapi-responses.js';
import { startWebhookReceiver, type ReceivedEvent, type WebhookReceiver } from './webhook-receiver.js';

const PROD = DEMO_SUBSCRIPTIONS.prod;
const appId = (name: string): string => `/subscriptions/${PROD}/resourceGroups/rg-web-ne/providers/Microsoft.Web/sites/${name}`;
const APPS = ['ledger-api-ne', 'audit-api-ne', 'archive-web-ne', 'forecast-api-ne', 'batch-web-ne'].map(appId);
const SECRET = 's3cret-signature-value';

describe('scheduled batches in maintenance windows, on the virtual clock across a DST change', () => {
  let world: EngineWorld;
  let receiver: WebhookReceiver;
  let hookUrl: string;
  let received: ReceivedEvent[];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    received = receiver.events;
    hookUrl = receiver.url(`/hooks/migrator?sig=${SECRET}`);
    world = await startEngineWorld({
      simulator: { longRunningOperationMs: 0 },
      // The batch timer every 20 minutes of the virtual clock, which starts on Saturday 2027-03-27 23:50Z.
      env: { MIGRATOR_BATCH_SCHEDULE: '0 */20 * * * *', WEBSITE_TIME_ZONE: 'UTC' },
      hostArgs: ['--clock', 'virtual', '--clock-start', '2027-03-27T23:50:00Z'],
    });
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
    await receiver?.close();
  });

  it('starts one batch per timer run only inside the windows, and reports every batch to the webhook', async () => {
    const started = await world.api<{ id: string }>('POST', '/migrations', {
      scope: { subscriptionIds: [PROD], appIds: APPS },
      maxParallel: 2,
      verify: { healthPath: '/health', timeoutSeconds: 60 },
      schedule: {
        maintenanceWindows: [
          { days: ['Sun'], start: '01:30', end: '03:30', timeZone: 'Europe/Berlin' },
          { days: ['Sun'], start: '05:00', end: '06:00', timeZone: 'Europe/Berlin' },
        ],
        batchSize: 1,
      },
      webhookUrls: [hookUrl],
    });
    expect(started.status).toBe(202);
    const id = started.body.id;
    const final = await waitForMigration(world, id, ['Completed', 'Failed', 'Canceled'], 120_000);
    expect(final.status).toBe('Completed');
    expect(final.summary['succeeded']).toBe(5);
    expect((await allApps(world, id)).every((a) => a.outcome === 'succeeded')).toBe(true);

    // Let the last notice land (the fleet waits for it, the receiver may still be reading it).
    await receiver.waitFor('migration-finished', id);
    const batches = received.filter((r) => r.type === 'batch-started').map((r) => r.data as { batch: number; startedTime: string; windowOpensTime: string; windowClosesTime: string });
    batches.sort((a, b) => a.batch - b.batch);
    // One app per batch, one batch per timer run: 00:40, 01:00, 01:20 in the first window (00:30Z-01:30Z, one hour
    // on the spring-forward night), then nothing until the second window (05:00 CEST = 03:00Z): 03:00 and 03:20.
    expect(batches.map((b) => b.startedTime.slice(0, 16))).toEqual(['2027-03-28T00:40', '2027-03-28T01:00', '2027-03-28T01:20', '2027-03-28T03:00', '2027-03-28T03:20']);
    expect(batches.slice(0, 3).every((b) => b.windowOpensTime === '2027-03-28T00:30:00.000Z' && b.windowClosesTime === '2027-03-28T01:30:00.000Z')).toBe(true);
    expect(batches.slice(3).every((b) => b.windowOpensTime === '2027-03-28T03:00:00.000Z' && b.windowClosesTime === '2027-03-28T04:00:00.000Z')).toBe(true);

    const types = received.map((r) => r.type);
    expect(types.filter((t) => t === 'batch-ended')).toHaveLength(5);
    expect(types.filter((t) => t === 'migration-finished')).toHaveLength(1);
    expect(received.every((r) => r.path === '/hooks/migrator' && r.query === `?sig=${SECRET}` && r.migrationId === id)).toBe(true);
    // Event ids are unique: a receiver de-duplicating on them drops nothing real.
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);

    // The schedule on the record, and the secret nowhere the API or the logs show.
    const status = await world.api<MigrationStatusBody & { request: { webhookUrls: string[] }; schedule: { state: string; batchesStarted: number; queuedApps: number } }>('GET', `/migrations/${id}`);
    expect(status.body.schedule).toMatchObject({ state: 'done', batchesStarted: 5, queuedApps: 0 });
    expect(responseProblems('GET', '/migrations/{id}', { status: status.status, contentType: status.headers.get('content-type') ?? '', body: status.body })).toEqual([]);
    expect(status.body.request.webhookUrls).toEqual([`${hookUrl.split('?')[0]}?redacted`]);
    const list = await world.api('GET', '/migrations');
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect(JSON.stringify(status.body)).not.toContain(SECRET);
    expect(world.host.log.join('\n')).not.toContain(SECRET);
  }, 150_000);
});
