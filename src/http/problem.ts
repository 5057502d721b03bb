import type { HttpResponseInit } from '@azure/functions';
import { toErrorRecord, type ErrorRecord } from '../domain/errors.js';

/**
 * RFC 9457 problem details: every 4xx/5xx the service answers has this body, with the error's stable code so
 * clients can switch on it, and the person-readable message as `detail`.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly retryable: boolean;
  readonly errors?: readonly ProblemFieldError[];
  /** How many field problems were found; `errors` shows at most MAX_FIELD_ERRORS_SHOWN of them. */
  readonly errorCount?: number;
  /** False when validation stopped early (too many problems to be worth counting): errorCount is then a lower bound. */
  readonly errorCountExact?: boolean;
  readonly [extension: string]: unknown;
}

export interface ProblemFieldError {
  /** Where in the request the problem is, as a JSON pointer-like path ('/apps/0/id'). */
  readonly path: string;
  readonly message: string;
}

/**
 * A client that sent 100,000 bad items needs the first few to fix its generator, not 84 MB of the same message:
 * every problem body stays small whatever the request was.
 */
export const MAX_FIELD_ERRORS_SHOWN = 20;
/** Field messages may quote the caller's value; a 100,000-character name is cut, not echoed. */
const MAX_FIELD_MESSAGE = 300;
const MAX_DETAIL = 2000;
/** Structured facts larger than this (a list of every issue, say) are left out rather than flooding the client. */
const MAX_DETAILS_JSON = 8192;

export interface FieldErrorList {
  readonly shown: readonly ProblemFieldError[];
  readonly count: number;
  readonly exact: boolean;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemResponse(status: number, record: ErrorRecord, fieldErrors?: readonly ProblemFieldError[] | FieldErrorList): HttpResponseInit {
  const list = fieldErrors === undefined || isFieldErrorList(fieldErrors) ? fieldErrors : { shown: fieldErrors, count: fieldErrors.length, exact: true };
  const errors = list?.shown.slice(0, MAX_FIELD_ERRORS_SHOWN).map((e) => ({ path: clip(e.path), message: clip(e.message) }));
  const body: ProblemDetails = {
    type: `urn:vnet-migrator:problem:${record.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: clip(record.message, MAX_DETAIL),
    code: record.code,
    retryable: record.retryable,
    ...(list !== undefined && errors !== undefined && errors.length > 0 ? { errors, errorCount: list.count, errorCountExact: list.exact } : {}),
    ...(record.details && JSON.stringify(record.details).length <= MAX_DETAILS_JSON ? { details: record.details } : {}),
  };
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

function isFieldErrorList(value: readonly ProblemFieldError[] | FieldErrorList): value is FieldErrorList {
  return !Array.isArray(value);
}

export function clip(text: string, max = MAX_FIELD_MESSAGE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An unexpected failure: the message is kept (it is the real cause), the stack never leaves the process. */
export function internalErrorResponse(error: unknown): HttpResponseInit {
  return problemResponse(500, toErrorRecord(error));
}
