import { LocalHostError } from './errors.js';

/**
 * A function's retry policy (`retry` on a registration), as the Functions host applies it: a failed execution is
 * run again up to `maxRetryCount` times (-1: until it succeeds or the host stops), waiting `delayInterval` between
 * attempts (fixedDelay) or `minimumInterval` doubling per retry up to `maximumInterval` (exponentialBackoff).
 * @azure/functions hands the options over with durations as `{ seconds }` (it rounds to whole seconds).
 */
export interface RetryPolicy {
  readonly strategy: 'fixedDelay' | 'exponentialBackoff';
  readonly maxRetryCount: number;
  /** Milliseconds to wait before retry number `retryCount` (1 for the first retry). */
  delayBeforeRetry(retryCount: number): number;
}

export function parseRetryPolicy(functionName: string, options: unknown): RetryPolicy | undefined {
  if (options === undefined || options === null) return undefined;
  const refuse = (problem: string) =>
    new LocalHostError('InvalidRegistration', `Function '${functionName}': retry ${problem}.`);
  if (typeof options !== 'object') throw refuse('must be an object with strategy and maxRetryCount');
  const record = options as Record<string, unknown>;
  const strategy = record['strategy'] ?? record['retryStrategy'];
  const maxRetryCount = record['maxRetryCount'];
  if (typeof maxRetryCount !== 'number' || !Number.isInteger(maxRetryCount) || maxRetryCount < -1) {
    throw refuse(`maxRetryCount must be an integer of -1 (retry until success) or more, not ${String(maxRetryCount)}`);
  }
  if (strategy === 'fixedDelay') {
    const delay = durationMs(record['delayInterval']);
    if (delay === undefined) throw refuse("strategy 'fixedDelay' needs delayInterval (milliseconds or a Duration)");
    return { strategy, maxRetryCount, delayBeforeRetry: () => delay };
  }
  if (strategy === 'exponentialBackoff') {
    const minimum = durationMs(record['minimumInterval']);
    const maximum = durationMs(record['maximumInterval']);
    if (minimum === undefined || maximum === undefined) {
      throw refuse("strategy 'exponentialBackoff' needs minimumInterval and maximumInterval (milliseconds or Durations)");
    }
    if (minimum > maximum) throw refuse(`minimumInterval (${minimum} ms) must not exceed maximumInterval (${maximum} ms)`);
    // The host adds a little randomness to stagger retries across instances; one local instance needs none.
    return { strategy, maxRetryCount, delayBeforeRetry: (retryCount) => Math.min(maximum, minimum * 2 ** Math.max(0, retryCount - 1)) };
  }
  throw refuse(`strategy must be 'fixedDelay' or 'exponentialBackoff', not ${JSON.stringify(strategy)}`);
}

/** `{ seconds, nanos }` (what @azure/functions sends), a number of milliseconds, or a Duration object. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  const part = (key: string) => (typeof d[key] === 'number' ? d[key] : Number(d[key] ?? 0));
  const ms = part('milliseconds') + (part('seconds') + (part('minutes') + part('hours') * 60) * 60) * 1000 + part('nanos') / 1e6;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
