import { MigratorError } from '../../domain/errors.js';

/** The caller cancelled discovery (its abort signal fired). Nothing is wrong with ARM: running it again can pass. */
export class DiscoveryAbortedError extends MigratorError {
  readonly code = 'DiscoveryAborted';
  constructor(operation: string | undefined, cause?: unknown) {
    super(`Fleet discovery was cancelled${operation === undefined ? '' : ` while it was doing: ${operation}`}. Start it again to read the fleet.`, true, {
      ...(operation === undefined ? {} : { details: { operation } }),
      cause,
    });
  }
}
