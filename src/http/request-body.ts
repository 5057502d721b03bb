import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { MigratorError, type MigratorErrorOptions } from '../domain/errors.js';
import type { ProblemFieldError } from './problem.js';

/** The request body is not JSON, or not the JSON this endpoint takes. Fix the request; retrying it unchanged fails. */
export class InvalidRequestBodyError extends MigratorError {
  readonly code = 'InvalidRequestBody';
  readonly fieldErrors: readonly ProblemFieldError[];
  constructor(message: string, fieldErrors: readonly ProblemFieldError[] = [], options?: MigratorErrorOptions) {
    super(message, false, options);
    this.fieldErrors = fieldErrors;
  }
}

export class UnsupportedMediaTypeError extends MigratorError {
  readonly code = 'UnsupportedMediaType';
  constructor(contentType: string) {
    super(`Send the body as application/json (got '${contentType}').`, false, { details: { contentType } });
  }
}

/** Reads and validates a JSON body. Throws InvalidRequestBodyError / UnsupportedMediaTypeError; never partially accepts. */
export async function readJsonBody<Schema extends z.ZodType>(request: HttpRequest, schema: Schema): Promise<z.infer<Schema>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType);
  const text = await request.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestBodyError(`The body is not valid JSON: ${(error as Error).message}`, [], { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  const fieldErrors = result.error.issues.map((issue) => ({
    path: '/' + issue.path.map(String).join('/'),
    message: issue.message,
  }));
  const summary = fieldErrors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new InvalidRequestBodyError(
    `The body does not match the expected shape (${fieldErrors.length} problem${fieldErrors.length === 1 ? '' : 's'}): ${summary}`,
    fieldErrors,
  );
}
