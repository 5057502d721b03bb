import type { SimClock } from './contract.js';

/**
 * A clock that runs `factor` times faster than the wall clock, starting at the real current time, so simulated
 * timestamps stay plausible (ARM clients compare them with their own clock) while tests compress minutes into seconds.
 */
export function createSimClock(factor = 1, realNow: () => number = Date.now): SimClock {
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(`Clock factor must be a positive finite number; got ${String(factor)}.`);
  }
  const realStart = realNow();
  return {
    factor,
    now: () => realStart + (realNow() - realStart) * factor,
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
