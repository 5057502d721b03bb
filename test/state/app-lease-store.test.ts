import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION, appId, useStateTables } from './support.js';

const state = useStateTables();
const fleet = Array.from({ length: 50 }, (_, i) => appId(`app-${i}`, 'rg-lease'));
const alwaysActive = (): Promise<boolean> => Promise.resolve(true);

describe('AppLeaseStore', () => {
  it('gives each of 50 apps to exactly one of two racing migrations', async () => {
    const { leases } = await state.open();
    // Opposite orders, so the two really interleave instead of one sweeping first.
    const [a, b] = await Promise.all([
      leases.acquire('m-a', fleet, alwaysActive),
      leases.acquire('m-b', [...fleet].reverse(), alwaysActive),
    ]);
    expect(a.acquired.length + b.acquired.length).toBe(50);
    expect(new Set([...a.acquired, ...b.acquired]).size).toBe(50);
    expect(a.heldBy.map((h) => h.appId).sort()).toEqual([...b.acquired].sort());
    expect(b.heldBy.map((h) => h.appId).sort()).toEqual([...a.acquired].sort());
    expect(a.heldBy.every((h) => h.migrationId === 'm-b')).toBe(true);

    const holders = await leases.holders(fleet);
    expect(holders).toHaveLength(50);
    for (const lease of holders) {
      expect(lease.migrationId).toBe(a.acquired.includes(lease.appId) ? 'm-a' : 'm-b');
      expect(lease).toMatchObject({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-lease' });
    }
    expect(await leases.listAll()).toHaveLength(50);
  });

  it('re-acquiring by the same migration is idempotent, in any casing', async () => {
    const { leases } = await state.open();
    const first = await leases.acquire('m-1', fleet.slice(0, 5), alwaysActive);
    const again = await leases.acquire('m-1', fleet.slice(0, 5).map((id) => id.toUpperCase()), alwaysActive);
    expect(first.acquired).toHaveLength(5);
    expect(again).toEqual({ acquired: fleet.slice(0, 5).map((id) => id.toUpperCase()), heldBy: [] });
    const [lease] = await leases.holders([fleet[0] ?? '']);
    expect(lease?.appId).toBe(fleet[0]);
  });

  it('releases only the leases the migration holds', async () => {
    const { leases } = await state.open();
    await leases.acquire('m-1', fleet.slice(0, 3), alwaysActive);
    await leases.acquire('m-2', fleet.slice(3, 6), alwaysActive);
    await leases.release('m-1', fleet.slice(0, 6));
    expect((await leases.holders(fleet.slice(0, 6))).map((l) => l.migrationId)).toEqual(['m-2', 'm-2', 'm-2']);
    const next = await leases.acquire('m-3', fleet.slice(0, 6), alwaysActive);
    expect(next.acquired).toEqual(fleet.slice(0, 3));
    expect(next.heldBy.map((h) => h.migrationId)).toEqual(['m-2', 'm-2', 'm-2']);
  });

  it('takes over the leases of a migration that is no longer active, asking once per holder', async () => {
    const { leases } = await state.open();
    await leases.acquire('m-finished', fleet.slice(0, 10), alwaysActive);
    await leases.acquire('m-running', fleet.slice(10, 20), alwaysActive);
    const asked: string[] = [];
    const isActive = (id: string): Promise<boolean> => {
      asked.push(id);
      return Promise.resolve(id === 'm-running');
    };
    const result = await leases.acquire('m-new', fleet.slice(0, 20), isActive);
    expect(result.acquired).toEqual(fleet.slice(0, 10));
    expect(result.heldBy).toEqual(fleet.slice(10, 20).map((id) => ({ appId: id, migrationId: 'm-running' })));
    expect(asked.sort()).toEqual(['m-finished', 'm-running']);
    expect((await leases.holders(fleet.slice(0, 10))).every((l) => l.migrationId === 'm-new')).toBe(true);
  });

  it('lets only one of two migrations take over the same stale lease', async () => {
    const { leases } = await state.open();
    await leases.acquire('m-old', fleet.slice(0, 20), alwaysActive);
    const isActive = (id: string): Promise<boolean> => Promise.resolve(id !== 'm-old');
    const [x, y] = await Promise.all([leases.acquire('m-x', fleet.slice(0, 20), isActive), leases.acquire('m-y', fleet.slice(0, 20), isActive)]);
    expect(x.acquired.length + y.acquired.length).toBe(20);
    expect(new Set([...x.acquired, ...y.acquired]).size).toBe(20);
  });

  it('leases 250 free apps in transactions of 100, and claims app by app a batch where one is held', async () => {
    const { leases } = await state.open();
    const many = Array.from({ length: 250 }, (_, i) => appId(`bulk-${i}`, 'rg-lease'));
    await leases.acquire('m-other', [many[120] ?? ''], alwaysActive);
    const result = await leases.acquire('m-bulk', many, alwaysActive);
    expect(result.acquired).toEqual(many.filter((_, i) => i !== 120));
    expect(result.heldBy).toEqual([{ appId: many[120], migrationId: 'm-other' }]);
    expect((await leases.listAll()).filter((l) => l.migrationId === 'm-bulk')).toHaveLength(249);
    // Again: every batch finds its own leases, fails and is claimed app by app, with the same answer.
    const again = await leases.acquire('m-bulk', many.slice(0, 150), alwaysActive);
    expect(again.acquired).toEqual(many.slice(0, 150).filter((_, i) => i !== 120));
    expect(again.heldBy).toEqual([{ appId: many[120], migrationId: 'm-other' }]);
  });

  it('releases all leases of one migration and no other', async () => {
    const { leases } = await state.open();
    await leases.acquire('m-1', fleet.slice(0, 30), alwaysActive);
    await leases.acquire('m-2', fleet.slice(30, 40), alwaysActive);
    expect(await leases.releaseAll('m-1')).toBe(30);
    expect((await leases.listAll()).map((l) => l.migrationId)).toEqual(Array.from({ length: 10 }, () => 'm-2'));
    expect(await leases.releaseAll('m-1')).toBe(0);
  });

  it('refuses an id that is not an app', async () => {
    const { leases } = await state.open();
    await expect(leases.acquire('m-1', [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg`], alwaysActive)).rejects.toMatchObject({
      code: 'StateInvalidInput',
    });
  });
});
