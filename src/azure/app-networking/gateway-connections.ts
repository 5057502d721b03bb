import type { VnetInfoResource } from '@azure/arm-appservice';
import type { GatewayConnectionSnapshot } from '../../domain/migration-model.js';

const SUBNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const VNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;

/**
 * Gateway-based = not isSwift, and a VNet (not a subnet) id in vnetResourceId. virtualNetworkConnections lists the
 * regional integration too (an isSwift entry naming the subnet), which must never be taken for a gateway connection.
 */
export function isGatewayConnection(entry: VnetInfoResource): boolean {
  const target = entry.vnetResourceId ?? '';
  return entry.isSwift !== true && VNET_ID.test(target) && !SUBNET_ID.test(target);
}

export function gatewaySnapshotOf(entry: VnetInfoResource): GatewayConnectionSnapshot {
  return {
    name: entry.name ?? '',
    vnetResourceId: entry.vnetResourceId ?? '',
    ...(typeof entry.resyncRequired === 'boolean' ? { resyncRequired: entry.resyncRequired } : {}),
    ...(typeof entry.dnsServers === 'string' && entry.dnsServers !== '' ? { dnsServers: entry.dnsServers } : {}),
  };
}

/** The gateway-based connections of an app, as snapshots, sorted by name. */
export function gatewaySnapshots(entries: readonly VnetInfoResource[]): GatewayConnectionSnapshot[] {
  return entries.filter(isGatewayConnection).map(gatewaySnapshotOf).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase(), 'en'));
}

export function findByName<T extends { readonly name?: string }>(entries: readonly T[], name: string): T | undefined {
  return entries.find((e) => (e.name ?? '').toLowerCase() === name.toLowerCase());
}
