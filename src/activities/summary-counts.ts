import type { AppOutcome, MigrationSummary } from '../domain/migration-model.js';
import type { EngineDependencies } from './engine-dependencies.js';

/**
 * Moves one app from one count to another in the migration's live summary, so status reads are one row, not a
 * scan of every app. Callers move an app only when its own record changed, so a re-run activity counts nothing
 * twice; finishFleet recounts from the records at the end all the same.
 */
export async function moveCount(deps: EngineDependencies, migrationId: string, from: AppOutcome, to: AppOutcome): Promise<void> {
  if (from === to) return;
  await deps.state.migrations.update(migrationId, (current) => {
    const summary: Record<keyof MigrationSummary, number> = { ...current.summary };
    summary[from] = Math.max(0, summary[from] - 1);
    summary[to] += 1;
    return { summary };
  });
}
