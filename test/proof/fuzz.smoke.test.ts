/**
 * Smoke version of the chaos suite's fuzzer (`CHAOS_ONLY=fuzz npm run chaos`, bench/support/fuzz-run.ts): a short
 * fast-check run over every endpoint. No answer 5xx, none late, and no rejected request wrote to ARM or storage.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../bench/support/fuzz-run.js';
import { requireBuild } from './fresh.js';

describe('proof smoke: fuzzed input', () => {
  it('answers every generated request with 2xx-4xx in time, and a rejected one writes nothing', async () => {
    requireBuild();
    const r = await runFuzz({ runs: 40 });
    console.log(JSON.stringify(r));
    expect(r.findings).toEqual([]);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.endpoints.length).toBeGreaterThanOrEqual(15);
  }, 150_000);
});
