/**
 * One app's move, the runbook made safe. Everything that can happen before the disconnect happens before it
 * (snapshot, baseline measurements, routing switches; the plan group has ensured the subnet), so the downtime
 * window holds only: disconnect the gateway-based connection and join the regional subnet (one activity), verify.
 * Every step that may change the app first pushes its undo (the step may be applied yet answered with an error); any
 * failure unwinds the stack in reverse and then compares the app with its snapshot field by field — the saga shape.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ErrorRecord } from '../domain/errors.js';
import type { StepResult } from '../domain/migration-model.js';
import { callRecord, callStep } from './call-step.js';
import { after, secondsBetween } from './durable-time.js';
import { ACTIVITIES } from './engine-names.js';
import type { AppInput, AppOutcomeRecord, AppResult, Compensation, MoveStep, StepTiming, VerifyResult } from './engine-contract.js';

type Step<T> = Generator<Task, T, unknown>;

export function* migrateApp(context: OrchestrationContext): Step<AppResult> {
  const input = context.df.getInput<AppInput>();
  const { migrationId, appId, timing } = input;
  const ref = { migrationId, appId };
  const compensations: Compensation[] = [];

  const finish = function* (record: Omit<AppOutcomeRecord, 'migrationId' | 'appId'>): Step<AppResult> {
    yield* callRecord(context, ACTIVITIES.recordAppOutcome, { ...ref, ...record } satisfies AppOutcomeRecord);
    return { appId, outcome: record.outcome };
  };

  const rollBack = function* (failedStep: string, error: ErrorRecord): Step<AppResult> {
    const problems: string[] = [];
    for (const compensation of [...compensations].reverse()) {
      const undone: StepResult<unknown> = yield* callStep(context, ACTIVITIES.compensate, { ...ref, compensation }, timing);
      if (!undone.ok) problems.push(`${compensation}: ${undone.error.message}`);
    }
    const compared: StepResult<{ differences: string[] }> = yield* callStep(context, ACTIVITIES.compareWithSnapshot, ref, timing);
    const differences = compared.ok ? compared.value.differences : [`could not read the app back: ${compared.error.message}`];
    const exact = problems.length === 0 && differences.length === 0;
    return yield* finish({
      outcome: exact ? 'rolledBack' : 'failed',
      reasonCode: exact ? `${failedStep}-failed` : 'rollback-incomplete',
      message: exact
        ? `${failedStep} failed and the app was put back exactly as it was: ${error.message}`
        : `${failedStep} failed (${error.message}) and the rollback did not restore everything; fix by hand: ${[...problems, ...differences].join('; ')}`,
      needsAttention: !exact,
      difference: [...problems, ...differences],
      error,
    });
  };

  // 1. Snapshot: the networking state to go back to, read once before anything changes.
  const snapshot: StepResult<{ healthyBefore: boolean; problems: string[] }> = yield* callStep(context, ACTIVITIES.snapshotApp, ref, timing);
  if (!snapshot.ok) {
    return yield* finish({ outcome: 'failed', reasonCode: 'snapshot-failed', message: `Nothing was changed: ${snapshot.error.message}`, error: snapshot.error });
  }
  if (!snapshot.value.healthyBefore) {
    // Verification could never pass for an app that is already broken, and a rollback would cost it a restart.
    return yield* finish({ outcome: 'skipped', reasonCode: 'unhealthy-before-move', message: `Not touched: the app was not healthy before the move (${snapshot.value.problems.join('; ')}).` });
  }

  // 2. Routing switches first: they take effect once the app is regionally integrated, so the join needs no second write.
  compensations.push('restore-routing');
  const routed: StepResult<unknown> = yield* callStep(context, ACTIVITIES.applyRouting, ref, timing);
  if (!routed.ok) return yield* rollBack('routing', routed.error);

  // 3. The downtime window: remove the gateway-based connection (this restarts the app) and join the regional subnet,
  // back to back inside one activity, so no durable round trip sits between them. Either half may be applied yet
  // answered with an error, so both undos go on the stack first; each is a no-op when its half never happened.
  compensations.push('reconnect-gateway', 'disconnect-regional');
  const moved: StepResult<StepTiming> = yield* callStep(context, ACTIVITIES.moveToRegional, ref, timing);
  if (!moved.ok) return yield* rollBack(failedMoveStep(moved.error), moved.error);

  // 4. Verify: poll ARM state and reachability on durable timers until healthy or the deadline.
  const verified = yield* verifyUntilDeadline(context, input, false);
  if (!verified.ok) return yield* rollBack('verify', verified.error);
  const downtimeSeconds = secondsBetween(moved.value.startedTime, verified.value.checkedTime);

  // 5. The legacy routing settings go only now that the site properties carry the same switches (seed 004's order).
  compensations.push('restore-legacy-settings');
  const cleaned: StepResult<unknown> = yield* callStep(context, ACTIVITIES.removeLegacySettings, ref, timing);
  if (!cleaned.ok) return yield* rollBack('cleanup', cleaned.error);
  const final = yield* verifyUntilDeadline(context, input, true);
  if (!final.ok) return yield* rollBack('verify', final.error);

  return yield* finish({ outcome: 'succeeded', downtimeSeconds, message: 'Regionally integrated and verified.' });
}

/** Which half of the move failed, as the activity names it (the join when it does not say). */
function failedMoveStep(error: ErrorRecord): MoveStep {
  return error.details?.['step'] === 'disconnect' ? 'disconnect' : 'connect';
}

function* verifyUntilDeadline(context: OrchestrationContext, input: AppInput, final: boolean): Generator<Task, StepResult<VerifyResult>, unknown> {
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
