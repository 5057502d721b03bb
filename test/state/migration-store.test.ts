import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../src/state/migration-status.js';
import type { MigrationRecord } from '../../src/state/migration-store.js';
import { newMigration, useStateTables } from './support.js';

const state = useStateTables();

describe('MigrationStore', () => {
  it('creates, reads back, and refuses a second migration with the same id', async () => {
    const { migrations } = await state.open();
    const created = await migrations.create(newMigration('m-1', { plan: { groups: 2, migrate: 5, skip: 1, blocked: 0 } }));
    expect(created.lastUpdatedTime).toBeDefined();
    expect(await migrations.get('m-1')).toEqual(created);
    expect(await migrations.get('m-unknown')).toBeUndefined();
    await expect(migrations.create(newMigration('m-1'))).rejects.toMatchObject({ code: 'MigrationExists', retryable: false });
  });

  it('finds a migration by its idempotency key and refuses a second migration claiming it', async () => {
    const { migrations } = await state.open();
    await migrations.create(newMigration('m-a', { idempotencyKey: 'client-key/42' }));
    expect((await migrations.findByIdempotencyKey('client-key/42'))?.id).toBe('m-a');
    expect(await migrations.findByIdempotencyKey('other')).toBeUndefined();
    await expect(migrations.create(newMigration('m-b', { idempotencyKey: 'client-key/42' }))).rejects.toMatchObject({
      code: 'IdempotencyKeyInUse',
      details: { idempotencyKey: 'client-key/42', migrationId: 'm-a' },
    });
    // The refused create left nothing behind.
    expect(await migrations.get('m-b')).toBeUndefined();
  });

  it('lets exactly one of two racing creates with the same idempotency key win', async () => {
    const { migrations } = await state.open();
    const results = await Promise.allSettled([
      migrations.create(newMigration('race-1', { idempotencyKey: 'k' })),
      migrations.create(newMigration('race-2', { idempotencyKey: 'k' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 'fulfilled') === 0 ? 'race-1' : 'race-2';
    expect((await migrations.findByIdempotencyKey('k'))?.id).toBe(winner);
  });

  it('keeps every one of many concurrent updates (ETag retries, nothing lost)', async () => {
    const { migrations } = await state.open();
    await migrations.create(newMigration('m-busy'));
    const writers = 20;
    await Promise.all(
      Array.from({ length: writers }, () =>
        migrations.update('m-busy', (current) => ({ summary: { ...current.summary, succeeded: current.summary.succeeded + 1 } })),
      ),
    );
    expect((await migrations.get('m-busy'))?.summary.succeeded).toBe(writers);
  });

  it('two concurrent updates of different fields both land', async () => {
    const { migrations } = await state.open();
    await migrations.create(newMigration('m-two'));
    await Promise.all([
      migrations.update('m-two', () => ({ control: 'pause' })),
      migrations.update('m-two', () => ({ breaker: { trippedTime: '2025-01-01T00:00:00.000Z', failures: 5 } })),
    ]);
    const stored = await migrations.get('m-two');
    expect(stored?.control).toBe('pause');
    expect(stored?.breaker).toEqual({ trippedTime: '2025-01-01T00:00:00.000Z', failures: 5 });
  });

  it('enforces legal status transitions and keeps identity fields', async () => {
    const { migrations } = await state.open();
    const created = await migrations.create(newMigration('m-t', { idempotencyKey: 'kt' }));
    const running = await migrations.update('m-t', () => ({ status: 'Running', id: 'hijack', createdTime: '2000-01-01T00:00:00.000Z' }));
    expect(running).toMatchObject({ id: 'm-t', status: 'Running', createdTime: created.createdTime, idempotencyKey: 'kt' });
    expect(await migrations.update('m-t', () => ({ status: 'Running' }))).toMatchObject({ status: 'Running' });
    await migrations.update('m-t', () => ({ status: 'Completed' }));
    const refused = migrations.update('m-t', () => ({ status: 'Running' }));
    await expect(refused).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(refused).rejects.toMatchObject({ details: { migrationId: 'm-t', from: 'Completed', to: 'Running' } });
    expect((await migrations.get('m-t'))?.status).toBe('Completed');
  });

  it('writes nothing when the change returns undefined, and refuses updating a migration that does not exist', async () => {
    const { migrations } = await state.open();
    const created = await migrations.create(newMigration('m-same'));
    expect(await migrations.update('m-same', () => undefined)).toEqual(created);
    await expect(migrations.update('m-none', () => ({ control: 'pause' }))).rejects.toMatchObject({ code: 'StateRecordNotFound' });
  });

  it('lists newest first, page by page, filtered by status, and knows the active ones', async () => {
    const { migrations } = await state.open();
    const base = Date.parse('2025-03-01T00:00:00.000Z');
    const statuses = ['Pending', 'Running', 'Completed', 'Paused', 'Failed'] as const;
    for (let i = 0; i < 25; i++) {
      // Creation order is not time order: the listing must sort by createdTime, not by insertion.
      const n = (i * 7) % 25;
      await migrations.create(newMigration(`m-${n}`, { createdTime: new Date(base + n * 60_000).toISOString() }));
    }
    for (let n = 0; n < 25; n++) {
      const status = statuses[n % statuses.length] ?? 'Pending';
      if (status === 'Pending') continue;
      if (status !== 'Running') await migrations.update(`m-${n}`, () => ({ status: 'Running' }));
      await migrations.update(`m-${n}`, () => ({ status }));
    }

    const seen: MigrationRecord[] = [];
    let token: string | undefined;
    do {
      const page = await migrations.list({ top: 10, ...(token === undefined ? {} : { continuationToken: token }) });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items);
      token = page.continuationToken;
    } while (token !== undefined);
    expect(seen.map((m) => m.id)).toEqual(Array.from({ length: 25 }, (_, i) => `m-${24 - i}`));

    const completed = await migrations.list({ status: 'Completed' });
    expect(completed.items.map((m) => m.id)).toEqual(['m-22', 'm-17', 'm-12', 'm-7', 'm-2']);

    const active = await migrations.active();
    expect(active.map((m) => m.id).sort()).toEqual(
      Array.from({ length: 25 }, (_, n) => n)
        .filter((n) => n % 5 === 0 || n % 5 === 1 || n % 5 === 3)
        .map((n) => `m-${n}`)
        .sort(),
    );
  });

  it('refuses a continuation token it did not give out', async () => {
    const { migrations } = await state.open();
    await expect(migrations.list({ continuationToken: 'not-a-token' })).rejects.toMatchObject({ code: 'StateInvalidInput', retryable: false });
  });
});
