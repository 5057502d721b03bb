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
  readonly [extension: string]: unknown;
}

export interface ProblemFieldError {
  /** Where in the request the problem is, as a JSON pointer-like path ('/apps/0/id'). */
  readonly path: string;
  readonly message: string;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemResponse(status: number, record: ErrorRecord, errors?: readonly ProblemFieldError[]): HttpResponseInit {
  const body: ProblemDetails = {
    type: `urn:vnet-migrator:problem:${record.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: record.message,
    code: record.code,
    retryable: record.retryable,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(record.details ? { details: record.details } : {}),
  };
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

/** An unexpected failure: the message is kept (it is the real cause), the stack never leaves the process. */
export function internalErrorResponse(error: unknown): HttpResponseInit {
  return problemResponse(500, toErrorRecord(error));
}
