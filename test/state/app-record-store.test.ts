import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/domain/inventory.js';
import { buildMigrationPlan, type AppMigration } from '../../src/domain/plan-builder.js';
import type { AppRecord } from '../../src/state/app-record-store.js';
import { fleet } from '../domain/inventory-fixture.js';
import { appId, useStateTables } from './support.js';

const state = useStateTables();

/** 250 apps in 5 groups of 50, the ids deliberately not in plan order. */
function records(migrationId: string, count = 250, perGroup = 50): AppRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    migrationId,
    appId: appId(`app-${String(count - i).padStart(4, '0')}`),
    planId: `plan-${Math.floor(i / perGroup)}`,
    groupIndex: Math.floor(i / perGroup),
    order: i % perGroup,
    phase: 'planned',
    outcome: 'pending',
  }));
}

function realAppPlan(): AppMigration {
  const plan = buildMigrationPlan(parseInventory(fleet()), { apiVersion: '2025-05-01' });
  const first = plan.groups[0]?.apps[0];
  if (first === undefined) throw new Error('the fixture fleet has no migratable app');
  return first;
}

describe('AppRecordStore', () => {
  it('lists 250 apps in pages of 100 in group-then-order order, and filters by outcome', async () => {
    const { apps } = await state.open();
    const all = records('m-page');
    await apps.putMany(all);

    const pages: AppRecord[][] = [];
    let token: string | undefined;
    do {
      const page = await apps.list('m-page', { top: 100, ...(token === undefined ? {} : { continuationToken: token }) });
      pages.push(page.items);
      token = page.continuationToken;
    } while (token !== undefined);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat().map((r) => r.appId)).toEqual(all.map((r) => r.appId));

    await apps.update('m-page', all[3]?.appId ?? '', () => ({ outcome: 'failed', phase: 'done' }));
    await apps.update('m-page', all[200]?.appId ?? '', () => ({ outcome: 'failed', phase: 'done' }));
    const failed = await apps.list('m-page', { outcome: 'failed' });
    expect(failed.items.map((r) => r.appId)).toEqual([all[3]?.appId, all[200]?.appId]);
  });

  it('lists one group in order, gets by app id in any casing, and puts idempotently', async () => {
    const { apps } = await state.open();
    const all = records('m-group', 120, 40);
    await apps.putMany([...all].reverse());
    await apps.putMany(all);

    const group = await apps.listGroup('m-group', 1);
    expect(group.map((r) => r.order)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(group.map((r) => r.appId)).toEqual(all.slice(40, 80).map((r) => r.appId));

    const target = all[77];
    expect(await apps.get('m-group', target?.appId.toUpperCase() ?? '')).toEqual(target);
    expect(await apps.get('m-group', appId('absent'))).toBeUndefined();
    expect(await apps.get('m-other', target?.appId ?? '')).toBeUndefined();
    expect((await apps.summarize('m-group')).total).toBe(120);
  });

  it('keeps both of two concurrent updates to one app', async () => {
    const { apps } = await state.open();
    const [record] = records('m-conc', 1);
    if (record === undefined) throw new Error('no record');
    await apps.putMany([record]);
    await Promise.all([
      apps.update('m-conc', record.appId, (c) => ({ advice: [...(c.advice ?? []), 'first'] })),
      apps.update('m-conc', record.appId, (c) => ({ advice: [...(c.advice ?? []), 'second'] })),
      apps.update('m-conc', record.appId, () => ({ downtimeSeconds: 4.5 })),
    ]);
    const stored = await apps.get('m-conc', record.appId);
    expect([...(stored?.advice ?? [])].sort()).toEqual(['first', 'second']);
    expect(stored?.downtimeSeconds).toBe(4.5);
    await expect(apps.update('m-conc', appId('absent'), () => ({}))).rejects.toMatchObject({ code: 'StateRecordNotFound' });
  });

  it('round-trips a plan whose JSON is larger than one Table property (64 KiB)', async () => {
    const { apps } = await state.open();
    const real = realAppPlan();
    // Non-ASCII text too: parts are split in UTF-16 code units and must not cut a surrogate pair.
    const plan: AppMigration = { ...real, notes: Array.from({ length: 600 }, (_, i) => `note ${i} 🚀 ${'x'.repeat(200)}`) };
    expect(JSON.stringify(plan).length).toBeGreaterThan(64 * 1024);
    const difference = Array.from({ length: 400 }, (_, i) => `routing.field${i}: expected true, found false`);
    const [record] = records('m-big', 1);
    if (record === undefined) throw new Error('no record');
    await apps.putMany([{ ...record, plan, difference }]);
    const stored = await apps.get('m-big', record.appId);
    expect(stored?.plan).toEqual(plan);
    expect(stored?.difference).toEqual(difference);
    // A listing leaves the plan out and keeps its strategy; an update keeps the plan.
    const [listed] = (await apps.list('m-big', { top: 10 })).items;
    expect(listed?.plan).toBeUndefined();
    expect(listed).toMatchObject({ appId: record.appId, strategy: plan.strategy, difference });
    await apps.update('m-big', record.appId, () => ({ phase: 'verify' }));
    expect((await apps.get('m-big', record.appId))?.plan).toEqual(plan);
  });

  it('summarizes outcomes', async () => {
    const { apps } = await state.open();
    const all = records('m-sum', 10, 10);
    await apps.putMany(all);
    const outcomes = ['succeeded', 'succeeded', 'rolledBack', 'failed', 'skipped', 'inProgress'] as const;
    await Promise.all(outcomes.map((outcome, i) => apps.update('m-sum', all[i]?.appId ?? '', () => ({ outcome }))));
    expect(await apps.summarize('m-sum')).toEqual({ total: 10, succeeded: 2, rolledBack: 1, failed: 1, skipped: 1, pending: 4, inProgress: 1 });
  });

  it('reads every app id and outcome in plan order without the records', async () => {
    const { apps } = await state.open();
    const all = records('m-outcomes', 120, 40);
    await apps.putMany(all);
    await apps.update('m-outcomes', all[3]?.appId ?? '', () => ({ outcome: 'succeeded' }));
    const outcomes = await apps.outcomes('m-outcomes');
    expect(outcomes.map((o) => o.appId)).toEqual(all.map((r) => r.appId));
    expect(outcomes.filter((o) => o.outcome === 'succeeded').map((o) => o.appId)).toEqual([all[3]?.appId]);
    expect((await apps.summarize('m-outcomes')).succeeded).toBe(1);
  });

  it('keeps plan group headers beside the records, one point read each, out of listings', async () => {
    const { apps } = await state.open();
    await apps.putMany(records('m-groups', 10, 5));
    const headers = Array.from({ length: 150 }, (_, i) => ({ planId: `plan-${i}`, subnets: [{ action: 'create', addressPrefix: '10.0.0.0/27' }], appCount: i }));
    await apps.putGroups('m-groups', headers);
    await apps.putGroups('m-groups', headers);
    expect(await apps.getGroup('m-groups', 0)).toEqual(headers[0]);
    expect(await apps.getGroup('m-groups', 149)).toEqual(headers[149]);
    expect(await apps.getGroup('m-groups', 150)).toBeUndefined();
    expect(await apps.getGroup('m-other', 0)).toBeUndefined();
    expect((await apps.list('m-groups', { top: 100 })).items).toHaveLength(10);
    expect((await apps.summarize('m-groups')).total).toBe(10);
  });

  it('spreads a migration over one partition per plan group and 256 index partitions', async () => {
    const { apps } = await state.open();
    await apps.putMany(records('m-layout', 120, 40));
    const partitions = new Set<string>();
    for await (const row of state.table('Apps').listEntities({ queryOptions: { select: ['PartitionKey'] } })) partitions.add(row.partitionKey ?? '');
    const key = Buffer.from('m-layout').toString('base64url');
    expect([...partitions].filter((p) => /~\d{6}$/.test(p)).sort()).toEqual([`${key}~000000`, `${key}~000001`, `${key}~000002`]);
    expect([...partitions].every((p) => p.startsWith(`${key}~`))).toBe(true);
    expect([...partitions].filter((p) => p.startsWith(`${key}~i`)).length).toBeGreaterThan(50);
  });

  it('still reads, pages and updates a migration stored in one partition, as earlier builds did', async () => {
    const { apps } = await state.open();
    const raw = state.table('Apps');
    const partitionKey = Buffer.from('m-legacy').toString('base64url');
    const stored = records('m-legacy', 150, 50);
    for (const r of stored) {
      const rowKey = `${String(r.groupIndex).padStart(6, '0')}-${String(r.order).padStart(6, '0')}`;
      const doc = JSON.stringify(r);
      await raw.createEntity({ partitionKey, rowKey, appId: r.appId, appKey: r.appId.toLowerCase(), groupIndex: r.groupIndex, order: r.order, phase: r.phase, outcome: r.outcome, doc, docParts: 1 });
      await raw.createEntity({ partitionKey, rowKey: `app_${createHash('sha256').update(r.appId.toLowerCase()).digest('hex')}`, appId: r.appId, recordRowKey: rowKey });
    }
    const first = await apps.list('m-legacy', { top: 100 });
    const second = await apps.list('m-legacy', { top: 100, ...(first.continuationToken === undefined ? {} : { continuationToken: first.continuationToken }) });
    expect([...first.items, ...second.items].map((r) => r.appId)).toEqual(stored.map((r) => r.appId));
    expect((await apps.listGroup('m-legacy', 1)).map((r) => r.order)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const target = stored[60]?.appId ?? '';
    await apps.update('m-legacy', target.toUpperCase(), () => ({ outcome: 'succeeded' }));
    expect((await apps.get('m-legacy', target))?.outcome).toBe('succeeded');
    expect(await apps.summarize('m-legacy')).toMatchObject({ total: 150, succeeded: 1, pending: 149 });
  });

  it('refuses two apps in one position and one app twice', async () => {
    const { apps } = await state.open();
    const [a, b] = records('m-dup', 2);
    if (a === undefined || b === undefined) throw new Error('no records');
    await expect(apps.putMany([a, { ...b, order: a.order }])).rejects.toMatchObject({ code: 'StateInvalidInput' });
    await expect(apps.putMany([a, { ...b, appId: a.appId.toUpperCase() }])).rejects.toMatchObject({ code: 'StateInvalidInput' });
  });
});
