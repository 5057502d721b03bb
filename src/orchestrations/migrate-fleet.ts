/**
 * A whole fleet: discover the scope over ARM, plan it, then move the plan groups through a sliding window of
 * `maxParallel` group orchestrations (temporalio's batch-sliding-window shape). External events pause, resume or
 * cancel it; a circuit breaker pauses it by itself once `failureThreshold` apps have failed or rolled back since
 * the start or the last resume. Pausing and canceling never cut an app in half: in-flight groups stop before their
 * next app. History stays bounded at any fleet size: after GROUPS_PER_GENERATION groups the window drains and the
 * orchestration continues as new, carrying only counts and positions.
 *
 * A scheduled migration (input.schedule) plans and then queues its apps: the batch timer (src/functions/batch-timer.ts)
 * raises BATCH_EVENT, and the fleet starts the next `batchSize` apps only when its own replay-safe time lies inside a
 * maintenance window; apps of the batch not started when the window closes wait for the next batch. While it waits it
 * holds a durable timer to the window's next opening or close, so its recorded next window stays current. Webhook
 * notices go out beside the work (BackgroundTasks), never waited for.
 */
import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { nextWindow, windowAt } from '../domain/maintenance-window.js';
import { appsIn, FIRST_APP } from '../domain/migration-batches.js';
import type { FleetControl, StepResult } from '../domain/migration-model.js';
import { BackgroundTasks } from './background-tasks.js';
import { reached } from './durable-time.js';
import { firstFinished } from './first-finished.js';
import { BATCH_EVENT, SCHEDULE_ACTIVITIES, type CutBatchResult, type ScheduleProgress, type ScheduleState, type WebhookNotice, type WebhookEventType } from './schedule-contract.js';
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
/** Batch events that started nothing (outside a window) per generation: each adds history rows while a fleet waits. */
export const IGNORED_BATCH_EVENTS_PER_GENERATION = 100;

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

  const background = new BackgroundTasks();
  const notify = (type: WebhookEventType, data: Record<string, unknown>, sequence: string): void => {
    background.add(context.df.callActivity(SCHEDULE_ACTIVITIES.notifyWebhooks, { migrationId, type, data, sequence } satisfies WebhookNotice));
  };

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
      ...(input.schedule === undefined ? {} : { schedule: { cursor: FIRST_APP, queued: planned.value.migrate, batches: 0 } }),
    };
  } else {
    progress = input.progress;
  }

  const inFlight = new Map<number, { task: Task; groupIndex: number; endOrder: number | undefined }>();
  let taskIds = 0;
  let groupsThisGeneration = 0;
  let { nextGroup, counts, failuresSinceResume, control, breakerTripped } = progress;
  let resumes: GroupResume[] = [...progress.resumes];
  const events: Record<FleetEvent, Task> = {
    pause: context.df.waitForExternalEvent(FLEET_EVENTS.pause),
    resume: context.df.waitForExternalEvent(FLEET_EVENTS.resume),
    cancel: context.df.waitForExternalEvent(FLEET_EVENTS.cancel),
  };
  const schedule = input.schedule;
  let batching: ScheduleProgress | undefined = progress.schedule;
  let batchEvent: Task | undefined = batching === undefined ? undefined : context.df.waitForExternalEvent(BATCH_EVENT);
  let ignoredBatchEvents = 0;
  let recorded = '';
  const recordSchedule = function* (state: ScheduleState): Step<void> {
    const key = JSON.stringify(state);
    if (key === recorded) return;
    recorded = key;
    yield* callRecord(context, SCHEDULE_ACTIVITIES.recordSchedule, { migrationId, schedule: state });
  };
  /** Apps of stopped or cut groups still to start (a resume without an end runs to its group's end: none counted). */
  const appsToResume = (): number => appsIn(resumes.map((r) => ({ groupIndex: r.groupIndex, fromOrder: r.startOrder, toOrder: r.endOrder ?? r.startOrder })));
  const scheduleState = (state: ScheduleState['state'], apps = 0): ScheduleState => {
    const window = schedule === undefined ? undefined : nextWindow(schedule.maintenanceWindows, context.df.currentUtcDateTime);
    return {
      state,
      batchSize: schedule?.batchSize ?? 0,
      batchesStarted: batching?.batches ?? 0,
      queuedApps: (batching?.queued ?? 0) + appsToResume(),
      currentBatch:
        batching?.batch === undefined ? null : { number: batching.batch.number, apps, startedTime: context.df.currentUtcDateTime.toISOString(), closesTime: batching.batch.closesTime },
      nextWindow: window === undefined || state === 'done' ? null : { opensTime: window.opens.toISOString(), closesTime: window.closes.toISOString() },
    };
  };
  /** The batch timer's event: inside a window and between batches, the next batch starts (leftovers first). */
  const startBatch = function* (): Step<void> {
    if (schedule === undefined || batching === undefined || batching.batch !== undefined || control !== 'run') return;
    const open = windowAt(schedule.maintenanceWindows, context.df.currentUtcDateTime);
    if (open === undefined) {
      ignoredBatchEvents += 1;
      return;
    }
    const leftover = appsToResume();
    let added = 0;
    if (leftover < schedule.batchSize && batching.queued > 0) {
      const cut = yield* callRecord<CutBatchResult>(context, SCHEDULE_ACTIVITIES.cutBatch, { migrationId, cursor: batching.cursor, size: schedule.batchSize - leftover });
      resumes = [...resumes, ...cut.segments.map((seg) => ({ groupIndex: seg.groupIndex, startOrder: seg.fromOrder, endOrder: seg.toOrder }))];
      added = appsIn(cut.segments);
      batching = { ...batching, cursor: cut.cursor, queued: cut.queued };
    }
    if (resumes.length === 0) return;
    const number = batching.batches + 1;
    batching = { ...batching, batches: number, batch: { number, closesTime: open.closes.toISOString() } };
    const apps = leftover + added;
    yield* recordSchedule(scheduleState('in-batch', apps));
    notify('batch-started', { batch: number, apps, startedTime: context.df.currentUtcDateTime.toISOString(), windowOpensTime: open.opens.toISOString(), windowClosesTime: open.closes.toISOString() }, `b${number}:start`);
  };
  /** A batch ends when nothing of it runs and nothing more of it may start. */
  const endBatchIfOver = (): void => {
    const batch = batching?.batch;
    if (batching === undefined || batch === undefined || inFlight.size > 0) return;
    if (resumes.length > 0 && !reached(context, batch.closesTime) && control === 'run') return;
    batching = { cursor: batching.cursor, queued: batching.queued, batches: batching.batches };
    notify('batch-ended', { batch: batch.number, endedTime: context.df.currentUtcDateTime.toISOString(), counts, leftInBatch: resumes.length > 0 }, `b${batch.number}:end`);
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
  const start = (groupIndex: number, startOrder: number, endOrder?: number): void => {
    const notAfter = batching?.batch?.closesTime;
    const groupInput: GroupInput = { migrationId, groupIndex, startOrder, timing, ...(input.maxParallelPerPlan === undefined ? {} : { appsAtOnce: input.maxParallelPerPlan }), ...(endOrder === undefined ? {} : { endOrder }), ...(notAfter === undefined ? {} : { notAfter }) };
    inFlight.set(taskIds++, { task: context.df.callSubOrchestrator(ORCHESTRATIONS.planGroup, groupInput, groupInstanceId(migrationId, groupIndex, startOrder)), groupIndex, endOrder });
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
    const draining = groupsThisGeneration >= (input.groupsPerGeneration ?? GROUPS_PER_GENERATION) || ignoredBatchEvents >= IGNORED_BATCH_EVENTS_PER_GENERATION;
    // Unscheduled: every group may start. Scheduled: only the current batch's parts, while its window is open.
    const mayStart = batching === undefined || (batching.batch !== undefined && !reached(context, batching.batch.closesTime));
    if (control === 'run' && !draining && mayStart) {
      while (inFlight.size < input.maxParallel && (resumes.length > 0 || (batching === undefined && nextGroup < progress.groupCount))) {
        const resume = resumes.shift();
        if (resume !== undefined) start(resume.groupIndex, resume.startOrder, resume.endOrder);
        else start(nextGroup++, 0);
      }
    }
    endBatchIfOver();
    const workLeft = resumes.length > 0 || (batching === undefined ? nextGroup < progress.groupCount : batching.queued > 0);
    if (inFlight.size === 0) {
      if (!workLeft || control === 'cancel') break;
      if (draining) {
        publish('draining');
        context.df.continueAsNew({
          ...input,
          progress: {
            ...progress,
            generation: progress.generation + 1,
            nextGroup,
            resumes,
            counts,
            failuresSinceResume,
            control,
            breakerTripped,
            ...(batching === undefined ? {} : { schedule: batching }),
          },
        } satisfies FleetInput);
        return counts;
      }
    }
    // Between batches: wait for the batch timer, holding a durable timer to the window's next opening or close.
    let windowTimer: TimerTask | undefined;
    if (schedule !== undefined && batching !== undefined && batching.batch === undefined && inFlight.size === 0) {
      const state = scheduleState('waiting');
      yield* recordSchedule(state);
      const window = nextWindow(schedule.maintenanceWindows, context.df.currentUtcDateTime);
      windowTimer = context.df.createTimer(window.opens > context.df.currentUtcDateTime ? window.opens : window.closes);
    }
    publish(control === 'pause' ? 'paused' : draining ? 'draining' : windowTimer !== undefined ? 'queued' : 'migrating');

    const entries = [...inFlight.entries()];
    const waitFor = [...entries.map(([, e]) => e.task), events.pause, events.resume, events.cancel, ...(batchEvent === undefined ? [] : [batchEvent]), ...(windowTimer === undefined ? [] : [windowTimer]), ...background.pending()];
    const winner = yield* firstFinished(context, waitFor);
    if (windowTimer !== undefined && winner !== windowTimer && !windowTimer.isCompleted) windowTimer.cancel();
    if (winner === windowTimer || background.owns(winner)) continue;
    if (winner === batchEvent) {
      batchEvent = context.df.waitForExternalEvent(BATCH_EVENT);
      yield* startBatch();
      continue;
    }
    const finished = entries.find(([, e]) => e.task === winner);
    if (finished !== undefined) {
      const [taskId, entry] = finished;
      inFlight.delete(taskId);
      // A group orchestration that itself failed (a bug, not an ARM answer) counts nothing here; its apps keep the
      // outcomes they recorded, and finishFleet reports from those records.
      const result: GroupResult = winner.isFaulted ? { counts: NO_OUTCOMES } : (winner.result as GroupResult);
      counts = addCounts(counts, result.counts);
      failuresSinceResume += result.counts.failed + result.counts.rolledBack;
      if (result.stoppedAt !== undefined) {
        resumes = [...resumes, { groupIndex: entry.groupIndex, startOrder: result.stoppedAt.order, ...(entry.endOrder === undefined ? {} : { endOrder: entry.endOrder }) }];
      }
      if (!breakerTripped && control === 'run' && failuresSinceResume >= input.failureThreshold) {
        breakerTripped = true;
        control = 'pause';
        yield* setStatus({ status: 'Paused', control: 'pause', breaker: { failures: failuresSinceResume } });
        notify('breaker-tripped', { failures: failuresSinceResume, threshold: input.failureThreshold }, `breaker:${progress.generation}:${taskIds}`);
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
  if (batching !== undefined) yield* recordSchedule(scheduleState('done'));
  // The last notice is waited for (briefly: the activity bounds its tries); the migration is already recorded.
  background.add(context.df.callActivity(SCHEDULE_ACTIVITIES.notifyWebhooks, { migrationId, type: 'migration-finished', data: { canceled: control === 'cancel', counts }, sequence: 'finished' } satisfies WebhookNotice));
  for (const task of background.pending()) {
    try {
      yield task;
    } catch {
      // A webhook that could not be told changes nothing about the migration.
    }
  }
  return counts;
}
