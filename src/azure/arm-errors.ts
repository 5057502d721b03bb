import { MigratorError, type ErrorDetails } from '../domain/errors.js';

/**
 * One class per way an ARM call fails. Each keeps ARM's (or App Service's) own code and text in its message and
 * details, so a person sees the real cause, and says whether retrying the same call can help.
 */

export interface ArmFailureFacts extends ErrorDetails {
  /** What we were doing, e.g. "connect app1 to subnet apps". */
  readonly operation: string;
  readonly statusCode?: number;
  /** ARM's error code (App Service: the HTTP reason, e.g. BadRequest). */
  readonly armCode?: string;
  /** App Service's specific code, or the first inner error code. */
  readonly extendedCode?: string;
  readonly requestId?: string;
}

/** The service refused or failed the operation; its own message is the cause. */
export class ArmOperationFailedError extends MigratorError {
  readonly code = 'ArmOperationFailed';
  constructor(facts: ArmFailureFacts, armMessage: string, retryable: boolean, cause?: unknown) {
    super(`${facts.operation} failed: ${armMessage}${describeCodes(facts)}`, retryable, { details: facts, cause });
  }
}

/** ARM throttled the caller (429). Retry after the advertised delay. */
export class ArmThrottledError extends MigratorError {
  readonly code = 'ArmThrottled';
  constructor(facts: ArmFailureFacts & { readonly retryAfterInMs?: number }, armMessage: string, cause?: unknown) {
    const wait = facts.retryAfterInMs === undefined ? '' : ` Retry after ${Math.ceil(facts.retryAfterInMs / 1000)} s.`;
    super(`${facts.operation} was throttled by ARM: ${armMessage}${wait}`, true, { details: facts, cause });
  }
}

/** The identity lacks a permission. Retrying cannot help until a role grants the action ARM names. */
export class ArmAuthorizationFailedError extends MigratorError {
  readonly code = 'ArmAuthorizationFailed';
  constructor(facts: ArmFailureFacts, armMessage: string, cause?: unknown) {
    super(`${facts.operation} was denied: ${armMessage} Grant the migration identity a role with that action at that scope.`, false, {
      details: facts,
      cause,
    });
  }
}

/** The resource (or its parent) does not exist. */
export class ArmResourceNotFoundError extends MigratorError {
  readonly code = 'ArmResourceNotFound';
  constructor(facts: ArmFailureFacts, armMessage: string, cause?: unknown) {
    super(`${facts.operation} failed: ${armMessage}`, false, { details: facts, cause });
  }
}

/** ARM could not be reached (connection refused or reset, DNS, TLS, timeout). Usually passes; retry. */
export class ArmUnreachableError extends MigratorError {
  readonly code = 'ArmUnreachable';
  constructor(facts: ArmFailureFacts & { readonly errorCode?: string }, reason: string, cause?: unknown) {
    super(`${facts.operation} could not reach Azure Resource Manager: ${reason}`, true, { details: facts, cause });
  }
}

function describeCodes(facts: ArmFailureFacts): string {
  const codes = [facts.statusCode, facts.armCode, facts.extendedCode].filter((c) => c !== undefined && c !== '');
  return codes.length === 0 ? '' : ` (${codes.join(' ')})`;
}
