/**
 * One app's move, the runbook made safe, in three parts so that its plan group can run several apps at once while
 * only their joins of the shared subnet go one at a time (migrate-plan-group.ts):
 *
 * 1. `prepareApp`, before the downtime window: snapshot, baseline measurements, routing switches (the plan group
 *    has ensured the subnet).
 * 2. `moveApp`, the window itself: disconnect the gateway-based connection and join the regional subnet, in one
 *    activity. The plan group runs one `moveApp` per subnet at a time.
 * 3. `finishApp`: verify, remove the legacy settings, verify again, record the outcome.
 *
 * Every step that may change the app first pushes its undo (the step may be applied yet answered with an error);
 * any failure unwinds the stack in reverse and then compares the app with its snapshot field by field — the saga
 * shape. The stack is the same for every app at each part's start, so each part knows it without being told.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ErrorRecord } from '../domain/errors.js';
import type { StepResult } from '../domain/migration-model.js';
import { callRecord, callStep } from './call-step.js';
import { after, secondsBetween } from './durable-time.js';
import { ACTIVITIES } from './engine-names.js';
import type { AppInput, AppOutcomeRecord, AppResult, Compensation, FinishAppInput, MoveStep, PreparedApp, StepTiming, VerifyResult } from './engine-contract.js';

type Step<T> = Generator<Task, T, unknown>;

/** The undos on the stack once the routing step has been tried, and once the move has been. */
const AFTER_ROUTING: readonly Compensation[] = ['restore-routing'];
const AFTER_MOVE: readonly Compensation[] = [...AFTER_ROUTING, 'reconnect-gateway', 'disconnect-regional'];

export function* prepareApp(context: OrchestrationContext): Step<PreparedApp> {
  const input = context.df.getInput<AppInput>();
  const saga = new AppSaga(context, input, []);

  // 1. Snapshot: the networking state to go back to, read once before anything changes.
  const snapshot: StepResult<{ healthyBefore: boolean; problems: string[] }> = yield* callStep(context, ACTIVITIES.snapshotApp, saga.ref, input.timing);
  if (!snapshot.ok) {
    return { finished: yield* saga.finish({ outcome: 'failed', reasonCode: 'snapshot-failed', message: `Nothing was changed: ${snapshot.error.message}`, error: snapshot.error }) };
  }
  if (!snapshot.value.healthyBefore) {
    // Verification could never pass for an app that is already broken, and a rollback would cost it a restart.
    return { finished: yield* saga.finish({ outcome: 'skipped', reasonCode: 'unhealthy-before-move', message: `Not touched: the app was not healthy before the move (${snapshot.value.problems.join('; ')}).` }) };
  }

  // 2. Routing switches first: they take effect once the app is regionally integrated, so the join needs no second write.
  saga.push(...AFTER_ROUTING);
  const routed: StepResult<unknown> = yield* callStep(context, ACTIVITIES.applyRouting, saga.ref, input.timing);
  if (!routed.ok) return { finished: yield* saga.rollBack('routing', routed.error) };
  return {};
}

/**
 * 3. The downtime window: remove the gateway-based connection (this restarts the app) and join the regional subnet,
 * back to back inside one activity, so no durable round trip sits between them. Either half may be applied yet
 * answered with an error, so both undos are on the stack finishApp starts from; each is a no-op when its half never
 * happened. Retryable answers (the join lease 70006 among them) are retried here, so the subnet stays taken.
 */
export function* moveApp(context: OrchestrationContext): Step<StepResult<StepTiming>> {
  const input = context.df.getInput<AppInput>();
  return yield* callStep<StepTiming>(context, ACTIVITIES.moveToRegional, { migrationId: input.migrationId, appId: input.appId }, input.timing);
}

