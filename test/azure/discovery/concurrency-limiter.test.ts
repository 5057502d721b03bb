import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from '../../../src/azure/discovery/concurrency-limiter.js';

describe('createConcurrencyLimiter', () => {
  it('never runs more than its concurrency at once, runs everything, in arrival order, and frees a slot on failure', async () => {
    const limiter = createConcurrencyLimiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async (): Promise<number> => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1 + (i % 4)));
      running -= 1;
      if (i % 5 === 0) throw new Error(`task ${i}`);
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => limiter.run(task(i))));
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))).toHaveLength(20);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(RangeError);
    expect(() => createConcurrencyLimiter(1.5)).toThrow(RangeError);
  });
});

describe('createConcurrencyLimiter, one task at a time', () => {
  it('takes a concurrency of 1, and its slot serves one task after another, however many', async () => {
    const limiter = createConcurrencyLimiter(1);
    const results: number[] = [];
    for (let i = 0; i < 5; i += 1) results.push(await limiter.run(() => Promise.resolve(i)));
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(() => createConcurrencyLimiter(0)).toThrow('concurrency must be a positive integer, got 0');
  });
});
