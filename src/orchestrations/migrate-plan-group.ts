/**
 * One App Service plan's apps: ensure the plan's regional subnet once, then move its apps — several at once, their
 * joins of the shared subnet one at a time (app-pipeline.ts). A scheduled migration's batch may run part of a group
 * (startOrder to endOrder); a pause, a cancel or the batch's closing window stops new apps from starting, never one
 * under way. If no app of the group moved and the group created its subnet, the subnet goes back too.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { StepResult } from '../domain/migration-model.js';
import { moveAppsOfGroup } from './app-pipeline.js';
import { BackgroundTasks } from './background-tasks.js';
import { callRecord, callStep } from './call-step.js';
import type { GroupInput, GroupResult, LoadedGroup, SkipAppsInput } from './engine-contract.js';
import { NO_OUTCOMES } from './engine-contract.js';
import { ACTIVITIES } from './engine-names.js';

type Step<T> = Generator<Task, T, unknown>;

export function* migratePlanGroup(context: OrchestrationContext): Step<GroupResult> {
  const input = context.df.getInput<GroupInput>();
  const { migrationId, groupIndex, startOrder, endOrder, timing } = input;
  const group = yield* callRecord<LoadedGroup>(context, ACTIVITIES.loadPlanGroup, { migrationId, groupIndex });
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
      return { counts: { ...NO_OUTCOMES, failed: skipped } };
    }
  }

  const moved = yield* moveAppsOfGroup(context, input, remaining, background);
  if (moved.stoppedAt !== undefined) {
    yield* background.release(context);
    return { counts: moved.counts, stoppedAt: moved.stoppedAt };
  }

  // A subnet this migration created and no app ended up using goes back too (reported when it cannot yet); with
  // batches, only once the group's last app has had its turn and none moved in an earlier batch either.
  const lastTurn = endOrder === undefined || !group.apps.some((a) => a.order >= endOrder);
  if (moved.counts.succeeded === 0 && lastTurn && group.movedEarlier !== true && group.subnets.some((s) => s.action === 'create')) {
    yield* callStep(context, ACTIVITIES.rollBackGroupSubnets, { migrationId, groupIndex }, timing);
  }
  yield* background.release(context);
  return { counts: moved.counts };
}
