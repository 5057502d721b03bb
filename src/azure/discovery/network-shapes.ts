/** Microsoft.Network models reduced to the inventory's shapes and discovery's peering facts (pure, no I/O). */
import type { NetworkSecurityGroup, SecurityRule, Subnet, VirtualNetwork, VirtualNetworkPeering } from '@azure/arm-network';
import type { InventoryInput } from '../../domain/inventory.js';
import { compareResourceIds } from '../../domain/resource-id.js';
import type { DiscoveredPeering } from './fleet-discovery.js';

export type InventoryVnetInput = InventoryInput['virtualNetworks'][number];
export type InventorySubnetInput = NonNullable<InventoryVnetInput['subnets']>[number];
export type InventoryNsgInput = NonNullable<InventoryInput['networkSecurityGroups']>[number];
type NsgRuleInput = NonNullable<InventoryNsgInput['rules']>[number];

const byId = <T extends { readonly id: string }>(a: T, b: T): number => compareResourceIds(a.id, b.id);

export function subnetShape(subnet: Subnet): InventorySubnetInput {
  return {
    id: subnet.id ?? '',
    addressPrefix: subnet.addressPrefix ?? subnet.addressPrefixes?.[0] ?? '',
    delegations: (subnet.delegations ?? []).flatMap((d) => (d.serviceName === undefined ? [] : [d.serviceName])),
    serviceAssociationLinks: (subnet.serviceAssociationLinks ?? []).map((l) => ({ linkedResourceType: l.linkedResourceType ?? '', link: l.link ?? '' })),
    networkSecurityGroupId: subnet.networkSecurityGroup?.id ?? null,
    inUse: (subnet.ipConfigurations?.length ?? 0) > 0 || (subnet.privateEndpoints?.length ?? 0) > 0,
  };
}

export function vnetShape(vnet: VirtualNetwork): InventoryVnetInput {
  return {
    id: vnet.id ?? '',
    location: vnet.location ?? '',
    addressPrefixes: vnet.addressSpace?.addressPrefixes ?? [],
    subnets: (vnet.subnets ?? []).map(subnetShape).sort(byId),
    peerings: peeringsOf(vnet).map((p) => ({ id: p.id, remoteVnetId: p.remoteVnetId, state: p.state })),
  };
}

export function peeringsOf(vnet: VirtualNetwork): DiscoveredPeering[] {
  return (vnet.virtualNetworkPeerings ?? [])
    .map((p: VirtualNetworkPeering) => ({
      id: p.id ?? '',
      vnetId: vnet.id ?? '',
      remoteVnetId: p.remoteVirtualNetwork?.id ?? '',
      state: p.peeringState ?? 'Unknown',
      allowGatewayTransit: p.allowGatewayTransit ?? false,
      useRemoteGateways: p.useRemoteGateways ?? false,
    }))
    .sort(byId);
}

function ruleShape(rule: SecurityRule): NsgRuleInput {
  const ports = rule.destinationPortRanges !== undefined && rule.destinationPortRanges.length > 0 ? rule.destinationPortRanges : [rule.destinationPortRange ?? '*'];
  return {
    name: rule.name ?? '',
    priority: rule.priority ?? 4096,
    direction: rule.direction === 'Inbound' ? 'Inbound' : 'Outbound',
    access: rule.access === 'Deny' ? 'Deny' : 'Allow',
    protocol: rule.protocol ?? '*',
    destinationPortRanges: ports,
    destinationAddressPrefix: rule.destinationAddressPrefix ?? rule.destinationAddressPrefixes?.[0] ?? '*',
  };
}

export function nsgShape(nsg: NetworkSecurityGroup, id: string): InventoryNsgInput {
  return { id: nsg.id ?? id, rules: (nsg.securityRules ?? []).map(ruleShape).sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name, 'en')) };
}
