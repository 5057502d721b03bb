/**
 * The only place orchestrations build Date objects: from the replay-safe current time or from instants recorded in
 * history, never from the wall clock, so every replay computes the same values.
 */
import type { OrchestrationContext } from 'durable-functions';

/** The instant `delayInMs` after the orchestration's current (replayed) time, for context.df.createTimer. */
export function after(context: OrchestrationContext, delayInMs: number): Date {
  // eslint-disable-next-line no-restricted-globals -- built from the recorded current time: deterministic
  return new Date(context.df.currentUtcDateTime.getTime() + delayInMs);
}

/** Seconds from one recorded ISO instant to another (activities record them), to one decimal. */
export function secondsBetween(fromIso: string, toIso: string): number {
  // eslint-disable-next-line no-restricted-globals -- parsing recorded text: deterministic
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return Math.max(0, Math.round(ms / 100) / 10);
}

/** Whether the orchestration's current (replayed) time has reached a recorded ISO instant. */
export function reached(context: OrchestrationContext, iso: string): boolean {
  // eslint-disable-next-line no-restricted-globals -- parsing recorded text: deterministic
  return context.df.currentUtcDateTime.getTime() >= Date.parse(iso);
}
