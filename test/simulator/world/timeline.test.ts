import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../../src/simulator/world/timeline.js';

describe('reachability timeline', () => {
  it('keeps only transitions, case-insensitively per app', () => {
    const t = createTimeline();
    t.record('/Sites/A', 0, true);
    t.record('/sites/a', 100, true);
    t.record('/sites/a', 200, false, 'restarting');
    t.record('/sites/a', 300, false);
    t.record('/sites/a', 450, true);
    expect(t.query('/SITES/A')).toEqual([
      { at: 0, allReachable: true },
      { at: 200, allReachable: false, detail: 'restarting' },
      { at: 450, allReachable: true },
    ]);
    expect(() => t.record('/sites/a', 10, false)).toThrow(RangeError);
  });

  it('computes exact unreachable simulated milliseconds inside a window', () => {
    const t = createTimeline();
    t.record('a', 1000, true);
    t.record('a', 2000, false);
    t.record('a', 2500, true);
    t.record('a', 4000, false);
    expect(t.downtime('a', { from: 0, to: 10_000 })).toBe(500 + 6000);
    expect(t.downtime('a', { from: 2200, to: 4100 })).toBe(300 + 100);
    expect(t.downtime('a', { from: 2500, to: 4000 })).toBe(0);
    expect(t.downtime('never-recorded', { from: 0, to: 1000 })).toBe(0);
  });
});
