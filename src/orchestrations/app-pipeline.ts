/**
 * How a plan group moves its apps: up to `appsAtOnce` of them in flight, each through prepareApp, moveApp and
 * finishApp (migrate-app.ts), with one rule from App Service: **one move per subnet at a time**. All apps of a plan
 * join the same subnet, and two joins of one subnet at once fight over its service association link lease (409,
 * ExtendedCode 70006). So snapshots, routing switches, verification and clean-up overlap, while the moves — the
 * downtime windows — queue for their subnet in the order the apps became ready. An app waiting for its turn has not
 * been touched beyond its routing switches, which take effect only once it is regionally integrated.
 *
 * Apps start in plan order: slots sort before their site, and a site waits until its slots have finished (slots
 * first); a site whose slot did not succeed is skipped (`slot-not-migrated`). Before each start the group reads the
 * fleet's control and the batch's window: a pause, a cancel or a closed window stops new starts, never an app under
 * way, and the group reports the first app it did not start (`stoppedAt`) once those under way have finished. An app
 * that rolls back or fails is announced to the webhooks beside the group's work (never waited for).
 *
 * Deterministic: every decision follows from task results in history, in the order Task.any returns them.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { FleetControl, StepResult } from '../domain/migration-model.js';
import { resourceIdKey } from '../domain/resource-id.js';
import type { BackgroundTasks } from './background-tasks.js';
import { callRecord } from './call-step.js';
import { reached } from './durable-time.js';
import { firstFinished } from './first-finished.js';
import type { AppInput, AppResult, FinishAppInput, GroupApp, GroupInput, GroupResult, OutcomeCounts, PreparedApp, StepTiming } from './engine-contract.js';
import { NO_OUTCOMES } from './engine-contract.js';
import { ACTIVITIES, ORCHESTRATIONS } from './engine-names.js';
import { SCHEDULE_ACTIVITIES, type WebhookNotice } from './schedule-contract.js';

type Step<T> = Generator<Task, T, unknown>;

export interface GroupMoveResult {
  readonly counts: OutcomeCounts;
  readonly stoppedAt?: GroupResult['stoppedAt'];
}

type Phase = 'prepare' | 'move' | 'finish';

interface InFlight {
  readonly phase: Phase;
  readonly app: GroupApp;
}

/** The sub-orchestration instance id of one part of one app's saga: unique per migration, group, app and part. */
export function appPartInstanceId(migrationId: string, groupIndex: number, order: number, phase: Phase): string {
  return `${migrationId}:g${groupIndex}:a${order}:${phase}`;
}

