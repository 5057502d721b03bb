import { MigratorError } from '../../domain/errors.js';
import { OUTBOUND_VNET_ROUTING_SINCE } from '../../domain/routing.js';

/**
 * Refusals of the app-networking operations themselves (before or instead of an ARM call). ARM's own refusals are
 * ArmXxxError (see ../arm-errors.ts) and keep App Service's text.
 */

/** An app can use only one form of VNet integration at a time; the other form must be removed first. */
export class IntegrationFormConflictError extends MigratorError {
  readonly code = 'IntegrationFormConflict';
  constructor(operation: string, reason: string, details: Readonly<Record<string, unknown>>) {
    super(`${operation} refused: ${reason}`, false, { details: { operation, ...details } });
  }
}

/** A subnet exists but is not the one the plan asked for (another prefix, or no Microsoft.Web delegation). */
export class SubnetMismatchError extends MigratorError {
  readonly code = 'SubnetMismatch';
  constructor(operation: string, reason: string, details: Readonly<Record<string, unknown>>) {
    super(`${operation} refused: ${reason}`, false, { details: { operation, ...details } });
  }
}

/** A subnet is still being provisioned by an earlier request; the same call passes once that ends. */
export class SubnetNotReadyError extends MigratorError {
  readonly code = 'SubnetNotReady';
  constructor(operation: string, provisioningState: string) {
    super(`${operation} must wait: the subnet is still ${provisioningState}.`, true, { details: { operation, provisioningState } });
  }
}

/** The routing switch cannot be expressed in the api-version the client speaks. */
export class RoutingNotExpressibleError extends MigratorError {
  readonly code = 'RoutingNotExpressible';
  constructor(operation: string, switchName: string, apiVersion: string) {
    super(`${operation} refused: ${switchName} has no form in Microsoft.Web api-version ${apiVersion}; use ${OUTBOUND_VNET_ROUTING_SINCE} or later.`, false, {
      details: { operation, switch: switchName, apiVersion },
    });
  }
}
