import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../src/world/timeline.js';

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

describe('reachability timeline with restart windows', () => {
  it('a restart inside a configuration gap is not counted twice; one sticking out extends the outage', () => {
    const t = createTimeline();
    t.record('a', 1000, true);
    t.record('a', 2000, false, 'no-integration');
    t.recordRestart('a', { from: 2000, to: 2500 });
    t.record('a', 3000, true);
    expect(t.downtime('a', { from: 0, to: 10_000 })).toBe(1000);
    t.recordRestart('a', { from: 2900, to: 3400 });
    expect(t.downtime('a', { from: 0, to: 10_000 })).toBe(1400);
    expect(t.query('a')).toEqual([
      { at: 1000, allReachable: true },
      { at: 2000, allReachable: false, detail: 'restarting' },
      { at: 3400, allReachable: true },
    ]);
  });

  it('windows arriving out of order and overlapping merge; a restart alone is downtime for an app never probed', () => {
    const t = createTimeline();
    t.recordRestart('b', { from: 5000, to: 6000 });
    t.recordRestart('b', { from: 1000, to: 2000 });
    t.recordRestart('b', { from: 1500, to: 2500 });
    t.recordRestart('b', { from: 7000, to: 7000 });
    expect(t.downtime('b', { from: 0, to: 10_000 })).toBe(1500 + 1000);
    expect(t.downtime('b', { from: 2000, to: 5500 })).toBe(500 + 500);
    expect(t.query('b').map((e) => [e.at, e.allReachable])).toEqual([[1000, false], [2500, true], [5000, false], [6000, true]]);
    expect(t.apps()).toEqual(['b']);
  });

  it('matches a brute-force per-millisecond count on random histories', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const t = createTimeline();
      const probes: [number, boolean][] = [];
      let at = 0;
      for (let i = 0; i < 6; i++) {
        at += next(40);
        const up = next(2) === 0;
        probes.push([at, up]);
        t.record('x', at, up);
      }
      const windows: [number, number][] = [];
      for (let i = 0; i < 3; i++) {
        const from = next(250);
        const to = from + next(40);
        windows.push([from, to]);
        t.recordRestart('x', { from, to });
      }
      let expected = 0;
      for (let ms = 0; ms < 300; ms++) {
        const probe = probes.filter(([p]) => p <= ms).pop();
        const up = (probe?.[1] ?? true) && !windows.some(([f, e]) => f <= ms && ms < e);
        if (!up) expected++;
      }
      expect(t.downtime('x', { from: 0, to: 300 })).toBe(expected);
    }
  });
});
