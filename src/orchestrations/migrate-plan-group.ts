/**
 * One App Service plan's apps: ensure the plan's regional subnet once, then move its apps one after another. One
 * at a time because they all join the same subnet, and two joins of one subnet at once fight over its service
 * association link lease (409, ExtendedCode 70006); slots sort before their site, so slots-first comes for free.
 * Between apps the group reads the fleet's control: a pause or cancel stops it before the next app, never inside one.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { StepResult } from '../domain/migration-model.js';
import { callRecord, callStep } from './call-step.js';
import { ACTIVITIES, ORCHESTRATIONS } from './engine-names.js';
import type { AppInput, AppResult, GroupInput, GroupResult, LoadedGroup, OutcomeCounts, SkipAppsInput } from './engine-contract.js';
import { NO_OUTCOMES } from './engine-contract.js';
import type { FleetControl } from '../domain/migration-model.js';

type Step<T> = Generator<Task, T, unknown>;

export function appInstanceId(migrationId: string, groupIndex: number, order: number): string {
  return `${migrationId}:g${groupIndex}:a${order}`;
}

export function* migratePlanGroup(context: OrchestrationContext): Step<GroupResult> {
  const input = context.df.getInput<GroupInput>();
  const { migrationId, groupIndex, startOrder, timing } = input;
  const group = yield* callRecord<LoadedGroup>(context, ACTIVITIES.loadPlanGroup, { migrationId, groupIndex });
  let counts: OutcomeCounts = NO_OUTCOMES;
  const add = (outcome: AppResult['outcome'], n = 1): void => {
    counts = { ...counts, [outcome]: counts[outcome] + n };
  };
  const remaining = group.apps.filter((a) => a.order >= startOrder);

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
    const control = yield* callRecord<FleetControl>(context, ACTIVITIES.readControl, { migrationId });
    if (control !== 'run') return { counts, stoppedAt: { order: app.order, control } };
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
      result = (yield context.df.callSubOrchestrator(ORCHESTRATIONS.app, appInput, appInstanceId(migrationId, groupIndex, app.order))) as AppResult;
    }
    add(result.outcome);
    if (result.outcome === 'succeeded') succeeded.add(app.appId.toLowerCase());
  }

  // A subnet this migration created and no app ended up using goes back too (reported when it cannot yet).
  if (succeeded.size === 0 && group.subnets.some((s) => s.action === 'create')) {
    yield* callStep(context, ACTIVITIES.rollBackGroupSubnets, { migrationId, groupIndex }, timing);
  }
  return { counts };
}
