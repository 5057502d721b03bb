import type { MigratorError } from '../../domain/errors.js';
import { toArmError } from '../to-arm-error.js';

/**
 * Runs one ARM write and decides what its failure means.
 *
 * A write that failed retryably (5xx including a gateway's 504, a reset connection, a timeout, a poller that lost
 * its operation) may still have been applied: ARM answers 504 when its own wait ran out, not when the provider
 * refused. Retrying blindly can then do harm (a second gateway disconnect restarts the app again; a PUT of app
 * settings built from a stale read loses a concurrent change), and reporting failure would roll back a step that
 * in fact succeeded. So after such a failure the state is read back: if it is already what the write wanted, the
 * write counts as done; otherwise the original error is thrown, still retryable. A failure of the read-back itself
 * is not the answer to anything, so the original error wins then too. Non-retryable refusals are thrown at once:
 * the service said no and nothing was applied.
 */
export async function writeConfirmed(
  operation: string,
  write: () => Promise<unknown>,
  isApplied: () => Promise<boolean>,
  options: { readonly abortSignal?: AbortSignal; readonly alsoConfirmWhen?: (error: MigratorError) => boolean } = {},
): Promise<void> {
  try {
    await write();
  } catch (error) {
    const failure = toArmError(error, operation);
    const ambiguous = failure.retryable || options.alsoConfirmWhen?.(failure) === true;
    // A caller that gave up wants no further calls.
    if (!ambiguous || options.abortSignal?.aborted === true) throw failure;
    let applied = false;
    try {
      applied = await isApplied();
    } catch {
      throw failure;
    }
    if (!applied) throw failure;
  }
}

/** Runs a read and turns an SDK failure into the product's error model, naming what was being read. */
export async function armRead<T>(operation: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toArmError(error, operation);
  }
}
