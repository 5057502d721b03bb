import type { EngineClock } from './engine-clock.js';
import { EventType, type HistoryEvent } from './history.js';
import { newMessageId, type InboxMessage } from './table-store.js';

/**
 * The durable timers the engine has armed: each fires a TimerFired message to its instance at FireAt on the
 * engine clock. On the virtual clock the engine may skip straight to the earliest one when nothing else can run.
 */

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface DurableTimersDependencies {
  readonly clock: EngineClock;
  isStopping(): boolean;
  /** Hands a firing to its instance (durably, in the background). */
  deliver(instanceId: string, message: InboxMessage): void;
}

interface TimerEntry {
  readonly key: string;
  readonly instanceId: string;
  readonly executionId: string;
  readonly id: number;
  readonly fireAtMs: number;
  handle: NodeJS.Timeout | undefined;
}

export class DurableTimers {
  readonly #deps: DurableTimersDependencies;
  readonly #timers = new Map<string, TimerEntry>();

  constructor(deps: DurableTimersDependencies) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#timers.size;
  }

  /** When the earliest armed timer fires; undefined when none is armed. */
  get nextFireAtMs(): number | undefined {
    return this.#timers.size === 0 ? undefined : Math.min(...[...this.#timers.values()].map((timer) => timer.fireAtMs));
  }

  arm(instanceId: string, executionId: string, id: number, fireAtMs: number): void {
    const key = `${instanceId}\n${executionId}\n${id}`;
    if (this.#timers.has(key) || this.#deps.isStopping()) return;
    const entry: TimerEntry = { key, instanceId, executionId, id, fireAtMs, handle: undefined };
    this.#timers.set(key, entry);
    const arm = (): void => {
      const wait = fireAtMs - this.#deps.clock.nowMs();
      if (wait <= 0) return this.#fire(entry);
      // Not unref'd: a started engine with a pending durable timer has work to do; stop() clears them.
      entry.handle = setTimeout(arm, Math.min(wait, MAX_TIMEOUT_MS));
    };
    arm();
  }

  /** Virtual clock: nothing can happen before the next timer, so jump the clock to it and fire every timer due by then. */
  skipToNext(): void {
    if (this.#timers.size === 0) return;
    const next = Math.min(...[...this.#timers.values()].map((timer) => timer.fireAtMs));
    this.#deps.clock.advanceTo(next);
    for (const timer of [...this.#timers.values()]) if (timer.fireAtMs <= next) this.#fire(timer);
  }

  /** A finished instance's timers will never be needed. */
  cancelInstance(instanceId: string): void {
    for (const timer of [...this.#timers.values()]) {
      if (timer.instanceId === instanceId) {
        clearTimeout(timer.handle);
        this.#timers.delete(timer.key);
      }
    }
  }

  cancelAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer.handle);
    this.#timers.clear();
  }

  #fire(entry: TimerEntry): void {
    if (this.#timers.get(entry.key) !== entry) return;
    clearTimeout(entry.handle);
    this.#timers.delete(entry.key);
    const event: HistoryEvent = {
      EventType: EventType.TimerFired,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date(Math.max(this.#deps.clock.nowMs(), entry.fireAtMs)).toISOString(),
      TimerId: entry.id,
      FireAt: new Date(entry.fireAtMs).toISOString(),
    };
    this.#deps.deliver(entry.instanceId, { id: newMessageId('timer', `${entry.executionId}.${entry.id}`), kind: 'event', executionId: entry.executionId, event });
  }
}