export function* moveAppsOfGroup(context: OrchestrationContext, input: GroupInput, apps: readonly GroupApp[], background: BackgroundTasks): Step<GroupMoveResult> {
  const { migrationId, groupIndex, notAfter, timing } = input;
  const appsAtOnce = Math.max(1, input.appsAtOnce ?? 1);
  const inRun = new Set(apps.map((a) => resourceIdKey(a.appId)));
  const outcomes = new Map<string, AppResult['outcome']>();
  const notStarted = [...apps];
  const inFlight = new Map<Task, InFlight>();
  /** Apps prepared and waiting for their subnet, by subnet key, in the order they became ready. */
  const queues = new Map<string, GroupApp[]>();
  const moving = new Set<string>();
  let underWay = 0;
  let counts: OutcomeCounts = NO_OUTCOMES;
  let stoppedAt: GroupResult['stoppedAt'];

  const appInput = (app: GroupApp): AppInput => ({ migrationId, appId: app.appId, groupIndex, order: app.order, timing });
  const launch = (phase: Phase, app: GroupApp, name: string, payload: AppInput): void => {
    inFlight.set(context.df.callSubOrchestrator(name, payload, appPartInstanceId(migrationId, groupIndex, app.order, phase)), { phase, app });
  };
  const settle = (app: GroupApp, result: AppResult, counted: boolean): void => {
    outcomes.set(resourceIdKey(app.appId), result.outcome);
    counts = { ...counts, [result.outcome]: counts[result.outcome] + 1 };
    if (counted) underWay -= 1;
    if (result.outcome === 'rolledBack' || result.outcome === 'failed') {
      const notice: WebhookNotice = { migrationId, type: result.outcome === 'failed' ? 'app-failed' : 'app-rolled-back', data: { appId: app.appId }, sequence: `g${groupIndex}:a${app.order}` };
      background.add(context.df.callActivity(SCHEDULE_ACTIVITIES.notifyWebhooks, notice));
    }
  };
  const startMoves = (): void => {
    for (const [subnet, queue] of queues) {
      const next = queue[0];
      if (next === undefined || moving.has(subnet)) continue;
      queue.shift();
      moving.add(subnet);
      launch('move', next, ORCHESTRATIONS.moveApp, appInput(next));
    }
  };

  for (;;) {
    // Start apps in plan order while there is room and nothing stops new starts.
    while (stoppedAt === undefined && underWay < appsAtOnce) {
      const app = notStarted[0];
      if (app === undefined) break;
      // A site waits for its slots of this run to finish.
      if (app.dependsOn.some((slot) => inRun.has(resourceIdKey(slot)) && !outcomes.has(resourceIdKey(slot)))) break;
      if (notAfter !== undefined && reached(context, notAfter)) {
        stoppedAt = { order: app.order, control: 'window-closed' };
        break;
      }
      const control = yield* callRecord<FleetControl>(context, ACTIVITIES.readControl, { migrationId });
      if (control !== 'run') {
        stoppedAt = { order: app.order, control };
        break;
      }
      notStarted.shift();
      const missing = app.dependsOn.filter((slot) => outcomes.get(resourceIdKey(slot)) !== 'succeeded');
      if (missing.length > 0) {
        yield* callRecord(context, ACTIVITIES.recordAppOutcome, {
          migrationId,
          appId: app.appId,
          outcome: 'skipped',
          reasonCode: 'slot-not-migrated',
          message: `Slots first: ${missing.join(', ')} did not move, so production was left on gateway-based integration.`,
        });
        settle(app, { appId: app.appId, outcome: 'skipped' }, false);
        continue;
      }
      underWay += 1;
      launch('prepare', app, ORCHESTRATIONS.prepareApp, appInput(app));
    }
    startMoves();
    if (inFlight.size === 0) break;

    const winner = yield* firstFinished(context, [...inFlight.keys(), ...background.pending()]);
    const done = inFlight.get(winner);
    if (done === undefined) continue; // a webhook delivery
    inFlight.delete(winner);
    const { app, phase } = done;
    if (winner.isFaulted) {
      // A part that itself failed (a bug, not an ARM answer): its app keeps the outcome it recorded, if any.
      if (phase === 'move') moving.delete(subnetKeyOf(app));
      settle(app, { appId: app.appId, outcome: 'failed' }, true);
      continue;
    }
    if (phase === 'prepare') {
      const prepared = winner.result as PreparedApp;
      if (prepared.finished !== undefined) settle(app, prepared.finished, true);
      else queues.set(subnetKeyOf(app), [...(queues.get(subnetKeyOf(app)) ?? []), app]);
    } else if (phase === 'move') {
      moving.delete(subnetKeyOf(app));
      const finish: FinishAppInput = { ...appInput(app), moved: winner.result as StepResult<StepTiming> };
      launch('finish', app, ORCHESTRATIONS.finishApp, finish);
    } else {
      settle(app, winner.result as AppResult, true);
    }
  }
  return stoppedAt === undefined ? { counts } : { counts, stoppedAt };
}

/** The subnet an app joins (its plan's); the queue key of its move. */
function subnetKeyOf(app: GroupApp): string {
  return resourceIdKey(app.subnetId);
}
