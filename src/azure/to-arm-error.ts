import { isRestError, type RestError } from '@azure/core-rest-pipeline';
import { isMigratorError, type MigratorError } from '../domain/errors.js';
import {
  ArmAuthorizationFailedError,
  ArmOperationFailedError,
  ArmResourceNotFoundError,
  ArmThrottledError,
  ArmUnreachableError,
  type ArmFailureFacts,
} from './arm-errors.js';
import { errorBodyOf } from './error-body-policy.js';
import { describeUnparsedAnswer } from './unparsed-answer.js';

/** ARM codes that mean "another operation holds this resource; the same call will pass once it ends". */
const RETRYABLE_ARM_CODES = new Set(['RetryableErrorDueToAnotherOperation', 'AnotherOperationInProgress', 'OperationNotAllowed', 'Conflict/ConcurrentUpdate']);
/**
 * App Service's own codes (ErrorEntity.ExtendedCode) and texts for "another operation on this subnet holds it; the
 * same call passes once it ends": 70006 "Failed to acquire ServiceAssociationLinkLease" answers a join of a subnet
 * another plan or app is joining or leaving at that moment, as a 409 Conflict (whose HTTP reason alone means
 * nothing either way).
 */
const RETRYABLE_EXTENDED_CODES = new Set(['70006']);
const RETRYABLE_MESSAGES = [/Failed to acquire ServiceAssociationLinkLease/i];
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'REQUEST_SEND_ERROR']);

/**
 * Turns whatever an Azure SDK call threw into the product's error model, keeping ARM's own text. Pass the
 * operation in words ("disconnect app1 from vnet-hub") so the message says what was being done.
 */
export function toArmError(error: unknown, operation: string): MigratorError {
  if (isMigratorError(error)) return error;
  if (isRestError(error)) return fromRestError(error, operation);
  const message = error instanceof Error ? error.message : String(error);
  // Long-running-operation pollers throw a plain Error built from the operation's error body.
  return new ArmOperationFailedError({ operation }, message, false, error);
}

function fromRestError(error: RestError, operation: string): MigratorError {
  const body = parseBody(error);
  const statusCode = error.statusCode;
  const armCode = error.code ?? body.code;
  const facts: ArmFailureFacts = {
    operation,
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(armCode === undefined ? {} : { armCode }),
    ...(body.extendedCode === undefined ? {} : { extendedCode: body.extendedCode }),
    ...(requestIdOf(error) === undefined ? {} : { requestId: requestIdOf(error) }),
  };
  // No ARM error in the body (a gateway's HTML page, or none): the status and the body's own words, not the SDK's
  // "Unexpected status code".
  const { response } = error;
  const message = body.message ?? (body.code === undefined && response !== undefined ? describeUnparsedAnswer(response.status, response.bodyAsText) : error.message);

  if (statusCode === undefined) {
    const errorCode = error.code ?? 'unknown';
    return new ArmUnreachableError({ ...facts, errorCode }, `${message} (${errorCode})`, error);
  }
  if (statusCode === 429) {
    const retryAfterInMs = retryAfterOf(error);
    if (armCode === 'RetryableErrorDueToAnotherOperation') return new ArmOperationFailedError(facts, message, true, error);
    return new ArmThrottledError({ ...facts, ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }) }, message, error);
  }
  if (statusCode === 403 || statusCode === 401) return new ArmAuthorizationFailedError(facts, message, error);
  if (statusCode === 404) return new ArmResourceNotFoundError(facts, message, error);
  const retryable =
    statusCode >= 500 ||
    statusCode === 408 ||
    (armCode !== undefined && RETRYABLE_ARM_CODES.has(armCode)) ||
    (body.extendedCode !== undefined && RETRYABLE_EXTENDED_CODES.has(body.extendedCode)) ||
    RETRYABLE_MESSAGES.some((pattern) => pattern.test(message)) ||
    NETWORK_ERROR_CODES.has(error.code ?? '');
  return new ArmOperationFailedError(facts, message, retryable, error);
}

interface BodyFacts {
  readonly code?: string;
  readonly message?: string;
  readonly extendedCode?: string;
}

/**
 * Reads the error body the SDK kept (details), whichever envelope it came in; for a failed page of a list, whose
 * RestError keeps no body, the one errorBodyPolicy kept for its request.
 */
function parseBody(error: RestError): BodyFacts {
  const details = (error.details ?? parsedJson(errorBodyOf(error.request))) as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const inner = details?.error;
  if (inner === undefined) return {};
  const first = Array.isArray(inner.details) ? (inner.details as { code?: unknown }[])[0] : undefined;
  return {
    ...(typeof inner.code === 'string' ? { code: inner.code } : {}),
    ...(typeof inner.message === 'string' ? { message: inner.message } : {}),
    ...(typeof first?.code === 'string' ? { extendedCode: first.code } : {}),
  };
}

function parsedJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfterOf(error: RestError): number | undefined {
  const headers = error.response?.headers;
  const ms = headers?.get('retry-after-ms') ?? headers?.get('x-ms-retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
  const seconds = headers?.get('retry-after');
  if (seconds !== undefined && Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  return undefined;
}

function requestIdOf(error: RestError): string | undefined {
  return error.response?.headers.get('x-ms-request-id') ?? error.response?.headers.get('x-ms-correlation-request-id') ?? undefined;
}
