import type { VirtualNetworkGateway } from '@azure/arm-network';
import { compareResourceIds, parseResourceIdOf, resourceIdKey } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import type { ArmReader } from './arm-reader.js';
import type { DiscoveredGateway } from './fleet-discovery.js';

/**
 * Finds the VPN gateways of the gateway VNets. A gateway names its VNet only through its IP configurations' subnet
 * (the VNet's GatewaySubnet), and it must live in the VNet's resource group, so one paged list of gateways per
 * resource group holding a gateway VNet finds them all.
 */
export async function discoverVpnGateways(reader: ArmReader, clientsFor: (subscriptionId: string) => ArmClients, gatewayVnetIds: readonly string[]): Promise<DiscoveredGateway[]> {
  const vnetsByGroup = new Map<string, { subscriptionId: string; resourceGroup: string; vnetIds: string[] }>();
  for (const vnetId of gatewayVnetIds) {
    const at = parseResourceIdOf(vnetId, 'virtualNetwork');
    const key = `${at.subscriptionId}/${at.resourceGroup}`.toLowerCase();
    const group = vnetsByGroup.get(key) ?? { subscriptionId: at.subscriptionId, resourceGroup: at.resourceGroup, vnetIds: [] };
    group.vnetIds.push(vnetId);
    vnetsByGroup.set(key, group);
  }
  const found = await Promise.all(
    [...vnetsByGroup.values()].map(async (group) => {
      const gateways = await reader.in(group.subscriptionId).list(`list the virtual network gateways of resource group ${group.resourceGroup} in subscription ${group.subscriptionId}`, (o) =>
        clientsFor(group.subscriptionId).network.virtualNetworkGateways.list(group.resourceGroup, o),
      );
      return group.vnetIds.flatMap((vnetId) => {
        const gatewaySubnetKey = resourceIdKey(`${vnetId}/subnets/GatewaySubnet`); // ARM's ids differ only in case
        return gateways.filter((g) => (g.ipConfigurations ?? []).some((c) => c.subnet?.id?.toLowerCase() === gatewaySubnetKey)).map((g) => gatewayOf(g, vnetId));
      });
    }),
  );
  return found.flat().sort((a, b) => compareResourceIds(a.id, b.id));
}

function gatewayOf(gateway: VirtualNetworkGateway, vnetId: string): DiscoveredGateway {
  return {
    id: gateway.id ?? '',
    vnetId,
    location: gateway.location ?? '',
    sku: { name: gateway.sku?.name ?? '', tier: gateway.sku?.tier ?? '' },
    pointToSite: gateway.vpnClientConfiguration !== undefined && gateway.vpnClientConfiguration !== null,
  };
}
