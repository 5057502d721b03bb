import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import { appServiceErrorPolicy } from './app-service-error-policy.js';

export interface ArmClients {
  readonly web: WebSiteManagementClient;
  readonly network: NetworkManagementClient;
}

export interface ArmClientOptions {
  readonly endpoint: string;
  /** Extra CA certificates (PEM) to trust, e.g. a proxy's or the simulator's; NODE_EXTRA_CA_CERTS also works. */
  readonly caPem?: string;
  /** Microsoft.Web api-version; the SDK's default when absent. */
  readonly webApiVersion?: string;
}

/**
 * The Azure SDK clients for one subscription, configured the one way the product uses them: pointed at the
 * configured ARM endpoint, and with App Service errors readable (see app-service-error-policy.ts).
 */
export function createArmClients(credential: TokenCredential, subscriptionId: string, options: ArmClientOptions): ArmClients {
  const tls = options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } };
  return {
    web: new WebSiteManagementClient(credential, subscriptionId, {
      endpoint: options.endpoint,
      ...(options.webApiVersion === undefined ? {} : { apiVersion: options.webApiVersion }),
      additionalPolicies: [{ policy: appServiceErrorPolicy(), position: 'perCall' }],
      ...tls,
    }),
    network: new NetworkManagementClient(credential, subscriptionId, { endpoint: options.endpoint, ...tls }),
  };
}
