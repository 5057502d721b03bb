import { ArmHttpError } from './arm-error.js';

/** Versions the simulated providers accept: the ones the SDKs send plus those in the official examples. */
export const SUPPORTED_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'microsoft.web': [
    '2022-03-01', '2022-09-01', '2023-01-01', '2023-12-01', '2024-04-01', '2024-11-01', '2025-03-01', '2025-05-01',
  ],
  'microsoft.network': [
    '2024-01-01', '2024-03-01', '2024-05-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-03-01', '2025-05-01',
    '2025-07-01', '2025-09-01',
  ],
};

/** Locations listed in NoRegisteredProviderFound, as ARM lists a provider's regions. */
const SUPPORTED_LOCATIONS = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus',
  'northeurope', 'westeurope', 'uksouth', 'ukwest', 'francecentral', 'germanywestcentral', 'swedencentral',
  'eastasia', 'southeastasia', 'japaneast', 'australiaeast',
];

/** From this Microsoft.Web version on, routing flags are the `outboundVnetRouting` object instead of flat booleans. */
export const OUTBOUND_VNET_ROUTING_SINCE = '2025-03-01';

export function usesOutboundVnetRouting(apiVersion: string | undefined): boolean {
  return apiVersion === undefined || apiVersion >= OUTBOUND_VNET_ROUTING_SINCE;
}

/** ARM's own check, before any provider sees the request. Throws the error ARM answers with. */
export function checkApiVersion(
  provider: string | undefined,
  apiVersion: string | undefined,
  resourceType: string,
  location: string | undefined,
): void {
  if (apiVersion === undefined || apiVersion === '') {
    throw new ArmHttpError(
      400,
      'MissingApiVersionParameter',
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  const versions = provider === undefined ? undefined : SUPPORTED_API_VERSIONS[provider.toLowerCase()];
  if (versions === undefined) return;
  if (versions.includes(apiVersion)) return;
  const listed = [...versions].reverse().join(', ');
  if (!/^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i.test(apiVersion)) {
    throw new ArmHttpError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${listed}'.`,
    );
  }
  const where = (location ?? 'eastus').replace(/\s+/g, '').toLowerCase();
  throw new ArmHttpError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${where}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${listed}'. The supported locations are '${SUPPORTED_LOCATIONS.join(', ')}'.`,
  );
}
