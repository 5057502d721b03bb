import { MigratorError } from '../domain/errors.js';
import type { MigrationStatus } from '../domain/migration-model.js';

/**
 * The migration's legal status changes, in one place: the store refuses any other, so no activity or HTTP handler
 * can resurrect a finished migration or skip straight from Pending to Completed.
 */
const NEXT: Readonly<Record<MigrationStatus, readonly MigrationStatus[]>> = {
  Pending: ['Running', 'Failed', 'Canceled'],
  Running: ['Paused', 'Completed', 'Failed', 'Canceled'],
  Paused: ['Running', 'Canceled', 'Failed'],
  Completed: [],
  Failed: [],
  Canceled: [],
};

export const TERMINAL_STATUSES: readonly MigrationStatus[] = ['Completed', 'Failed', 'Canceled'];
export const ACTIVE_STATUSES: readonly MigrationStatus[] = ['Pending', 'Running', 'Paused'];

/** Same to same is allowed so that a retried or replayed step that sets the status it already set is harmless. */
export function canTransition(from: MigrationStatus, to: MigrationStatus): boolean {
  return from === to || NEXT[from].includes(to);
}

export function isTerminal(status: MigrationStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export class IllegalTransitionError extends MigratorError {
  readonly code = 'IllegalMigrationTransition';
  constructor(migrationId: string, from: MigrationStatus, to: MigrationStatus) {
    const allowed = NEXT[from];
    super(
      `Migration '${migrationId}' cannot go from ${from} to ${to}; ${allowed.length === 0 ? `${from} is final` : `from ${from} it can only go to ${allowed.join(', ')}`}.`,
      false,
      { details: { migrationId, from, to } },
    );
  }
}
