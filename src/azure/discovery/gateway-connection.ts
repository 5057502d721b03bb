import type { VnetInfoResource, VnetRoute } from '@azure/arm-appservice';
import type { Route } from '../../domain/inventory.js';

const SUBNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const VNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;

/**
 * An entry of sites/{n}/virtualNetworkConnections is gateway-based when it is not swift and names a VNet, not a
 * subnet (../shared/notes/arm-surface.md, "Telling the two apart"); regional integration shows there as an
 * `isSwift: true` entry whose vnetResourceId is the subnet.
 */
export function isGatewayConnection(entry: VnetInfoResource): boolean {
  const target = entry.vnetResourceId ?? '';
  return entry.isSwift !== true && VNET_ID.test(target) && !SUBNET_ID.test(target);
}

/** The subnet of a regional (swift) entry, if the entry is one. */
export function regionalSubnetOf(entry: VnetInfoResource): string | undefined {
  const target = entry.vnetResourceId ?? '';
  return entry.isSwift === true && SUBNET_ID.test(target) ? target : undefined;
}

/** Routes as the inventory keeps them; a route without an end address covers its single start address. */
export function routesOf(routes: readonly VnetRoute[] | undefined): Route[] {
  return (routes ?? []).flatMap((r) =>
    r.startAddress === undefined
      ? []
      : [{ startAddress: r.startAddress, endAddress: r.endAddress ?? r.startAddress, ...(r.routeType === undefined ? {} : { routeType: r.routeType }) }],
  );
}
