import { describe, expect, it } from 'vitest';
import { createSimClock, ManualClock } from '../../src/clock.js';

describe('clocks', () => {
  it('the manual clock moves only when advanced and wakes sleepers at their time', async () => {
    const clock = new ManualClock(1000);
    const woke: number[] = [];
    const a = clock.sleep(500).then(() => woke.push(clock.now()));
    const b = clock.sleep(2000).then(() => woke.push(clock.now()));
    clock.advance(499);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(1);
    await a;
    expect(woke).toEqual([1500]);
    clock.advance(1500);
    await b;
    expect(woke).toEqual([1500, 3000]);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('the scaled clock runs factor times faster than real time', async () => {
    const clock = createSimClock(100);
    const start = clock.now();
    const realStart = performance.now();
    await clock.sleep(5000); // 50 real ms
    const simElapsed = clock.now() - start;
    const realElapsed = performance.now() - realStart;
    expect(realElapsed).toBeGreaterThanOrEqual(45);
    expect(simElapsed).toBeGreaterThanOrEqual(4500);
    expect(simElapsed / realElapsed).toBeGreaterThan(90);
    expect(simElapsed / realElapsed).toBeLessThanOrEqual(100.5);
    expect(() => createSimClock(0)).toThrow(RangeError);
  });
});
