import { describe, expect, it } from 'vitest';
import { retryDelayInMs } from '../../src/orchestrations/call-step.js';
import { DEFAULT_TIMING } from '../../src/orchestrations/engine-contract.js';

describe('the wait before retrying a retryable ARM failure', () => {
  it('grows by the coefficient from the first interval and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayInMs(DEFAULT_TIMING, attempt, undefined));
    expect(waits).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('waits at least what ARM asked for in Retry-After, and never less than the backoff', () => {
    expect(retryDelayInMs(DEFAULT_TIMING, 1, 30_000)).toBe(30_000);
    expect(retryDelayInMs(DEFAULT_TIMING, 4, 1000)).toBe(16_000);
  });
});
