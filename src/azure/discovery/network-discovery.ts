import type { VirtualNetwork } from '@azure/arm-network';
import { compareResourceIds, formatResourceId, parentVnetOf, parseResourceIdOf, resourceIdKey } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import type { ArmCallOptions, ArmReader } from './arm-reader.js';
import type { DiscoveredPeering } from './fleet-discovery.js';
import { nsgShape, peeringsOf, vnetShape, type InventoryNsgInput, type InventoryVnetInput } from './network-shapes.js';

export interface NetworkNeeds {
  /** The scope's subscriptions: their VNets are listed (a page holds many), others are read by id. */
  readonly subscriptionIds: readonly string[];
  /** VNets the apps reach through the gateway: they must exist (the planner needs their location and space). */
  readonly gatewayVnetIds: readonly string[];
  /** Subnets of the apps' regional integration. */
  readonly regionalSubnetIds: readonly string[];
}

export interface NetworkDiscovery {
  readonly virtualNetworks: InventoryVnetInput[];
  readonly networkSecurityGroups: InventoryNsgInput[];
  readonly peerings: DiscoveredPeering[];
}

/**
 * Reads the VNets the discovered apps need, wherever they live: the gateway VNets, the VNets of regional subnets,
 * and every VNet peered with a gateway VNet from either side (a cross-region app's target is an in-region peer,
 * and the planner checks both halves of a peering). VNets of the scope's subscriptions come from one paged list per
 * subscription; any other is read by id with its own subscription's clients. NSGs are read (by id) only for the
 * subnets of gateway VNets and their peers, the only subnets an app can be moved into.
 */
export async function discoverNetworks(reader: ArmReader, clientsFor: (subscriptionId: string) => ArmClients, needs: NetworkNeeds): Promise<NetworkDiscovery> {
  const regionalVnetIds = needs.regionalSubnetIds.map((id) => formatResourceId(parentVnetOf(parseResourceIdOf(id, 'subnet'))));
  if (needs.gatewayVnetIds.length === 0 && regionalVnetIds.length === 0) return { virtualNetworks: [], networkSecurityGroups: [], peerings: [] };

  const known = new Map<string, VirtualNetwork>();
  const lists = await Promise.all(
    needs.subscriptionIds.map((subscriptionId) =>
      reader.in(subscriptionId).list(`list the virtual networks of subscription ${subscriptionId}`, (o) => clientsFor(subscriptionId).network.virtualNetworks.listAll(o)),
    ),
  );
  for (const vnet of lists.flat()) known.set(resourceIdKey(vnet.id ?? ''), vnet);

  const readMissing = async (ids: Iterable<string>, required: boolean): Promise<void> => {
    const missing = unique([...ids].filter((id) => !known.has(resourceIdKey(id))));
    const read = await Promise.all(missing.map((id) => readVnet(reader, clientsFor, id, required)));
    for (const vnet of read) if (vnet !== undefined) known.set(resourceIdKey(vnet.id ?? ''), vnet);
  };
  await readMissing(needs.gatewayVnetIds, true);
  const gatewayKeys = new Set(needs.gatewayVnetIds.map((id) => resourceIdKey(id)));
  // Peers: the gateway VNets' own peerings' remotes, and any listed VNet with a peering to a gateway VNet.
  const peerIds = unique([
    ...[...gatewayKeys].flatMap((key) => (known.get(key)?.virtualNetworkPeerings ?? []).map((p) => p.remoteVirtualNetwork?.id ?? '').filter((id) => id !== '')),
    ...[...known.values()].filter((v) => (v.virtualNetworkPeerings ?? []).some((p) => gatewayKeys.has(resourceIdKey(p.remoteVirtualNetwork?.id ?? '/')))).map((v) => v.id ?? ''),
  ]);
  // A regional subnet's or a peer's VNet may be gone (a peering left Disconnected): that is a fact, not a failure.
  await readMissing([...regionalVnetIds, ...peerIds], false);

  const targetKeys = new Set([...gatewayKeys, ...peerIds.map((id) => resourceIdKey(id))]);
  const wantedKeys = new Set([...targetKeys, ...regionalVnetIds.map((v) => resourceIdKey(v))]);
  const vnets = [...wantedKeys].flatMap((key) => {
    const vnet = known.get(key);
    return vnet === undefined ? [] : [vnet];
  });
  const nsgIds = unique(
    vnets
      .filter((v) => targetKeys.has(resourceIdKey(v.id ?? '')))
      .flatMap((v) => (v.subnets ?? []).flatMap((s) => (s.networkSecurityGroup?.id === undefined ? [] : [s.networkSecurityGroup.id]))),
  );
  const nsgs = await Promise.all(
    nsgIds.map(async (id) => {
      const at = parseResourceIdOf(id, 'networkSecurityGroup');
      const nsg = await reader.in(at.subscriptionId).get(`read network security group ${id}`, (o) => clientsFor(at.subscriptionId).network.networkSecurityGroups.get(at.resourceGroup, at.name, o));
      return nsgShape(nsg, id);
    }),
  );
  return {
    virtualNetworks: vnets.map(vnetShape).sort((a, b) => compareResourceIds(a.id, b.id)),
    networkSecurityGroups: nsgs.sort((a, b) => compareResourceIds(a.id, b.id)),
    peerings: vnets.flatMap(peeringsOf).sort((a, b) => compareResourceIds(a.id, b.id)),
  };
}

async function readVnet(reader: ArmReader, clientsFor: (subscriptionId: string) => ArmClients, id: string, required: boolean): Promise<VirtualNetwork | undefined> {
  const at = parseResourceIdOf(id, 'virtualNetwork');
  const operation = `read virtual network ${id}`;
  const get = (o: ArmCallOptions): Promise<VirtualNetwork> => clientsFor(at.subscriptionId).network.virtualNetworks.get(at.resourceGroup, at.name, o);
  const subscription = reader.in(at.subscriptionId);
  return required ? subscription.get(operation, get) : subscription.getIfExists(operation, get);
}

/** Ids without case-insensitive duplicates, first spelling kept. */
function unique(ids: readonly string[]): string[] {
  return [...new Map(ids.map((id) => [resourceIdKey(id), id] as const)).values()];
}
