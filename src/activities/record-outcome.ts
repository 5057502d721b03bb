/**
 * Where an app's move ends: its outcome on its record, its count in the migration's summary, and its lease given
 * back so a later migration may take it. Recording the same outcome twice changes nothing.
 */
import type { AppOutcome } from '../domain/migration-model.js';
import type { AppOutcomeRecord, SkipAppsInput } from '../orchestrations/engine-contract.js';
import type { EngineDependencies } from './engine-dependencies.js';
import { moveCount } from './summary-counts.js';

const FINAL: readonly AppOutcome[] = ['succeeded', 'rolledBack', 'failed', 'skipped'];

export function recordAppOutcome(deps: EngineDependencies) {
  return async (input: AppOutcomeRecord): Promise<void> => {
    const before = await deps.state.apps.get(input.migrationId, input.appId);
    if (before === undefined) return;
    if (!FINAL.includes(before.outcome)) {
      await deps.state.apps.update(input.migrationId, input.appId, () => ({
        outcome: input.outcome,
        phase: 'done',
        finishedTime: deps.now().toISOString(),
        ...(input.reasonCode === undefined ? {} : { reasonCode: input.reasonCode }),
        ...(input.message === undefined ? {} : { message: input.message }),
        ...(input.downtimeSeconds === undefined ? {} : { downtimeSeconds: input.downtimeSeconds }),
        ...(input.needsAttention === undefined ? {} : { needsAttention: input.needsAttention }),
        ...(input.difference === undefined || input.difference.length === 0 ? {} : { difference: [...input.difference] }),
        ...(input.error === undefined ? {} : { error: input.error }),
      }));
      await moveCount(deps, input.migrationId, before.outcome, input.outcome);
    }
    await deps.state.leases.release(input.migrationId, [input.appId]);
  };
}

/**
 * Apps a group or the fleet will not start (their subnet failed, or the migration was canceled): recorded with the
 * reason, nothing changed on them. groupIndex -1 means every app of the migration still pending.
 */
export function skipApps(deps: EngineDependencies) {
  return async (input: SkipAppsInput & { outcome?: 'skipped' | 'failed' }): Promise<number> => {
    const outcome = input.outcome ?? (input.reasonCode === 'canceled' ? 'skipped' : 'failed');
    const candidates =
      input.groupIndex < 0
        ? await allPending(deps, input.migrationId)
        : (await deps.state.apps.listGroup(input.migrationId, input.groupIndex)).filter((r) => r.order >= input.fromOrder && r.outcome === 'pending');
    const record = recordAppOutcome(deps);
    for (const app of candidates) {
      await record({ migrationId: input.migrationId, appId: app.appId, outcome, reasonCode: input.reasonCode, message: input.message });
    }
    return candidates.length;
  };
}

async function allPending(deps: EngineDependencies, migrationId: string): Promise<{ appId: string }[]> {
  const found: { appId: string }[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.state.apps.list(migrationId, { outcome: 'pending', top: 1000, ...(continuationToken === undefined ? {} : { continuationToken }) });
    found.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return found;
}
