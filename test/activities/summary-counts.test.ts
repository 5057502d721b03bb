/**
 * The live summary on the migration row under the concurrency of a large fleet: a hundred apps changing outcome at
 * once all land in the counts (one row, ETag writes, on a real Azurite), and a failed write fails its callers.
 */
import { describe, expect, it } from 'vitest';
import type { EngineDependencies } from '../../src/activities/engine-dependencies.js';
import { moveCount } from '../../src/activities/summary-counts.js';
import type { StateTables } from '../../src/state/state-tables.js';
import { EMPTY_SUMMARY, newMigration, useStateTables } from '../state/support.js';

const state = useStateTables();

function depsOf(tables: StateTables): EngineDependencies {
  return {
    state: tables,
    clientsFor: () => {
      throw new Error('no ARM here');
    },
    probes: { token: () => Promise.resolve(''), timeoutInMs: 1000 },
    webApiVersion: '2025-05-01',
    now: () => new Date(),
  };
}

describe('moveCount', () => {
  it('lands every one of 100 concurrent moves, twice over, in order', async () => {
    const tables = await state.open();
    const deps = depsOf(tables);
    await tables.migrations.create(newMigration('m-counts', { summary: { ...EMPTY_SUMMARY, total: 100, pending: 100 } }));
    await Promise.all(Array.from({ length: 100 }, () => moveCount(deps, 'm-counts', 'pending', 'inProgress')));
    await Promise.all(Array.from({ length: 100 }, (_, i) => moveCount(deps, 'm-counts', 'inProgress', i % 4 === 0 ? 'failed' : 'succeeded')));
    expect((await tables.migrations.get('m-counts'))?.summary).toEqual({ ...EMPTY_SUMMARY, total: 100, succeeded: 75, failed: 25 });
  });

  it('keeps counts of two migrations apart, and never below zero', async () => {
    const tables = await state.open();
    const deps = depsOf(tables);
    await tables.migrations.create(newMigration('m-a', { summary: { ...EMPTY_SUMMARY, total: 2, pending: 2 } }));
    await tables.migrations.create(newMigration('m-b', { summary: { ...EMPTY_SUMMARY, total: 1, pending: 1 } }));
    await Promise.all([
      moveCount(deps, 'm-a', 'pending', 'skipped'),
      moveCount(deps, 'm-b', 'pending', 'skipped'),
      moveCount(deps, 'm-b', 'pending', 'skipped'),
      moveCount(deps, 'm-a', 'pending', 'pending'),
    ]);
    expect((await tables.migrations.get('m-a'))?.summary).toMatchObject({ pending: 1, skipped: 1 });
    expect((await tables.migrations.get('m-b'))?.summary).toMatchObject({ pending: 0, skipped: 2 });
  });

  it('fails the callers whose write failed, and the next move writes again', async () => {
    const tables = await state.open();
    const deps = depsOf(tables);
    await expect(moveCount(deps, 'm-missing', 'pending', 'skipped')).rejects.toMatchObject({ code: 'StateRecordNotFound' });
    await tables.migrations.create(newMigration('m-missing', { summary: { ...EMPTY_SUMMARY, total: 1, pending: 1 } }));
    await moveCount(deps, 'm-missing', 'pending', 'skipped');
    expect((await tables.migrations.get('m-missing'))?.summary).toMatchObject({ pending: 0, skipped: 1 });
  });
});
