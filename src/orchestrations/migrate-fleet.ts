/**
 * A whole fleet: discover the scope over ARM, plan it, then move the plan groups through a sliding window of
 * `maxParallel` group orchestrations (temporalio's batch-sliding-window shape). External events pause, resume or
 * cancel it; a circuit breaker pauses it by itself once `failureThreshold` apps have failed or rolled back since
 * the start or the last resume. Pausing and canceling never cut an app in half: in-flight groups stop before their
 * next app. History stays bounded at any fleet size: after GROUPS_PER_GENERATION groups the window drains and the
 * orchestration continues as new, carrying only counts and positions.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { FleetControl, StepResult } from '../domain/migration-model.js';
import { callRecord, callStep } from './call-step.js';
import { ACTIVITIES, FLEET_EVENTS, ORCHESTRATIONS, type FleetEvent } from './engine-names.js';
import {
  NO_OUTCOMES,
  type FleetCustomStatus,
  type FleetInput,
  type FleetProgress,
  type GroupInput,
  type GroupResult,
  type GroupResume,
  type OutcomeCounts,
  type PlanSummary,
  type StatusChange,
} from './engine-contract.js';

type Step<T> = Generator<Task, T, unknown>;

/** Groups finished per generation before continueAsNew; each group adds a few dozen history rows per app. */
export const GROUPS_PER_GENERATION = 50;

export function groupInstanceId(migrationId: string, groupIndex: number, startOrder: number): string {
  return `${migrationId}:g${groupIndex}:s${startOrder}`;
}

function addCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { succeeded: a.succeeded + b.succeeded, rolledBack: a.rolledBack + b.rolledBack, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

export function* migrateFleet(context: OrchestrationContext): Step<OutcomeCounts> {
  const input = context.df.getInput<FleetInput>();
  const { migrationId, timing } = input;
  const setStatus = (change: Omit<StatusChange, 'migrationId'>): Step<unknown> => callRecord(context, ACTIVITIES.setMigrationStatus, { migrationId, ...change });

  let progress: FleetProgress;
  if (input.progress === undefined) {
    yield* setStatus({ status: 'Running', control: 'run' });
    const discovered: StepResult<unknown> = yield* callStep(context, ACTIVITIES.discoverFleet, { migrationId }, timing);
    if (!discovered.ok) {
      yield* setStatus({ status: 'Failed', error: discovered.error });
      return NO_OUTCOMES;
    }
    const planned: StepResult<PlanSummary> = yield* callStep(context, ACTIVITIES.planFleet, { migrationId }, timing);
    if (!planned.ok) {
      yield* setStatus({ status: 'Failed', error: planned.error });
      return NO_OUTCOMES;
    }
    progress = {
      generation: 0,
      groupCount: planned.value.groupCount,
      nextGroup: 0,
      resumes: [],
      counts: NO_OUTCOMES,
      failuresSinceResume: 0,
      control: 'run',
      breakerTripped: false,
    };
  } else {
    progress = input.progress;
  }

  const inFlight = new Map<number, { task: Task; groupIndex: number }>();
  let taskIds = 0;
  let groupsThisGeneration = 0;
  let { nextGroup, counts, failuresSinceResume, control, breakerTripped } = progress;
  let resumes: GroupResume[] = [...progress.resumes];
  const events: Record<FleetEvent, Task> = {
    pause: context.df.waitForExternalEvent(FLEET_EVENTS.pause),
    resume: context.df.waitForExternalEvent(FLEET_EVENTS.resume),
    cancel: context.df.waitForExternalEvent(FLEET_EVENTS.cancel),
  };

  const publish = (phase: FleetCustomStatus['phase']): void => {
    context.df.setCustomStatus({
      phase,
      groups: { total: progress.groupCount, started: nextGroup, inFlight: inFlight.size },
      counts,
      control,
      breakerTripped,
      generation: progress.generation,
    } satisfies FleetCustomStatus);
  };
  const start = (groupIndex: number, startOrder: number): void => {
    const groupInput: GroupInput = { migrationId, groupIndex, startOrder, timing };
    inFlight.set(taskIds++, { task: context.df.callSubOrchestrator(ORCHESTRATIONS.planGroup, groupInput, groupInstanceId(migrationId, groupIndex, startOrder)), groupIndex });
    groupsThisGeneration += 1;
  };
  const applyControl = function* (next: FleetControl): Step<void> {
    if (control === 'cancel' || next === control) return; // cancel is final
    control = next;
    if (next === 'run') {
      failuresSinceResume = 0;
      breakerTripped = false;
    }
    yield* setStatus({ status: next === 'run' ? 'Running' : next === 'pause' ? 'Paused' : 'Running', control: next });
  };

  for (;;) {
    const draining = groupsThisGeneration >= (input.groupsPerGeneration ?? GROUPS_PER_GENERATION);
    if (control === 'run' && !draining) {
      while (inFlight.size < input.maxParallel && (resumes.length > 0 || nextGroup < progress.groupCount)) {
        const resume = resumes.shift();
        if (resume !== undefined) start(resume.groupIndex, resume.startOrder);
        else start(nextGroup++, 0);
      }
    }
    const workLeft = resumes.length > 0 || nextGroup < progress.groupCount;
    if (inFlight.size === 0) {
      if (!workLeft || control === 'cancel') break;
      if (draining) {
        publish('draining');
        context.df.continueAsNew({
          ...input,
          progress: { ...progress, generation: progress.generation + 1, nextGroup, resumes, counts, failuresSinceResume, control, breakerTripped },
        } satisfies FleetInput);
        return counts;
      }
    }
    publish(control === 'pause' ? 'paused' : draining ? 'draining' : 'migrating');

    const entries = [...inFlight.entries()];
    const winner = (yield context.df.Task.any([...entries.map(([, e]) => e.task), events.pause, events.resume, events.cancel])) as Task;
    const finished = entries.find(([, e]) => e.task === winner);
    if (finished !== undefined) {
      const [taskId, entry] = finished;
      inFlight.delete(taskId);
      // A group orchestration that itself failed (a bug, not an ARM answer) counts nothing here; its apps keep the
      // outcomes they recorded, and finishFleet reports from those records.
      const result: GroupResult = winner.isFaulted ? { counts: NO_OUTCOMES } : (winner.result as GroupResult);
      counts = addCounts(counts, result.counts);
      failuresSinceResume += result.counts.failed + result.counts.rolledBack;
      if (result.stoppedAt !== undefined) resumes = [...resumes, { groupIndex: entry.groupIndex, startOrder: result.stoppedAt.order }];
      if (!breakerTripped && control === 'run' && failuresSinceResume >= input.failureThreshold) {
        breakerTripped = true;
        control = 'pause';
        yield* setStatus({ status: 'Paused', control: 'pause', breaker: { failures: failuresSinceResume } });
      }
      continue;
    }
    for (const name of ['pause', 'resume', 'cancel'] as const) {
      if (winner === events[name]) {
        events[name] = context.df.waitForExternalEvent(FLEET_EVENTS[name]);
        yield* applyControl(name === 'pause' ? 'pause' : name === 'resume' ? 'run' : 'cancel');
      }
    }
  }

  publish('finishing');
  if (control === 'cancel') {
    // Apps never started are skipped as canceled; nothing was changed on them.
    yield* callRecord(context, ACTIVITIES.skipApps, { migrationId, groupIndex: -1, fromOrder: 0, reasonCode: 'canceled', message: 'The migration was canceled before this app started; nothing was changed.' });
  }
  yield* callRecord(context, ACTIVITIES.finishFleet, { migrationId, canceled: control === 'cancel' });
  return counts;
}
