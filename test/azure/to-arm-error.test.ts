import { RestError, createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  ArmAuthorizationFailedError,
  ArmOperationFailedError,
  ArmResourceNotFoundError,
  ArmThrottledError,
  ArmUnreachableError,
} from '../../src/azure/arm-errors.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import type { MigratorError } from '../../src/domain/errors.js';

/**
 * Which ARM failures are worth retrying, as a table over real RestErrors: built the way the SDK's pipeline builds
 * them (status, code, the response with its headers and parsed body), because the simulator cannot make the SDK
 * give up on a 5xx quickly (it retries those itself, with back-off). The SDK against the simulator is covered in
 * arm-access.test.ts.
 */

interface Failure {
  readonly status?: number;
  readonly code?: string;
  readonly bodyCode?: string;
  readonly headers?: Record<string, string>;
  /** The error body as ARM sent it, when the default ({error:{code, message}}) is not the point of the row. */
  readonly body?: unknown;
}

function restError({ status, code, bodyCode, headers = {}, body: sent }: Failure): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app1' });
  const body = sent ?? { error: { code: bodyCode ?? code ?? 'Unknown', message: `ARM says ${bodyCode ?? code ?? 'no'}` } };
  const response: PipelineResponse | undefined =
    status === undefined ? undefined : { request, status, headers: createHttpHeaders({ 'x-ms-request-id': 'req-1', ...headers }), bodyAsText: JSON.stringify(body) };
  const error = new RestError(`ARM says ${bodyCode ?? code ?? 'no'}`, {
    ...(code === undefined ? {} : { code }),
    ...(status === undefined ? {} : { statusCode: status }),
    request,
    ...(response === undefined ? {} : { response }),
  });
  if (status !== undefined) error.details = body;
  return error;
}

type ErrorClass = abstract new (...args: never[]) => MigratorError;

/** The stable code each class carries: what callers (retry policies, the HTTP API, stored app records) match on. */
const CODES = new Map<ErrorClass, string>([
  [ArmOperationFailedError, 'ArmOperationFailed'],
  [ArmThrottledError, 'ArmThrottled'],
  [ArmAuthorizationFailedError, 'ArmAuthorizationFailed'],
  [ArmResourceNotFoundError, 'ArmResourceNotFound'],
  [ArmUnreachableError, 'ArmUnreachable'],
]);

