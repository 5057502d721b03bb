/**
 * Progress of a migration as people read it: per plan group (one App Service plan) and per outcome, and the exit
 * code its state maps to. Pure: the status command feeds it what the API answered.
 */
import type { AppOutcome, MigrationStatus } from '../domain/migration-model.js';
import type { AppView, MigrationView } from './api-types.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { shortName } from './text-format.js';

export type OutcomeCounts = Record<AppOutcome, number>;

export interface GroupProgress {
  readonly planId: string;
  readonly name: string;
  readonly total: number;
  readonly counts: OutcomeCounts;
  /** Apps with a final outcome (succeeded, rolled back, failed, skipped). */
  readonly done: number;
}

const emptyCounts = (): OutcomeCounts => ({ pending: 0, inProgress: 0, succeeded: 0, rolledBack: 0, failed: 0, skipped: 0 });

/** Groups in the order the API lists apps (plan order). */
export function groupProgress(apps: readonly AppView[]): GroupProgress[] {
  const groups = new Map<string, { planId: string; counts: OutcomeCounts; total: number }>();
  for (const app of apps) {
    const key = app.planId.toLowerCase();
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { planId: app.planId, counts: emptyCounts(), total: 0 }));
    group.counts[app.outcome] += 1;
    group.total += 1;
  }
  return [...groups.values()].map((g) => ({ ...g, name: shortName(g.planId), done: g.total - g.counts.pending - g.counts.inProgress }));
}

const FINAL_STATUSES: readonly MigrationStatus[] = ['Completed', 'Failed', 'Canceled'];

/**
 * Whether a watch can stop: nothing more happens without an operator. A paused migration still finishes the apps
 * it had started, so it has settled once none is in progress.
 */
export function isSettled(view: MigrationView): boolean {
  return FINAL_STATUSES.includes(view.status) || (view.status === 'Paused' && view.summary.inProgress === 0);
}

export function exitCodeOf(view: MigrationView): ExitCode {
  switch (view.status) {
    case 'Failed':
      return EXIT.migrationFailed;
    case 'Canceled':
      return EXIT.migrationCanceled;
    case 'Paused':
      return EXIT.migrationPaused;
    case 'Completed':
      return view.summary.failed + view.summary.rolledBack > 0 ? EXIT.migrationFailed : EXIT.ok;
    default:
      return EXIT.ok;
  }
}

export function summaryText(view: MigrationView): string {
  const s = view.summary;
  return `${s.succeeded} succeeded, ${s.failed} failed, ${s.rolledBack} rolled back, ${s.skipped} skipped, ${s.inProgress} in progress, ${s.pending} pending (of ${s.total})`;
}
