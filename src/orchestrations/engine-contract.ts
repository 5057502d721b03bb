/**
 * The inputs and outputs that cross the orchestration/activity boundary. Orchestrations pass ids and small
 * records only: every large thing (the discovered inventory, the plan, snapshots) lives in Table Storage and is
 * read by the activity that needs it, because durable history keeps every input and output forever.
 */
import type { AppOutcome, FleetControl, MigrationStatus } from '../domain/migration-model.js';
import type { ErrorRecord } from '../domain/errors.js';
import type { StepResult } from '../domain/migration-model.js';
import type { FleetSchedule, ScheduleProgress } from './schedule-contract.js';

export interface MigrationRef {
  readonly migrationId: string;
}

export interface AppRef extends MigrationRef {
  readonly appId: string;
}

/** The fleet's timing knobs, fixed when the migration starts (the orchestration cannot read settings). */
export interface EngineTiming {
  /** Verification keeps trying this long after the regional join. */
  readonly verifyTimeoutSeconds: number;
  readonly verifyPollSeconds: number;
  /** Retries of a retryable ARM failure: first wait, growth, cap and attempts. Retry-After wins when longer. */
  readonly retryFirstSeconds: number;
  readonly retryBackoffCoefficient: number;
  readonly retryMaxSeconds: number;
  readonly retryMaxAttempts: number;
}

export const DEFAULT_TIMING: EngineTiming = {
  verifyTimeoutSeconds: 300,
  verifyPollSeconds: 5,
  retryFirstSeconds: 2,
  retryBackoffCoefficient: 2,
  retryMaxSeconds: 60,
  retryMaxAttempts: 6,
};

export interface FleetInput extends MigrationRef {
  readonly maxParallel: number;
  /** Apps of one plan group in flight at once (their joins of the shared subnet still go one at a time); 1 when absent. */
  readonly maxParallelPerPlan?: number;
  readonly failureThreshold: number;
  readonly timing: EngineTiming;
  /** Groups finished per generation before continueAsNew (history stays bounded); GROUPS_PER_GENERATION by default. */
  readonly groupsPerGeneration?: number;
  /** Carried across continueAsNew; absent on the first generation. */
  readonly progress?: FleetProgress;
  /** Batches inside maintenance windows (schedule-contract.ts); absent: every group starts through maxParallel. */
  readonly schedule?: FleetSchedule;
}

export interface GroupResume {
  readonly groupIndex: number;
  readonly startOrder: number;
  /** A batch's part of the group ends before this app (scheduled migrations). */
  readonly endOrder?: number;
}

export interface FleetProgress {
  readonly generation: number;
  readonly groupCount: number;
  /** The next group never started. */
  readonly nextGroup: number;
  /** Groups stopped part-way by a pause or the breaker, to finish before new ones start. */
  readonly resumes: readonly GroupResume[];
  readonly counts: OutcomeCounts;
  readonly failuresSinceResume: number;
  readonly control: FleetControl;
  readonly breakerTripped: boolean;
  readonly schedule?: ScheduleProgress;
}

export interface OutcomeCounts {
  readonly succeeded: number;
  readonly rolledBack: number;
  readonly failed: number;
  readonly skipped: number;
}

export const NO_OUTCOMES: OutcomeCounts = { succeeded: 0, rolledBack: 0, failed: 0, skipped: 0 };

export interface PlanSummary {
  readonly groupCount: number;
  readonly migrate: number;
  readonly skip: number;
  readonly blocked: number;
}

export interface GroupInput extends MigrationRef {
  readonly groupIndex: number;
  readonly startOrder: number;
  readonly timing: EngineTiming;
  /** Apps in flight at once (FleetInput.maxParallelPerPlan); 1 when absent. */
  readonly appsAtOnce?: number;
  /** Scheduled migrations: the batch's part of the group ends before this app... */
  readonly endOrder?: number;
  /** ...and no app starts at or after this instant (its maintenance window closes). */
  readonly notAfter?: string;
}

export interface GroupApp {
  readonly appId: string;
  readonly order: number;
  /** The subnet it joins: moves of one subnet go one at a time. */
  readonly subnetId: string;
  /** This app's slots that must have succeeded first (slots-first strategy). */
  readonly dependsOn: readonly string[];
}

export interface SubnetToEnsure {
  readonly action: 'create' | 'reuse';
  readonly subnetId: string;
  readonly addressPrefix: string | null;
}

export interface LoadedGroup {
  readonly planId: string;
  readonly subnets: readonly SubnetToEnsure[];
  readonly apps: readonly GroupApp[];
  /** Some app of the group succeeded in an earlier batch (its subnet is in use). */
  readonly movedEarlier?: boolean;
}

export interface GroupResult {
  readonly counts: OutcomeCounts;
  /** Set when the group stopped before its last app because the fleet was paused or canceled. */
  readonly stoppedAt?: { readonly order: number; readonly control: Exclude<FleetControl, 'run'> | 'window-closed' };
}

export interface AppInput extends AppRef {
  readonly groupIndex: number;
  readonly order: number;
  readonly timing: EngineTiming;
}

export interface AppResult {
  readonly appId: string;
  readonly outcome: Extract<AppOutcome, 'succeeded' | 'rolledBack' | 'failed' | 'skipped'>;
}

/** prepareApp's answer: ready for its move, or already finished (skipped, failed, or rolled back) with this result. */
export interface PreparedApp {
  readonly finished?: AppResult;
}

/** finishApp's input: the app and what its move answered. */
export interface FinishAppInput extends AppInput {
  readonly moved: StepResult<StepTiming>;
}

/** The undo of one step that changed the app, pushed before the step runs (it may be applied yet answered with an error). */
export type Compensation = 'restore-routing' | 'reconnect-gateway' | 'disconnect-regional' | 'restore-legacy-settings';

export interface CompensateInput extends AppRef {
  readonly compensation: Compensation;
}

/** The two halves of the move (moveToRegional): a failure names the one that failed in its details' `step`. */
export type MoveStep = 'disconnect' | 'connect';

export interface StepTiming {
  /** ISO time the activity sent its write (downtime starts at the disconnect's). */
  readonly startedTime: string;
  readonly finishedTime: string;
}

export interface VerifyInput extends AppRef {
  /** The last check, after legacy settings are removed: they must be gone too. */
  readonly final: boolean;
}

export interface VerifyResult {
  readonly verified: boolean;
  readonly problems: readonly string[];
  readonly checkedTime: string;
}

export interface AppOutcomeRecord extends AppRef {
  readonly outcome: AppResult['outcome'];
  readonly reasonCode?: string;
  readonly message?: string;
  readonly downtimeSeconds?: number;
  readonly needsAttention?: boolean;
  readonly difference?: readonly string[];
  readonly error?: ErrorRecord;
}

export interface SkipAppsInput extends MigrationRef {
  readonly groupIndex: number;
  readonly fromOrder: number;
  readonly reasonCode: string;
  readonly message: string;
}

export interface StatusChange extends MigrationRef {
  readonly status: MigrationStatus;
  readonly control?: FleetControl;
  readonly breaker?: { readonly failures: number };
  readonly error?: ErrorRecord;
}

/** What the fleet shows in its custom status while it runs. */
export interface FleetCustomStatus {
  readonly phase: 'discovering' | 'planning' | 'migrating' | 'paused' | 'draining' | 'finishing' | 'queued';
  readonly groups: { readonly total: number; readonly started: number; readonly inFlight: number };
  readonly counts: OutcomeCounts;
  readonly control: FleetControl;
  readonly breakerTripped: boolean;
  readonly generation: number;
}
