import { ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { ArmSettings } from './arm-settings.js';

/** Microsoft Entra authorities MSAL knows; any other authority (a sovereign cloud's aside) is a stand-in. */
const KNOWN_AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];

/**
 * The identity the service calls ARM with: the configured service principal, else the managed identity (in Azure)
 * or the developer's login, through DefaultAzureCredential.
 */
export function createArmCredential(settings: ArmSettings, options: { readonly caPem?: string } = {}): TokenCredential {
  const principal = settings.servicePrincipal;
  if (principal === undefined) return new DefaultAzureCredential();
  const authorityHost = principal.authorityHost;
  return new ClientSecretCredential(principal.tenantId, principal.clientId, principal.clientSecret, {
    ...(authorityHost === undefined ? {} : { authorityHost }),
    ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
    // MSAL first asks login.microsoftonline.com to validate any other authority; a local token endpoint (the ARM
    // simulator) or an isolated network cannot pass that check, so it is skipped for authorities it would not know.
    disableInstanceDiscovery: authorityHost !== undefined && !KNOWN_AUTHORITIES.includes(new URL(authorityHost).hostname.toLowerCase()),
  });
}
