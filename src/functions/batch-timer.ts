/**
 * Scheduled migrations: the batch timer and the activities of batches and webhooks. The timer (NCRONTAB from
 * MIGRATOR_BATCH_SCHEDULE, every five minutes by default) raises the batch event on each running migration that
 * waits for its next batch; the fleet itself decides, at its own replay-safe time, whether a maintenance window is
 * open (migrate-fleet.ts), so a late or early timer run never starts a batch outside a window.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { cutNextBatch } from '../activities/cut-batch.js';
import type { ActivityHandler } from '../activities/engine-activities.js';
import { notifyWebhooks } from '../activities/notify-webhooks.js';
import { recordSchedule } from '../activities/record-schedule.js';
import { BATCH_EVENT, SCHEDULE_ACTIVITIES } from '../orchestrations/schedule-contract.js';
import { engineHost, stateTables } from './engine-host.js';
import { readBatchSchedule } from './engine-settings.js';
import { sharedUntilFailure } from './shared-until-failure.js';

export async function startScheduledBatches(_timer: Timer, context: InvocationContext): Promise<void> {
  const client = df.getClient(context);
  const waiting = (await (await stateTables()).migrations.active()).filter((m) => m.status === 'Running' && m.schedule?.state === 'waiting');
  for (const migration of waiting) {
    try {
      await client.raiseEvent(migration.id, BATCH_EVENT, {});
    } catch (error) {
      // One migration's orchestration gone missing must not keep the others waiting.
      context.warn(`Could not raise ${BATCH_EVENT} on migration ${migration.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

app.timer('startScheduledBatches', { schedule: readBatchSchedule(), extraInputs: [df.input.durableClient()], handler: startScheduledBatches });

const activities = sharedUntilFailure(async (): Promise<Record<string, ActivityHandler>> => {
  const { deps, settings } = await engineHost();
  return {
    [SCHEDULE_ACTIVITIES.cutBatch]: cutNextBatch(deps),
    [SCHEDULE_ACTIVITIES.recordSchedule]: recordSchedule(deps),
    [SCHEDULE_ACTIVITIES.notifyWebhooks]: notifyWebhooks(deps, {
      ...(settings.webhookUrl === undefined ? {} : { settingUrl: settings.webhookUrl }),
      timeoutInMs: settings.webhookTimeoutInMs,
      retryDelaysInMs: [500, 2000],
    }),
  };
});

for (const name of Object.values(SCHEDULE_ACTIVITIES)) {
  df.app.activity(name, { handler: async (input: unknown) => (await activities())[name]!(input) });
}
