import type { ArmClients } from '../arm-clients.js';

/** An App Service app: a site or a deployment slot, by its ARM resource id. */
export interface AppRef {
  readonly appId: string;
}

/** The SDK clients for a subscription; the caller decides how they are created and cached. */
export type ClientsFor = (subscriptionId: string) => ArmClients;

export interface OperationOptions {
  readonly clientsFor: ClientsFor;
  /** Long-running-operation polling interval; the SDK's default (2 s, or the service's Retry-After) when absent. */
  readonly pollIntervalInMs?: number;
  readonly abortSignal?: AbortSignal;
}

/**
 * What an operation did. `applied: false` means the resource was already in the desired state and nothing was
 * written (a re-run after a crash, or a retry after an ambiguous failure that had in fact been applied earlier).
 * `before` and `after` never hold an app setting value other than the three legacy routing switches.
 */
export interface ChangeRecord {
  readonly action: string;
  readonly applied: boolean;
  readonly before: unknown;
  readonly after: unknown;
}

/** The SDK option bag for a call: the caller's abort signal, and for long-running operations the poll interval. */
export function sdkOptions(opts: OperationOptions): { abortSignal?: AbortSignal; updateIntervalInMs?: number } {
  return {
    ...(opts.abortSignal === undefined ? {} : { abortSignal: opts.abortSignal }),
    ...(opts.pollIntervalInMs === undefined ? {} : { updateIntervalInMs: opts.pollIntervalInMs }),
  };
}
