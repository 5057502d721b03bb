/**
 * The engine's notion of now. 'real' is the wall clock. 'virtual' is the wall clock plus an offset that grows
 * whenever the engine skips ahead to the next due timer (time only ever moves forward).
 */
export class EngineClock {
  #offsetMs = 0;
  constructor(readonly mode: 'real' | 'virtual') {}

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
