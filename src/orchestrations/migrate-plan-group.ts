/**
 * One App Service plan's apps: ensure the plan's regional subnet once, then move its apps one after another. One
 * at a time because they all join the same subnet, and two joins of one subnet at once fight over its service
 * association link lease (409, ExtendedCode 70006); slots sort before their site, so slots-first comes for free.
 * Between apps the group reads the fleet's control: a pause or cancel stops it before the next app, never inside one.
 * A scheduled migration's batch may run part of a group (startOrder to endOrder) and stops it before the next app
 * once the batch's maintenance window has closed. An app that rolls back or fails is announced to the webhooks
 * beside the group's work (never waited for).
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { StepResult } from '../domain/migration-model.js';
import { callRecord, callStep } from './call-step.js';
import { ACTIVITIES, ORCHESTRATIONS } from './engine-names.js';
import type { AppInput, AppResult, GroupInput, GroupResult, LoadedGroup, OutcomeCounts, SkipAppsInput } from './engine-contract.js';
import { NO_OUTCOMES } from './engine-contract.js';
import type { FleetControl } from '../domain/migration-model.js';
import { BackgroundTasks } from './background-tasks.js';
import { reached } from './durable-time.js';
import { SCHEDULE_ACTIVITIES, type WebhookNotice } from './schedule-contract.js';

type Step<T> = Generator<Task, T, unknown>;

export function appInstanceId(migrationId: string, groupIndex: number, order: number): string {
  return `${migrationId}:g${groupIndex}:a${order}`;
}

export function* migratePlanGroup(context: OrchestrationContext): Step<GroupResult> {
  const input = context.df.getInput<GroupInput>();
  const { migrationId, groupIndex, startOrder, endOrder, notAfter, timing } = input;
  const group = yield* callRecord<LoadedGroup>(context, ACTIVITIES.loadPlanGroup, { migrationId, groupIndex });
  let counts: OutcomeCounts = NO_OUTCOMES;
  const add = (outcome: AppResult['outcome'], n = 1): void => {
    counts = { ...counts, [outcome]: counts[outcome] + n };
  };
  const remaining = group.apps.filter((a) => a.order >= startOrder && (endOrder === undefined || a.order < endOrder));
  const background = new BackgroundTasks();

  // The subnet comes first; without it no app of the plan can move, and none has been touched yet.
  for (const subnet of group.subnets) {
    const ensured: StepResult<unknown> = yield* callStep(context, ACTIVITIES.ensureSubnet, { migrationId, groupIndex, subnet }, timing);
    if (!ensured.ok) {
      const skipped = yield* callRecord<number>(context, ACTIVITIES.skipApps, {
        migrationId,
        groupIndex,
        fromOrder: startOrder,
        reasonCode: 'subnet-failed',
        message: `The plan's integration subnet ${subnet.subnetId} could not be prepared, so its apps were not touched: ${ensured.error.message}`,
      } satisfies SkipAppsInput);
      add('failed', skipped);
      return { counts };
    }
  }

  const succeeded = new Set<string>();
  for (const app of remaining) {
    if (notAfter !== undefined && reached(context, notAfter)) {
      yield* background.release(context);
      return { counts, stoppedAt: { order: app.order, control: 'window-closed' } };
    }
    const control = yield* callRecord<FleetControl>(context, ACTIVITIES.readControl, { migrationId });
    if (control !== 'run') {
      yield* background.release(context);
      return { counts, stoppedAt: { order: app.order, control } };
    }
    const missing = app.dependsOn.filter((slot) => !succeeded.has(slot.toLowerCase()));
    let result: AppResult;
    if (missing.length > 0) {
      yield* callRecord(context, ACTIVITIES.recordAppOutcome, {
        migrationId,
        appId: app.appId,
        outcome: 'skipped',
        reasonCode: 'slot-not-migrated',
        message: `Slots first: ${missing.join(', ')} did not move, so production was left on gateway-based integration.`,
      });
      result = { appId: app.appId, outcome: 'skipped' };
    } else {
      const appInput: AppInput = { migrationId, appId: app.appId, groupIndex, order: app.order, timing };
      result = yield* background.await<AppResult>(context, context.df.callSubOrchestrator(ORCHESTRATIONS.app, appInput, appInstanceId(migrationId, groupIndex, app.order)));
    }
    add(result.outcome);
    if (result.outcome === 'rolledBack' || result.outcome === 'failed') {
      const notice: WebhookNotice = { migrationId, type: result.outcome === 'failed' ? 'app-failed' : 'app-rolled-back', data: { appId: app.appId }, sequence: `g${groupIndex}:a${app.order}` };
      background.add(context.df.callActivity(SCHEDULE_ACTIVITIES.notifyWebhooks, notice));
    }
    if (result.outcome === 'succeeded') succeeded.add(app.appId.toLowerCase());
  }

  // A subnet this migration created and no app ended up using goes back too (reported when it cannot yet); with
  // batches, only once the group's last app has had its turn and none moved in an earlier batch either.
  const lastTurn = endOrder === undefined || !group.apps.some((a) => a.order >= endOrder);
  if (succeeded.size === 0 && lastTurn && group.movedEarlier !== true && group.subnets.some((s) => s.action === 'create')) {
    yield* callStep(context, ACTIVITIES.rollBackGroupSubnets, { migrationId, groupIndex }, timing);
  }
  yield* background.release(context);
  return { counts };
}
