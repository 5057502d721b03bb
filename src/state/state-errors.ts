import { RestError } from '@azure/data-tables';
import { MigratorError, isMigratorError, type ErrorDetails } from '../domain/errors.js';

/**
 * One class per way the state layer fails. Storage failures keep the service's status and code in `details` so a
 * person sees the real cause; `retryable` says whether the same call, unchanged, can succeed later.
 */

export interface StateFailureFacts extends ErrorDetails {
  /** What we were doing, e.g. "update migration m1". */
  readonly operation: string;
  readonly statusCode?: number;
  /** Table Storage's error code (e.g. EntityTooLarge) or the network error code (ECONNREFUSED). */
  readonly storageCode?: string;
}

/** Storage could not be reached, timed out, throttled or failed on its side (5xx). Usually passes; retry. */
export class StateStorageUnavailableError extends MigratorError {
  readonly code = 'StateStorageUnavailable';
  constructor(facts: StateFailureFacts, reason: string, cause?: unknown) {
    super(`${facts.operation}: state storage is unavailable (${reason}).`, true, { details: facts, cause });
  }
}

/** The identity or key behind the connection string may not use the tables. Retrying cannot help. */
export class StateAccessDeniedError extends MigratorError {
  readonly code = 'StateAccessDenied';
  constructor(facts: StateFailureFacts, reason: string, cause?: unknown) {
    super(`${facts.operation}: state storage refused access (${reason}); check the storage connection string or role.`, false, {
      details: facts,
      cause,
    });
  }
}

/** Storage refused the request itself (too large, malformed). The same request will be refused again. */
export class StateRequestRejectedError extends MigratorError {
  readonly code = 'StateRequestRejected';
  constructor(facts: StateFailureFacts, reason: string, cause?: unknown) {
    super(`${facts.operation}: state storage rejected the request (${reason}).`, false, { details: facts, cause });
  }
}

/** Optimistic concurrency lost every attempt: others kept changing the row. Retrying later can succeed. */
export class StateConflictError extends MigratorError {
  readonly code = 'StateConflict';
  constructor(operation: string, attempts: number) {
    super(`${operation}: the row kept changing under us; gave up after ${attempts} attempts.`, true, { details: { operation, attempts } });
  }
}

/** The caller handed the state layer something it will never store (bad key, bad time, oversized value). */
export class StateInvalidInputError extends MigratorError {
  readonly code = 'StateInvalidInput';
  constructor(operation: string, problem: string, details: ErrorDetails = {}) {
    super(`${operation}: ${problem}.`, false, { details: { operation, problem, ...details } });
  }
}

/** A row that must exist does not (updating a migration or app record that was never created). */
export class StateRecordNotFoundError extends MigratorError {
  readonly code = 'StateRecordNotFound';
  constructor(what: string, details: ErrorDetails) {
    super(`${what} does not exist.`, false, { details });
  }
}

/** A stored row cannot be read back (a missing JSON part, JSON that does not parse). Needs a person. */
export class StateCorruptError extends MigratorError {
  readonly code = 'StateCorrupt';
  constructor(what: string, problem: string, cause?: unknown) {
    super(`${what} is unreadable: ${problem}.`, false, { details: { what, problem }, cause });
  }
}

/** POST of a migration whose id is taken (HTTP 409). */
export class MigrationExistsError extends MigratorError {
  readonly code = 'MigrationExists';
  constructor(migrationId: string) {
    super(`A migration with id '${migrationId}' already exists.`, false, { details: { migrationId } });
  }
}

/** A second migration claimed an idempotency key another migration already holds (HTTP 409). */
export class IdempotencyKeyInUseError extends MigratorError {
  readonly code = 'IdempotencyKeyInUse';
  constructor(idempotencyKey: string, migrationId: string | undefined) {
    super(
      `The idempotency key '${idempotencyKey}' already belongs to ${migrationId === undefined ? 'another migration' : `migration '${migrationId}'`}.`,
      false,
      { details: { idempotencyKey, ...(migrationId === undefined ? {} : { migrationId }) } },
    );
  }
}

/** A snapshot carrying anything beyond AppNetworkSnapshot's fields: it could hold a setting value (a secret). */
export class SnapshotRefusedError extends MigratorError {
  readonly code = 'SnapshotRefused';
  constructor(appId: string, unexpected: readonly string[]) {
    super(
      `The network snapshot of '${appId}' was refused: it carries ${unexpected.map((p) => `'${p}'`).join(', ')}, outside what a snapshot may hold (setting names and the three legacy routing switches only, never other setting values).`,
      false,
      { details: { appId, unexpected } },
    );
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'REQUEST_SEND_ERROR']);

/** The HTTP status of a storage failure, when it has one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** Whatever a Table Storage call threw, in the product's error model. */
export function toStateError(error: unknown, operation: string): MigratorError {
  if (isMigratorError(error)) return error;
  if (!(error instanceof RestError)) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) {
      return new StateStorageUnavailableError({ operation, storageCode: code }, message, error);
    }
    return new StateRequestRejectedError({ operation }, message, error);
  }
  const statusCode = error.statusCode;
  const storageCode = error.code;
  const facts: StateFailureFacts = {
    operation,
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(storageCode === undefined ? {} : { storageCode }),
  };
  const reason = firstLine(error.message);
  if (statusCode === undefined || statusCode >= 500 || statusCode === 408 || statusCode === 429) {
    return new StateStorageUnavailableError(facts, reason, error);
  }
  if (statusCode === 401 || statusCode === 403) return new StateAccessDeniedError(facts, reason, error);
  return new StateRequestRejectedError(facts, reason, error);
}

/** Runs one storage call, turning its failure into a state error. */
export async function storageCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStateError(error, operation);
  }
}

/** Runs one storage call where a given HTTP status is an answer, not a failure (404 on a read, 409 on an insert). */
export async function storageCallOr<T, F>(operation: string, expected: number, call: () => Promise<T>, onExpected: () => F): Promise<T | F> {
  try {
    return await call();
  } catch (error) {
    if (statusOf(error) === expected) return onExpected();
    throw toStateError(error, operation);
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
