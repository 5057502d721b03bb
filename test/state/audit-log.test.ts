import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/state/audit-log.js';
import { appId, useStateTables } from './support.js';

const state = useStateTables();

const entry = (migrationId: string, app: string, time: string, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  migrationId,
  appId: appId(app),
  time,
  action,
  outcome: 'applied',
  ...extra,
});

describe('AuditLog', () => {
  it('lists by time, oldest first, whatever order entries were appended in; same-millisecond entries both survive', async () => {
    const { audit } = await state.open();
    const t = (s: number): string => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
    const entries = [
      entry('m-1', 'web-1', t(3), 'connect-regional', { before: { subnet: null }, after: { subnet: 'apps' } }),
      entry('m-1', 'web-1', t(1), 'snapshot'),
      entry('m-1', 'web-1', t(2), 'disconnect-gateway', { outcome: 'already-applied' }),
      entry('m-1', 'web-1', t(2), 'apply-routing', { outcome: 'failed', message: 'throttled' }),
    ];
    for (const e of entries) await audit.append(e);
    const { items } = await audit.listForMigration('m-1');
    expect(items).toHaveLength(4);
    expect(items.map((e) => e.time)).toEqual([t(1), t(2), t(2), t(3)]);
    expect(items.map((e) => e.action).slice(1, 3).sort()).toEqual(['apply-routing', 'disconnect-gateway']);
    expect(items[3]).toEqual(entries[0]);
  });

  it("keeps an app's history across migrations, and each migration's own trail", async () => {
    const { audit } = await state.open();
    await audit.append(entry('m-first', 'web-x', '2025-01-01T00:00:00.000Z', 'disconnect-gateway', { outcome: 'failed' }));
    await audit.append(entry('m-first', 'web-y', '2025-01-01T00:00:01.000Z', 'disconnect-gateway'));
    await audit.append(entry('m-second', 'WEB-X', '2025-02-01T00:00:00.000Z', 'disconnect-gateway'));
    await audit.append(entry('m-second', 'web-x', '2025-02-01T00:00:05.000Z', 'connect-regional'));

    const history = await audit.listForApp(appId('web-x'));
    expect(history.items.map((e) => [e.migrationId, e.action])).toEqual([
      ['m-first', 'disconnect-gateway'],
      ['m-second', 'disconnect-gateway'],
      ['m-second', 'connect-regional'],
    ]);
    expect((await audit.listForMigration('m-first')).items.map((e) => e.appId)).toEqual([appId('web-x'), appId('web-y')]);
  });

  it('pages, and appending the very same entry again does not double it', async () => {
    const { audit } = await state.open();
    const entries = Array.from({ length: 25 }, (_, i) => entry('m-p', 'web-p', new Date(Date.UTC(2025, 0, 1) + i).toISOString(), `step-${i}`));
    for (const e of entries) await audit.append(e);
    await audit.append(entries[0] as AuditEntry);
    const seen: AuditEntry[] = [];
    let token: string | undefined;
    do {
      const page = await audit.listForApp(appId('web-p'), { top: 10, ...(token === undefined ? {} : { continuationToken: token }) });
      seen.push(...page.items);
      token = page.continuationToken;
    } while (token !== undefined);
    expect(seen).toEqual(entries);
  });

  it('refuses an entry whose time is not an ISO time', async () => {
    const { audit } = await state.open();
    await expect(audit.append(entry('m-1', 'web-1', 'yesterday', 'snapshot'))).rejects.toMatchObject({ code: 'StateInvalidInput' });
  });
});
