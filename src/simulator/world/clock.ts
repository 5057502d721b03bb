/**
 * Simulated clocks. The scaled clock lets a test replay minutes of Azure time in seconds; the manual clock lets unit
 * tests step time exactly, so throttling, restarts and timelines are checked without waiting or flakiness.
 */
import type { SimClock } from '../contract.js';

/** Real clock scaled by `factor`: simulated time starts at the real epoch time and runs `factor` times faster. */
export function createScaledClock(factor = 1): SimClock {
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new RangeError(`Clock factor must be a positive finite number; got ${String(factor)}.`);
  }
  const epochAtStart = Date.now();
  const monotonicAtStart = performance.now();
  return {
    factor,
    now: () => epochAtStart + (performance.now() - monotonicAtStart) * factor,
    sleep: (simulatedMs) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, Math.max(0, simulatedMs / factor));
      }),
  };
}

interface Sleeper {
  readonly wakeAt: number;
  readonly resolve: () => void;
}

/** A clock that moves only when told; sleepers wake when `advance` passes their time. */
export class ManualClock implements SimClock {
  readonly factor: number;
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(startAt = Date.UTC(2026, 0, 1), factor = 1) {
    this.current = startAt;
    this.factor = factor;
  }

  now(): number {
    return this.current;
  }

  sleep(simulatedMs: number): Promise<void> {
    const wakeAt = this.current + Math.max(0, simulatedMs);
    if (wakeAt <= this.current) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.sleepers.push({ wakeAt, resolve });
    });
  }

  /** Moves time forward by `simulatedMs` and wakes every sleeper whose time has come. */
  advance(simulatedMs: number): void {
    if (simulatedMs < 0) throw new RangeError('A clock never runs backwards.');
    this.current += simulatedMs;
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current);
    for (const sleeper of due) sleeper.resolve();
  }
}
