import { describe, expect, it } from 'vitest';
import { MIGRATION_STATUSES, type MigrationStatus } from '../../src/domain/migration-model.js';
import { IllegalTransitionError, canTransition } from '../../src/state/migration-status.js';

const LEGAL = new Set([
  'Pending>Running',
  'Pending>Failed',
  'Pending>Canceled',
  'Running>Paused',
  'Running>Completed',
  'Running>Failed',
  'Running>Canceled',
  'Paused>Running',
  'Paused>Canceled',
  'Paused>Failed',
]);

describe('canTransition', () => {
  const pairs = MIGRATION_STATUSES.flatMap((from) => MIGRATION_STATUSES.map((to) => [from, to] as [MigrationStatus, MigrationStatus]));

  it.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(from === to || LEGAL.has(`${from}>${to}`));
  });

  it('lets nothing leave a final status', () => {
    for (const from of ['Completed', 'Failed', 'Canceled'] as const) {
      expect(MIGRATION_STATUSES.filter((to) => canTransition(from, to))).toEqual([from]);
    }
  });
});

describe('IllegalTransitionError', () => {
  it('is not retryable and names the migration, from and to', () => {
    const error = new IllegalTransitionError('m-1', 'Completed', 'Running');
    expect(error.code).toBe('IllegalMigrationTransition');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("'m-1'");
    expect(error.message).toContain('Completed');
    expect(error.message).toContain('Running');
    expect(error.details).toEqual({ migrationId: 'm-1', from: 'Completed', to: 'Running' });
  });
});