export function* finishApp(context: OrchestrationContext): Step<AppResult> {
  const input = context.df.getInput<FinishAppInput>();
  const saga = new AppSaga(context, input, AFTER_MOVE);
  const { moved } = input;
  if (!moved.ok) return yield* saga.rollBack(failedMoveStep(moved.error), moved.error);

  // 4. Verify: poll ARM state and reachability on durable timers until healthy or the deadline.
  const verified = yield* verifyUntilDeadline(context, input, false);
  if (!verified.ok) return yield* saga.rollBack('verify', verified.error);
  const downtimeSeconds = secondsBetween(moved.value.startedTime, verified.value.checkedTime);

  // 5. The legacy routing settings go only now that the site properties carry the same switches (seed 004's order).
  saga.push('restore-legacy-settings');
  const cleaned: StepResult<unknown> = yield* callStep(context, ACTIVITIES.removeLegacySettings, saga.ref, input.timing);
  if (!cleaned.ok) return yield* saga.rollBack('cleanup', cleaned.error);
  const final = yield* verifyUntilDeadline(context, input, true);
  if (!final.ok) return yield* saga.rollBack('verify', final.error);

  return yield* saga.finish({ outcome: 'succeeded', downtimeSeconds, message: 'Regionally integrated and verified.' });
}

/** The compensation stack of one app and the two ways its saga ends: recorded as it is, or unwound first. */
class AppSaga {
  readonly ref: { readonly migrationId: string; readonly appId: string };
  readonly #compensations: Compensation[];

  constructor(
    private readonly context: OrchestrationContext,
    private readonly input: AppInput,
    pushed: readonly Compensation[],
  ) {
    this.ref = { migrationId: input.migrationId, appId: input.appId };
    this.#compensations = [...pushed];
  }

  push(...undos: Compensation[]): void {
    this.#compensations.push(...undos);
  }

  *finish(record: Omit<AppOutcomeRecord, 'migrationId' | 'appId'>): Step<AppResult> {
    yield* callRecord(this.context, ACTIVITIES.recordAppOutcome, { ...this.ref, ...record } satisfies AppOutcomeRecord);
    return { appId: this.input.appId, outcome: record.outcome };
  }

  *rollBack(failedStep: string, error: ErrorRecord): Step<AppResult> {
    const problems: string[] = [];
    for (const compensation of [...this.#compensations].reverse()) {
      const undone: StepResult<unknown> = yield* callStep(this.context, ACTIVITIES.compensate, { ...this.ref, compensation }, this.input.timing);
      if (!undone.ok) problems.push(`${compensation}: ${undone.error.message}`);
    }
    const compared: StepResult<{ differences: string[] }> = yield* callStep(this.context, ACTIVITIES.compareWithSnapshot, this.ref, this.input.timing);
    const differences = compared.ok ? compared.value.differences : [`could not read the app back: ${compared.error.message}`];
    const exact = problems.length === 0 && differences.length === 0;
    return yield* this.finish({
      outcome: exact ? 'rolledBack' : 'failed',
      reasonCode: exact ? `${failedStep}-failed` : 'rollback-incomplete',
      message: exact
        ? `${failedStep} failed and the app was put back exactly as it was: ${error.message}`
        : `${failedStep} failed (${error.message}) and the rollback did not restore everything; fix by hand: ${[...problems, ...differences].join('; ')}`,
      needsAttention: !exact,
      difference: [...problems, ...differences],
      error,
    });
  }
}

/** Which half of the move failed, as the activity names it (the join when it does not say). */
function failedMoveStep(error: ErrorRecord): MoveStep {
  return error.details?.['step'] === 'disconnect' ? 'disconnect' : 'connect';
}

function* verifyUntilDeadline(context: OrchestrationContext, input: AppInput, final: boolean): Step<StepResult<VerifyResult>> {
  const { timing } = input;
  const deadline = context.df.currentUtcDateTime.getTime() + timing.verifyTimeoutSeconds * 1000;
  let last: VerifyResult | undefined;
  for (;;) {
    const checked: StepResult<VerifyResult> = yield* callStep(context, ACTIVITIES.verifyApp, { migrationId: input.migrationId, appId: input.appId, final }, timing);
    if (!checked.ok) return checked;
    if (checked.value.verified) return checked;
    last = checked.value;
    const next = context.df.currentUtcDateTime.getTime() + timing.verifyPollSeconds * 1000;
    if (next > deadline) break;
    yield context.df.createTimer(after(context, next - context.df.currentUtcDateTime.getTime()));
  }
  return {
    ok: false,
    error: {
      code: 'VerificationFailed',
      message: `not healthy within ${timing.verifyTimeoutSeconds} s: ${(last?.problems ?? []).join('; ')}`,
      retryable: false,
      details: { problems: last?.problems ?? [] },
    },
  };
}
