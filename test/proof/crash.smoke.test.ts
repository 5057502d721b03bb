/**
 * Smoke version of the chaos suite's crash runs (`CHAOS_ONLY=crash npm run chaos`): one SIGKILL of the host once 3 apps of
 * a 10-app migration are done, then a restart. No app may be left without integration, no created subnet may be
 * orphaned or duplicated, no succeeded app may have been disconnected twice, a second migration of the same scope is
 * refused while the first runs, no two writes to one app overlap, and no lease is left.
 */
import { describe, expect, it } from 'vitest';
import { runCrash } from '../../bench/support/crash-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: crash', () => {
  it('finishes after a SIGKILL mid-fleet with no app left without integration and no duplicate or orphaned subnet', async () => {
    requireBuild();
    // Killed once 3 apps are done: mid-fleet however fast the machine is, so the contender meets an active migration.
    const r = await runCrash({ apps: 10, clockFactor: 100, killAtAppsDone: 3 });
    console.log(JSON.stringify(r));
    expect(r.status).toBe('Completed');
    expect(r.withoutIntegration).toBe(0);
    expect(r.orphanedSubnets).toBe(0);
    expect(r.duplicateSubnets).toBe(0);
    expect(r.touchedTwice).toEqual([]);
    expect(r.contenderStatus).toBe(409);
    expect(r.leaseViolations).toEqual([]);
    expect(r.leasesLeft).toBe(0);
    expect(r.outcomes['succeeded']).toBe(r.planned);
  }, 180_000);
});
