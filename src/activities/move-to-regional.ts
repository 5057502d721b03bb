/**
 * The downtime window, in one activity: remove the gateway-based connection and join the regional subnet back to
 * back. As two activities, the durable round trip between them (result to storage, replay, next activity
 * scheduled) sat inside the window where the app is unreachable; here only the join's own request follows the
 * disconnect. Everything that can happen earlier (snapshot, subnet, routing switches) has happened, and everything
 * that can wait (verification, cleanup) waits.
 *
 * Idempotent from ARM's state alone, so a retry, a re-run after an applied-then-504 answer, or a re-run after the
 * host died between the two calls does only what is missing: each half reads first (no gateway connection left:
 * nothing to delete; already on the planned subnet: nothing to join) and reads back after an ambiguous answer
 * (src/azure/app-networking/confirmed-write.ts). A failure names the half that failed in `details.step`.
 */
import { connectRegional, disconnectGateway, type ChangeRecord } from '../azure/app-networking/index.js';
import type { StepResult } from '../domain/migration-model.js';
import type { AppRef, MoveStep, StepTiming } from '../orchestrations/engine-contract.js';
import { loadPlannedApp, stepOf } from './app-context.js';
import { armOptions } from './arm-options.js';
import { auditChange } from './audit-change.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { runStep } from './step-result.js';

/** Waits for every promise (so no bookkeeping is left half-done), then fails with the first failure, if any. */
async function allDone<T>(work: readonly [Promise<T>, ...Promise<unknown>[]]): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return (settled[0] as PromiseFulfilledResult<T>).value;
}

export function moveToRegional(deps: EngineDependencies) {
  return async (input: AppRef): Promise<StepResult<StepTiming>> => {
    const { migrationId, appId } = input;
    const { plan } = await loadPlannedApp(deps, migrationId, appId);
    // Downtime starts at the first attempt's send: a retried move keeps it, so retries never shorten the downtime.
    const first = await deps.state.apps.update(migrationId, appId, (current) => ({
      phase: 'disconnect',
      disconnectStartedTime: current.disconnectStartedTime ?? deps.now().toISOString(),
    }));
    const options = armOptions(deps);
    const gateway = stepOf(plan, 'disconnect-gateway');
    let step: MoveStep = 'disconnect';
    const result = await runStep(async () => {
      const disconnected: ChangeRecord | undefined =
        gateway === undefined ? undefined : await disconnectGateway(plan.appId, gateway.connectionName, options);
      step = 'connect';
      // The app is unreachable from here until the join is applied: the join goes out first, and the disconnect's
      // bookkeeping (audit row, phase) is written while it runs, not before it.
      const connected = await allDone([
        connectRegional(plan.appId, plan.subnetId, options),
        ...(disconnected === undefined ? [] : [auditChange(deps, migrationId, appId, disconnected)]),
        deps.state.apps.update(migrationId, appId, () => ({ phase: 'connect' })),
      ]);
      await auditChange(deps, migrationId, appId, connected);
      return { startedTime: first.disconnectStartedTime ?? deps.now().toISOString(), finishedTime: deps.now().toISOString() };
    });
    return result.ok ? result : { ok: false, error: { ...result.error, details: { ...result.error.details, step } } };
  };
}