describe('toArmError: what is retryable', () => {
  it.each<[string, Failure, ErrorClass, boolean]>([
    ['500 InternalServerError', { status: 500, code: 'InternalServerError' }, ArmOperationFailedError, true],
    ['502 BadGateway', { status: 502, code: 'BadGateway' }, ArmOperationFailedError, true],
    ['503 ServiceUnavailable (the SDK gave up retrying)', { status: 503, code: 'ServiceUnavailable' }, ArmOperationFailedError, true],
    ['504 GatewayTimeout', { status: 504, code: 'GatewayTimeout' }, ArmOperationFailedError, true],
    ['408 RequestTimeout', { status: 408, code: 'RequestTimeout' }, ArmOperationFailedError, true],
    ['409 AnotherOperationInProgress', { status: 409, code: 'AnotherOperationInProgress' }, ArmOperationFailedError, true],
    ['409 AnotherOperationInProgress, code only in the body', { status: 409, bodyCode: 'AnotherOperationInProgress' }, ArmOperationFailedError, true],
    ['409 Conflict/ConcurrentUpdate', { status: 409, code: 'Conflict/ConcurrentUpdate' }, ArmOperationFailedError, true],
    ['429 RetryableErrorDueToAnotherOperation (Network)', { status: 429, code: 'RetryableErrorDueToAnotherOperation' }, ArmOperationFailedError, true],
    ['429 throttled', { status: 429, code: 'TooManyRequests' }, ArmThrottledError, true],
    ['ECONNRESET (no response)', { code: 'ECONNRESET' }, ArmUnreachableError, true],
    ['REQUEST_SEND_ERROR (no response)', { code: 'REQUEST_SEND_ERROR' }, ArmUnreachableError, true],
    ['409 Conflict (a plain conflict)', { status: 409, code: 'Conflict' }, ArmOperationFailedError, false],
    ['409 PlanVnetLimitExceeded', { status: 409, code: 'Conflict', bodyCode: 'PlanVnetLimitExceeded' }, ArmOperationFailedError, false],
    ['400 BadRequest', { status: 400, code: 'BadRequest' }, ArmOperationFailedError, false],
    ['400 InUseSubnetCannotBeDeleted', { status: 400, code: 'InUseSubnetCannotBeDeleted' }, ArmOperationFailedError, false],
    ['401 InvalidAuthenticationToken', { status: 401, code: 'InvalidAuthenticationToken' }, ArmAuthorizationFailedError, false],
    ['403 AuthorizationFailed', { status: 403, code: 'AuthorizationFailed' }, ArmAuthorizationFailedError, false],
    ['404 ResourceNotFound', { status: 404, code: 'ResourceNotFound' }, ArmResourceNotFoundError, false],
    ['499 (a 4xx below 500)', { status: 499, code: 'ClientClosedRequest' }, ArmOperationFailedError, false],
    [
      '409 Conflict with App Service extended code 70006 (ServiceAssociationLinkLease held by another join)',
      { status: 409, code: 'Conflict', body: { error: { code: 'Conflict', message: 'Conflict', details: [{ code: '70006', message: 'Conflict' }] } } },
      ArmOperationFailedError,
      true,
    ],
    [
      '409 Conflict whose text is the lease failure, without an extended code',
      { status: 409, code: 'Conflict', body: { error: { code: 'Conflict', message: 'Failed to acquire ServiceAssociationLinkLease for subnet apps.' } } },
      ArmOperationFailedError,
      true,
    ],
    [
      '409 Conflict with another extended code',
      { status: 409, code: 'Conflict', body: { error: { code: 'Conflict', message: 'Conflict', details: [{ code: '04037', message: 'limit' }] } } },
      ArmOperationFailedError,
      false,
    ],
  ])('%s', (_name, failure, errorClass, retryable) => {
    const error = toArmError(restError(failure), 'update app1');
    expect(error).toBeInstanceOf(errorClass);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(CODES.get(errorClass));
    if (failure.status !== undefined) expect(error.details).toMatchObject({ operation: 'update app1', statusCode: failure.status, requestId: 'req-1' });
  });
});

