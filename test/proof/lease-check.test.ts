/**
 * The crash runs' lease-violation check over the simulator's audit log: which app an ARM path belongs to, and which
 * writes to one app overlap in time (an entry's `time` is when it was answered; it arrived durationMs × factor before).
 */
import { describe, expect, it } from 'vitest';
import { appOfPath, concurrentWrites } from '../../bench/support/lease-check.js';
import type { AuditEntry } from '@vnet-migrator/arm-simulator/audit-log.js';

const SITE = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app1';
const SLOT = `${SITE}/slots/staging`;

function entry(method: string, path: string, answeredAt: number, durationMs: number): AuditEntry {
  return { time: answeredAt, principalId: 'migrator', method, path, apiVersion: '2024-11-01', status: 200, durationMs };
}

describe('appOfPath', () => {
  it('names the site or the slot a path belongs to, lower-cased, and nothing else', () => {
    expect(appOfPath(`${SITE}/virtualNetworkConnections/gw`)).toBe(SITE.toLowerCase());
    expect(appOfPath(SITE)).toBe(SITE.toLowerCase());
    expect(appOfPath(`${SLOT}/config/web`)).toBe(SLOT.toLowerCase());
    expect(appOfPath(`${SITE}2`)).toBe(`${SITE}2`.toLowerCase());
    expect(appOfPath('/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a')).toBeUndefined();
  });
});

describe('concurrentWrites', () => {
  const factor = 100;

  it('passes one app written to one request after another, and writes to different apps at once', () => {
    const audit = [
      entry('DELETE', `${SITE}/virtualNetworkConnections/gw`, 10_000, 20), // simulated 8,000..10,000
      entry('PATCH', SITE, 14_000, 40), // 10,000..14,000, arrives as the DELETE is answered
      entry('PATCH', SLOT, 13_000, 40), // the slot is another app
      entry('GET', SITE, 12_000, 50), // reads never count
    ];
    expect(concurrentWrites(audit, factor)).toEqual([]);
  });

  it('reports a write that arrives while another write to the same app is still in flight', () => {
    const audit = [entry('PATCH', SITE, 14_000, 40), entry('PUT', `${SITE}/config/web`, 12_500, 20)]; // 10,000..14,000 and 10,500..12,500
    const found = concurrentWrites(audit, factor);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(SITE.toLowerCase());
    expect(found[0]).toContain('35 ms (real)');
  });

  it('compares with the longest write so far, not just the previous one', () => {
    const audit = [entry('PATCH', SITE, 20_000, 100), entry('PUT', `${SITE}/config/web`, 11_000, 5), entry('DELETE', `${SITE}/virtualNetworkConnections/gw`, 15_000, 10)];
    expect(concurrentWrites(audit, factor)).toHaveLength(2);
  });
});
