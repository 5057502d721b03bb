/**
 * Every change the engine makes is written to the append-only audit trail: what, when, before and after. An
 * operation that found its work already done is recorded too ("already-applied"), so a retried step is visible.
 */
import type { ChangeRecord } from '../azure/app-networking/index.js';
import type { EngineDependencies } from './engine-dependencies.js';

export async function auditChange(deps: EngineDependencies, migrationId: string, appId: string, change: ChangeRecord): Promise<void> {
  await deps.state.audit.append({
    appId,
    migrationId,
    time: deps.now().toISOString(),
    action: change.action,
    before: change.before,
    after: change.after,
    outcome: change.applied ? 'applied' : 'already-applied',
  });
}
