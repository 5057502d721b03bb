/**
 * Turns an activity's work into the StepResult the orchestrations decide on. ARM's answers (MigratorErrors from
 * src/azure) come back as data, with Retry-After, so the orchestration can retry exactly what is retryable.
 * Storage failures and bugs are thrown: the Durable runtime retries those, and they never reach a rollback as if
 * App Service had refused something.
 */
import type { StepResult } from '../domain/migration-model.js';
import { isMigratorError } from '../domain/errors.js';

const THROWN_CODE_PREFIX = 'State';

export async function runStep<T>(work: () => Promise<T>): Promise<StepResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (!isMigratorError(error) || error.code.startsWith(THROWN_CODE_PREFIX)) throw error;
    const retryAfter = error.details?.['retryAfterInMs'];
    return { ok: false, error: { ...error.toJSON(), ...(typeof retryAfter === 'number' ? { retryAfterInMs: retryAfter } : {}) } };
  }
}
