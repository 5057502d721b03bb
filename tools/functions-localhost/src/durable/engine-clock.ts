/**
 * The engine's notion of now. 'real' is the wall clock. 'virtual' is the wall clock plus an offset that grows
 * whenever the engine skips ahead to the next due timer (time only ever moves forward).
 */
export class EngineClock {
  #offsetMs = 0;
  /** `startMs`: virtual clock only, the instant it reads now (tests of dates far from today); then it runs on. */
  constructor(
    readonly mode: 'real' | 'virtual',
    startMs?: number,
  ) {
    if (mode === 'virtual' && startMs !== undefined) this.#offsetMs = startMs - Date.now();
  }

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Virtual clock only: jump to `targetMs` if it lies ahead. */
  advanceTo(targetMs: number): void {
    const now = this.nowMs();
    if (this.mode === 'virtual' && targetMs > now) this.#offsetMs += targetMs - now;
  }
}

/**
 * Something besides the engine's durable timers that acts at instants of the virtual clock (the host's timer
 * triggers). When nothing is running the engine skips to the earliest of its timers and every source's next
 * instant, so a source acts on the virtual timeline in order with the timers, and never while the clock jumps past it.
 */
export interface VirtualTimeSource {
  /** The next instant it acts at, if any. */
  nextDueMs(): number | undefined;
  /** The clock has reached nextDueMs(): act (in the background). */
  fireDue(): void;
  /** Acting now: the clock must not skip. */
  busy(): boolean;
}
