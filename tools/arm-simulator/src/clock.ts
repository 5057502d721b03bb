/**
 * Simulated clocks, one module for the server and the world model. The scaled clock lets a test replay minutes of
 * Azure time in seconds; the manual clock lets unit tests step time exactly, so throttling, restarts and timelines
 * are checked without waiting or flakiness.
 */
import type { SimClock } from './contract.js';

/**
 * A clock that runs `factor` times faster than the wall clock, starting at the real current time, so simulated
 * timestamps stay plausible (ARM clients compare them with their own clock) while tests compress minutes into seconds.
 * Elapsed time comes from the monotonic clock, so a wall-clock adjustment never makes simulated time jump or run back.
 */
export function createSimClock(factor = 1, monotonicNow: () => number = () => performance.now()): SimClock {
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(`Clock factor must be a positive finite number; got ${String(factor)}.`);
  }
  const epochAtStart = Date.now();
  const monotonicAtStart = monotonicNow();
  return {
    factor,
    now: () => epochAtStart + (monotonicNow() - monotonicAtStart) * factor,
    sleep: (simulatedMs: number) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, Math.max(0, simulatedMs / factor));
      }),
  };
}

/** Real milliseconds a simulated duration takes on this clock. */
export function realDuration(clock: SimClock, simulatedMs: number): number {
  return Math.max(0, simulatedMs / clock.factor);
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
