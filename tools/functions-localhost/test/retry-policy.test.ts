import { describe, expect, it } from 'vitest';
import { parseRetryPolicy } from '../src/retry-policy.js';

describe('retry policies as @azure/functions hands them over', () => {
  it('reads fixedDelay and exponentialBackoff with { seconds } durations', () => {
    const fixed = parseRetryPolicy('f', { strategy: 'fixedDelay', retryStrategy: 'fixedDelay', maxRetryCount: -1, delayInterval: { seconds: 3 } });
    expect(fixed?.maxRetryCount).toBe(-1);
    expect(fixed?.delayBeforeRetry(5)).toBe(3000);
    const backoff = parseRetryPolicy('f', { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: { seconds: 1 }, maximumInterval: { seconds: 5 } });
    expect([1, 2, 3, 4].map((n) => backoff?.delayBeforeRetry(n))).toEqual([1000, 2000, 4000, 5000]);
    expect(parseRetryPolicy('f', undefined)).toBeUndefined();
  });

  it('refuses policies the host refuses, naming the function', () => {
    expect(() => parseRetryPolicy('f', { strategy: 'linear', maxRetryCount: 1 })).toThrow(/Function 'f': retry strategy must be/);
    expect(() => parseRetryPolicy('f', { strategy: 'fixedDelay', maxRetryCount: -2, delayInterval: { seconds: 1 } })).toThrow(/maxRetryCount/);
    expect(() => parseRetryPolicy('f', { strategy: 'fixedDelay', maxRetryCount: 1 })).toThrow(/needs delayInterval/);
    expect(() =>
      parseRetryPolicy('f', { strategy: 'exponentialBackoff', maxRetryCount: 1, minimumInterval: { seconds: 5 }, maximumInterval: { seconds: 1 } }),
    ).toThrow(/must not exceed maximumInterval/);
  });
});
