import { describe, expect, it } from 'vitest';
import type { AppNetworkSnapshot } from '../../src/domain/migration-model.js';
import { appId, useStateTables } from './support.js';

const state = useStateTables();

const snapshot = (app: string, takenTime: string): AppNetworkSnapshot => ({
  appId: appId(app),
  takenTime,
  virtualNetworkSubnetId: null,
  routing: { allTraffic: true, applicationTraffic: true, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false },
  gatewayConnections: [{ name: 'vnet-hub', vnetResourceId: '/subscriptions/x/vnet-hub', resyncRequired: false }],
  appSettingNames: ['WEBSITE_VNET_ROUTE_ALL', 'DB_CONNECTION'],
  legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1' },
});

describe('SnapshotStore', () => {
  it('keeps the first snapshot of an app: a second put returns the first', async () => {
    const { snapshots } = await state.open();
    const first = snapshot('web-1', '2025-01-01T00:00:00.000Z');
    expect(await snapshots.putOnce('m-1', first)).toEqual(first);
    const later = { ...snapshot('web-1', '2025-01-01T00:05:00.000Z'), virtualNetworkSubnetId: '/subscriptions/x/subnets/apps' };
    expect(await snapshots.putOnce('m-1', later)).toEqual(first);
    expect(await snapshots.get('m-1', appId('WEB-1'))).toEqual(first);
    // Another migration takes its own snapshot.
    expect(await snapshots.putOnce('m-2', later)).toEqual(later);
    expect(await snapshots.get('m-3', appId('web-1'))).toBeUndefined();
  });

  it('lets exactly one of racing first snapshots win', async () => {
    const { snapshots } = await state.open();
    const candidates = Array.from({ length: 5 }, (_, i) => snapshot('web-race', `2025-01-01T00:00:0${i}.000Z`));
    const answers = await Promise.all(candidates.map((c) => snapshots.putOnce('m-race', c)));
    const stored = await snapshots.get('m-race', appId('web-race'));
    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify(stored))).toBe(true);
  });

  it('refuses a snapshot that carries setting values beyond the legacy routing switches', async () => {
    const { snapshots } = await state.open();
    const withSettings = { ...snapshot('web-secret', '2025-01-01T00:00:00.000Z'), appSettings: { DB_CONNECTION: 'Server=...;Password=hunter2' } };
    await expect(snapshots.putOnce('m-1', withSettings)).rejects.toMatchObject({
      code: 'SnapshotRefused',
      retryable: false,
      details: { unexpected: ['appSettings'] },
    });
    expect(await snapshots.get('m-1', appId('web-secret'))).toBeUndefined();

    const base = snapshot('web-secret', '2025-01-01T00:00:00.000Z');
    const smuggled: unknown[] = [
      { ...base, legacyRoutingSettings: { WEBSITE_VNET_ROUTE_ALL: '1', DB_PASSWORD: 'hunter2' } },
      { ...base, gatewayConnections: [{ ...base.gatewayConnections[0], sharedKey: 'k' }] },
      { ...base, routing: { ...base.routing, password: 'p' } },
      { ...base, appSettingNames: [{ name: 'DB', value: 'secret' }] },
    ];
    for (const candidate of smuggled) {
      await expect(snapshots.putOnce('m-1', candidate as AppNetworkSnapshot)).rejects.toMatchObject({ code: 'SnapshotRefused' });
    }
  });
});
