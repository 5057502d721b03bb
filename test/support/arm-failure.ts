import { toArmError } from '../../src/azure/to-arm-error.js';

/** Runs an SDK call expected to fail and returns its failure in the product's error model (toArmError). */
export async function armFailure(operation: string, call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    return toArmError(error, operation);
  }
  throw new Error(`${operation} was expected to fail`);
}
