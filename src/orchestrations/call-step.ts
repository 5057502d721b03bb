/**
 * Calling an activity the way every step of the engine needs: infrastructure failures (a thrown exception: the
 * activity's host or storage blinked) are retried by the Durable runtime; ARM failures come back as data
 * (`StepResult`) and are retried here only when they are retryable, waiting the longer of the backoff and the
 * Retry-After ARM asked for — durable-functions' RetryOptions can neither look at an error's kind nor honour
 * Retry-After. A permanent failure returns at once, carrying App Service's own message.
 *
 * Deterministic: time comes from context.df.currentUtcDateTime, waiting from durable timers.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { StepResult } from '../domain/migration-model.js';
import type { EngineTiming } from './engine-contract.js';
import { after } from './durable-time.js';

/** Thrown exceptions (not ARM answers): a few quick retries, then the step counts as failed. */
const INFRASTRUCTURE_RETRY = (() => {
  const options = new df.RetryOptions(1000, 4);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 15_000;
  return options;
})();

/** The wait before retry number `attempt` (1-based): first × coefficient^(attempt-1), capped; Retry-After wins. */
export function retryDelayInMs(timing: EngineTiming, attempt: number, retryAfterInMs: number | undefined): number {
  const backoff = Math.min(timing.retryFirstSeconds * 1000 * timing.retryBackoffCoefficient ** (attempt - 1), timing.retryMaxSeconds * 1000);
  return Math.max(backoff, retryAfterInMs ?? 0);
}

export function* callStep<T>(context: OrchestrationContext, name: string, input: unknown, timing: EngineTiming): Generator<Task, StepResult<T>, unknown> {
  for (let attempt = 1; ; attempt += 1) {
    let result: StepResult<T>;
    try {
      result = (yield context.df.callActivityWithRetry(name, INFRASTRUCTURE_RETRY, input)) as StepResult<T>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'ActivityFailed', message: `${name} failed after retries: ${message}`, retryable: false } };
    }
    if (result.ok || !result.error.retryable || attempt >= timing.retryMaxAttempts) return result;
    const delay = retryDelayInMs(timing, attempt, result.error.retryAfterInMs);
    yield context.df.createTimer(after(context, delay));
  }
}

/** An activity that only records (state writes): failures are infrastructure, retried by the runtime. */
export function* callRecord<T>(context: OrchestrationContext, name: string, input: unknown): Generator<Task, T, unknown> {
  return (yield context.df.callActivityWithRetry(name, INFRASTRUCTURE_RETRY, input)) as T;
}