describe('toArmError: what it keeps', () => {
  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'x-ms-retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '250', 'retry-after': '7' }, 250],
    [{ 'retry-after-ms': 'soon', 'retry-after': '3' }, 3000],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, undefined],
    [{}, undefined],
  ])('a 429 with %j waits %s ms', (headers, waitMs) => {
    const error = toArmError(restError({ status: 429, code: 'TooManyRequests', headers }), 'list sites');
    expect(error).toBeInstanceOf(ArmThrottledError);
    expect((error.details as { retryAfterInMs?: number }).retryAfterInMs).toBe(waitMs);
    if (waitMs !== undefined) expect(error.message).toContain(`Retry after ${Math.ceil(waitMs / 1000)} s.`);
  });

  it("keeps ARM's message, codes and request id in the message and details", () => {
    const error = toArmError(restError({ status: 409, code: 'Conflict', bodyCode: 'PlanVnetLimitExceeded' }), 'connect app1');
    expect(error.message).toBe('connect app1 failed: ARM says PlanVnetLimitExceeded (409 Conflict)');
    expect(error.details).toMatchObject({ statusCode: 409, armCode: 'Conflict', requestId: 'req-1' });
  });

  it('keeps exactly the facts it knows in the details (they are stored and shown; no empty keys)', () => {
    expect(toArmError(restError({ code: 'ECONNREFUSED' }), 'read app1').details).toStrictEqual({
      operation: 'read app1',
      armCode: 'ECONNREFUSED',
      errorCode: 'ECONNREFUSED',
    });
    expect(toArmError(restError({ status: 429, code: 'TooManyRequests' }), 'list sites').details).toStrictEqual({
      operation: 'list sites',
      statusCode: 429,
      armCode: 'TooManyRequests',
      requestId: 'req-1',
    });
    expect(
      toArmError(restError({ status: 409, code: 'Conflict', body: { error: { code: 'Conflict', message: 'busy', details: [{ code: '70006' }] } } }), 'join').details,
    ).toStrictEqual({ operation: 'join', statusCode: 409, armCode: 'Conflict', extendedCode: '70006', requestId: 'req-1' });
  });

  it('says what it was doing and how long to wait when throttled', () => {
    const error = toArmError(restError({ status: 429, code: 'TooManyRequests', headers: { 'retry-after': '2.5' } }), 'list sites');
    expect(error.message).toBe('list sites was throttled by ARM: ARM says TooManyRequests Retry after 3 s.');
    expect(toArmError(restError({ status: 429, code: 'TooManyRequests' }), 'list sites').message).toBe('list sites was throttled by ARM: ARM says TooManyRequests');
  });

  it('falls back to the SDK message when the body has none, and names only the codes present', () => {
    const noMessage = toArmError(restError({ status: 400, code: 'BadRequest', body: { error: { code: 'BadRequest' } } }), 'update app1');
    expect(noMessage.message).toBe('update app1 failed: ARM says BadRequest (400 BadRequest)');
    const noCode = toArmError(restError({ status: 409, body: { error: { message: 'Busy.' } } }), 'update app1');
    expect(noCode.message).toBe('update app1 failed: Busy. (409)');
    expect(noCode.details).toStrictEqual({ operation: 'update app1', statusCode: 409, requestId: 'req-1' });
  });

  it('names no empty code: a body code of "" leaves the status alone in the message', () => {
    const error = toArmError(restError({ status: 400, code: '', body: { error: { code: '', message: 'odd' } } }), 'update app1');
    expect(error.message).toBe('update app1 failed: odd (400)');
  });

  it('quotes a body that holds no ARM error (here JSON of another shape), never the SDK\'s "Unexpected status code"', () => {
    const error = toArmError(restError({ status: 502, body: { status: 'down' } }), 'read app1');
    expect(error).toMatchObject({ retryable: true, message: 'read app1 failed: Azure Resource Manager answered HTTP 502 with no ARM error in the body, which said: "{"status":"down"}" (502)' });
  });

  it('does not take a body code that is not text as the ARM code', () => {
    const notText = toArmError(restError({ status: 400, code: 'BadRequest', body: { error: { code: 'BadRequest', message: 42 } } }), 'update app1');
    expect(notText.message).toBe('update app1 failed: ARM says BadRequest (400 BadRequest)');
    const error = toArmError(restError({ status: 400, body: { error: { code: 42, message: 'odd' } } }), 'update app1');
    expect(error.message).toBe('update app1 failed: odd (400)');
    expect(error.details).not.toHaveProperty('armCode');
  });

  it('takes the correlation id as the request id when ARM sent no request id', () => {
    const error = restError({ status: 400, code: 'BadRequest' });
    error.response?.headers.delete('x-ms-request-id');
    error.response?.headers.set('x-ms-correlation-request-id', 'corr-9');
    expect(toArmError(error, 'update app1').details).toMatchObject({ requestId: 'corr-9' });
  });

  it('names the network error of an unreachable endpoint', () => {
    const error = toArmError(restError({ code: 'ECONNREFUSED' }), 'read app1');
    expect(error).toBeInstanceOf(ArmUnreachableError);
    expect(error.message).toBe('read app1 could not reach Azure Resource Manager: ARM says ECONNREFUSED (ECONNREFUSED)');
    const nameless = toArmError(restError({}), 'read app1');
    expect(nameless).toMatchObject({ retryable: true, message: 'read app1 could not reach Azure Resource Manager: ARM says no (unknown)', details: { errorCode: 'unknown' } });
  });

  it("turns a poller's plain Error into a non-retryable operation failure with its text, and passes product errors through", () => {
    const plain = toArmError(new Error('Operation failed: subnet is busy'), 'create subnet int');
    expect(plain).toBeInstanceOf(ArmOperationFailedError);
    expect(plain.retryable).toBe(false);
    expect(plain.message).toBe('create subnet int failed: Operation failed: subnet is busy');
    const own = new ArmResourceNotFoundError({ operation: 'x' }, 'gone');
    expect(toArmError(own, 'y')).toBe(own);
    expect(toArmError('a string', 'z').message).toBe('z failed: a string');
  });
});
