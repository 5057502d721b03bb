import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { MigratorError, type MigratorErrorOptions } from '../domain/errors.js';
import { validateBounded } from './bounded-validation.js';
import { clip, type FieldErrorList, type ProblemFieldError } from './problem.js';

/** The request body is not JSON, or not the JSON this endpoint takes. Fix the request; retrying it unchanged fails. */
export class InvalidRequestBodyError extends MigratorError {
  readonly code = 'InvalidRequestBody';
  readonly fieldErrors: FieldErrorList;
  constructor(message: string, fieldErrors: readonly ProblemFieldError[] | FieldErrorList = [], options?: MigratorErrorOptions) {
    super(message, false, options);
    this.fieldErrors = Array.isArray(fieldErrors) ? { shown: fieldErrors, count: fieldErrors.length, exact: true } : (fieldErrors as FieldErrorList);
  }
}

export class UnsupportedMediaTypeError extends MigratorError {
  readonly code = 'UnsupportedMediaType';
  constructor(contentType: string) {
    super(`Send the body as application/json (got '${clip(contentType, 100)}').`, false, { details: { contentType: clip(contentType, 100) } });
  }
}

/** Answered 413 before the body is parsed: the endpoint's own limit, far below what the host accepts. */
export class PayloadTooLargeError extends MigratorError {
  readonly code = 'PayloadTooLarge';
  constructor(limitInBytes: number) {
    super(`The request body is larger than this endpoint's limit of ${limitInBytes} bytes. Send less (split the inventory, narrow the scope).`, false, {
      details: { limitInBytes },
    });
  }
}

export interface JsonBodyOptions {
  /** Bytes this endpoint reads at most; see each endpoint's registration for why its limit is what it is. */
  readonly maxBytes: number;
  /** Field problems collected before validation stops. */
  readonly maxIssues?: number;
}

/** A limit for endpoints whose bodies are small requests, not documents. */
export const SMALL_BODY_BYTES = 64 * 1024;

/**
 * The body as text, refusing more than `maxBytes`: a declared Content-Length over the limit is refused unread, and
 * a body without one (chunked) is read only until it passes the limit.
 */
export async function readBodyText(request: Pick<HttpRequest, 'headers' | 'body'>, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  if (request.body === null) return '';
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch (error) {
    throw new InvalidRequestBodyError('The body is not valid UTF-8 text; send JSON encoded as UTF-8.', [], { cause: error });
  }
}

/** Refuses a Content-Type that is present and not JSON (an absent one is taken as JSON, as curl -d users expect JSON APIs to). */
export function requireJsonContentType(request: HttpRequest): void {
  const contentType = request.headers.get('content-type') ?? '';
  if (contentType && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType);
}

/**
 * Reads and validates a JSON body. Throws PayloadTooLargeError, UnsupportedMediaTypeError or InvalidRequestBodyError
 * (with at most a bounded number of field problems and their count); never partially accepts.
 */
export async function readJsonBody<Schema extends z.ZodType>(request: HttpRequest, schema: Schema, options: JsonBodyOptions = { maxBytes: SMALL_BODY_BYTES }): Promise<z.output<Schema>> {
  requireJsonContentType(request);
  const text = await readBodyText(request, options.maxBytes);
  if (text.trim() === '') throw new InvalidRequestBodyError('The body is empty; send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestBodyError(`The body is not valid JSON: ${clip((error as Error).message, 200)}`, [], { cause: error });
  }
  const result = await validateBounded(schema, parsed, options.maxIssues);
  if (result.ok) return result.data;
  const { shown, count, exact } = result.errors;
  const summary = shown.slice(0, 3).map((e) => `${e.path}: ${clip(e.message, 120)}`).join('; ');
  throw new InvalidRequestBodyError(
    `The body does not match the expected shape (${count}${exact ? '' : ' or more'} problem${count === 1 ? '' : 's'}): ${summary}`,
    result.errors,
  );
}
