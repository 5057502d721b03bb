/**
 * The one error model every layer of the product uses.
 *
 * Each failure is its own named class with a stable `code` (callers and the HTTP surface switch on it, and it
 * never changes once published), a message a person can act on, and `retryable`: whether trying the same thing
 * again, unchanged, can help. `details` carries the structured facts behind the message (the offending segment,
 * the free ranges, App Service's own error text), so the service can show the real cause without parsing prose.
 */

/** JSON-safe facts attached to an error. Never put secrets here: errors end up in logs, state and responses. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface MigratorErrorOptions {
  /** Whether retrying the same operation unchanged can succeed. Defaults to the class's own default. */
  readonly retryable?: boolean;
  readonly details?: ErrorDetails;
  readonly cause?: unknown;
}

/** The serialisable form of an error: what goes into orchestration state, audit rows and problem+json bodies. */
export interface ErrorRecord {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: ErrorDetails;
}

export abstract class MigratorError extends Error {
  /** Stable, PascalCase, unique per class. */
  abstract readonly code: string;
  readonly retryable: boolean;
  readonly details: ErrorDetails | undefined;

  protected constructor(message: string, defaultRetryable: boolean, options: MigratorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? defaultRetryable;
    this.details = options.details;
  }

  toJSON(): ErrorRecord {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isMigratorError(value: unknown): value is MigratorError {
  return value instanceof MigratorError;
}

/** Anything thrown, as a record a person can read. Unknown errors keep their message and are not retryable. */
export function toErrorRecord(error: unknown): ErrorRecord {
  if (isMigratorError(error)) return error.toJSON();
  if (error instanceof Error) return { code: 'UnexpectedError', message: error.message, retryable: false };
  return { code: 'UnexpectedError', message: String(error), retryable: false };
}
