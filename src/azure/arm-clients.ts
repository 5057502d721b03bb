import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import { appServiceErrorPolicy } from './app-service-error-policy.js';
import { errorBodyPolicy } from './error-body-policy.js';

export interface ArmClients {
  readonly web: WebSiteManagementClient;
  readonly network: NetworkManagementClient;
  /** The ARM endpoint the clients call, for the few requests sent through a client's pipeline (arm-raw-request.ts). */
  readonly endpoint: string;
}

export interface ArmClientOptions {
  readonly endpoint: string;
  /** Extra CA certificates (PEM) to trust, e.g. a proxy's or the simulator's; NODE_EXTRA_CA_CERTS also works. */
  readonly caPem?: string;
  /** Microsoft.Web api-version; the SDK's default when absent. */
  readonly webApiVersion?: string;
  /**
   * The SDK's own retries of 5xx, 408, throttling and socket errors (default: 3, exponential from 1 s). A caller with
   * its own retry schedule (a durable activity's retry policy) may want fewer, so a failure reaches it sooner.
   */
  readonly retryOptions?: { readonly maxRetries?: number; readonly retryDelayInMs?: number; readonly maxRetryDelayInMs?: number };
}

/**
 * The Azure SDK clients for one subscription, configured the one way the product uses them: pointed at the
 * configured ARM endpoint, and with App Service errors readable (see app-service-error-policy.ts).
 */
export function createArmClients(credential: TokenCredential, subscriptionId: string, options: ArmClientOptions): ArmClients {
  const shared = {
    ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
    ...(options.retryOptions === undefined ? {} : { retryOptions: { ...options.retryOptions } }),
  };
  return {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    web: new WebSiteManagementClient(credential, subscriptionId, {
      endpoint: options.endpoint,
      ...(options.webApiVersion === undefined ? {} : { apiVersion: options.webApiVersion }),
      // The error body is kept after App Service's envelope has been made standard (policies see answers inside out).
      additionalPolicies: [
        { policy: errorBodyPolicy(), position: 'perCall' },
        { policy: appServiceErrorPolicy(), position: 'perCall' },
      ],
      ...shared,
    }),
    // No error-body policy here: arm-network's pager keeps a failed page's error body itself (only arm-appservice's
    // paging helper drops it; test/azure/error-body-policy.test.ts shows both).
    network: new NetworkManagementClient(credential, subscriptionId, { endpoint: options.endpoint, ...shared }),
  };
}
