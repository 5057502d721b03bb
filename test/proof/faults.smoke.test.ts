/**
 * Smoke version of the chaos suite's fault runs (`npm run chaos`, bench/chaos/run.ts): a 10-app fleet with 20 %
 * transient ARM faults must fully succeed, and a permanent refusal must roll its apps back exactly (ARM state equal
 * to the snapshot taken before), leaving no app without integration.
 */
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../bench/support/faults-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: faults', () => {
  it('fully succeeds with 20 % transient ARM faults', async () => {
    requireBuild();
    const r = await runFaults({ apps: 10, clockFactor: 100, mode: { kind: 'transient', rate: 0.2 } });
    console.log(JSON.stringify(r));
    expect(r.status).toBe('Completed');
    expect(r.faultsFired).toBeGreaterThan(0);
    expect(r.outcomes['succeeded']).toBe(r.planned);
    expect(r.succeededWrong).toEqual([]);
    expect(r.withoutIntegration).toEqual([]);
  }, 180_000);

  it('rolls back exactly the apps App Service refuses, and moves the rest', async () => {
    requireBuild();
    const r = await runFaults({ apps: 10, clockFactor: 100, mode: { kind: 'permanent', everyNth: 4 } });
    console.log(JSON.stringify(r));
    expect(r.status).toBe('Completed');
    expect(r.outcomes['rolledBack'] ?? 0).toBeGreaterThan(0);
    expect(r.rolledBackWithDifference).toEqual([]);
    expect(r.rolledBackExact).toBe((r.outcomes['rolledBack'] ?? 0) + (r.outcomes['failed'] ?? 0));
    expect((r.outcomes['succeeded'] ?? 0) + (r.outcomes['rolledBack'] ?? 0)).toBe(r.planned);
    expect(r.withoutIntegration).toEqual([]);
  }, 180_000);
});
