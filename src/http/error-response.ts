/**
 * One mapping from failures to HTTP answers for every endpoint, so the same failure has the same status
 * everywhere. Every answer is problem+json; an unexpected error is logged and answered 500 without its stack.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { isMigratorError, type MigratorError } from '../domain/errors.js';
import { IdempotencyKeyInUseError, MigrationExistsError, StateInvalidInputError } from '../state/state-errors.js';
import { AppsHeldByAnotherMigrationError, InvalidQueryError, MigrationNotFoundError, MigrationStateConflictError } from './api-errors.js';
import { InvalidApiVersionError } from './api-version.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import { InvalidRequestBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from './request-body.js';

type ErrorClass = abstract new (...args: never[]) => MigratorError;

const STATUS_BY_CLASS: readonly (readonly [ErrorClass, number])[] = [
  [InvalidRequestBodyError, 400],
  [InvalidQueryError, 400],
  [InvalidApiVersionError, 400],
  // At the HTTP boundary, a value the store will never accept came from the caller (a forged continuation token).
  [StateInvalidInputError, 400],
  [MigrationNotFoundError, 404],
  [AppsHeldByAnotherMigrationError, 409],
  [MigrationStateConflictError, 409],
  [MigrationExistsError, 409],
  [IdempotencyKeyInUseError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
];

export function errorResponse(error: unknown, context: InvocationContext, what: string): HttpResponseInit {
  if (error instanceof InvalidRequestBodyError) return problemResponse(400, error.toJSON(), error.fieldErrors);
  const known = STATUS_BY_CLASS.find(([type]) => error instanceof type);
  if (known !== undefined && isMigratorError(error)) return problemResponse(known[1], error.toJSON());
  // Storage or ARM briefly unavailable: the same request can succeed later.
  if (isMigratorError(error) && error.retryable) return problemResponse(503, error.toJSON());
  // A well-formed request the domain refuses (a plan that cannot be built, say).
  if (isMigratorError(error)) return problemResponse(422, error.toJSON());
  context.error(`${what} failed`, error);
  return internalErrorResponse(error);
}
