/**
 * A small test-side discovery: builds the planner's Inventory by reading ARM through the real SDK clients, the way
 * the product's collector will. It never looks at the scenario JSON, so whatever the planner later decides rests only
 * on what the simulator answers over ARM.
 */
import type { TokenCredential } from '@azure/identity';
import type { Site, VnetInfoResource, VnetRoute } from '@azure/arm-appservice';
import type { SecurityRule, Subnet, VirtualNetwork } from '@azure/arm-network';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import { parseInventory, type Inventory, type InventoryInput } from '../../src/domain/inventory.js';
import { LEGACY_ROUTING_SETTINGS } from '../../src/domain/routing.js';
import { parseResourceId, parseResourceIdOf } from '../../src/domain/resource-id.js';

type AppInput = InventoryInput['apps'][number];
type PlanInput = InventoryInput['plans'][number];
type VnetInput = InventoryInput['virtualNetworks'][number];
type SubnetInput = NonNullable<VnetInput['subnets']>[number];
type NsgInput = NonNullable<InventoryInput['networkSecurityGroups']>[number];
type RouteInput = { startAddress: string; endAddress: string; routeType?: string };

/** Where an app lives, as the SDK's site and slot operations address it. */
export interface AppAddress {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly site: string;
  readonly slot: string | undefined;
}

/** What discovery learned beyond the inventory: the host name the app answers on, per app id (lower-cased). */
export interface DiscoveredWorld {
  readonly inventory: Inventory;
  readonly hostNames: ReadonlyMap<string, string>;
}

export function addressOf(appId: string): AppAddress {
  const parsed = parseResourceId(appId);
  if (parsed.kind === 'site') return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, site: parsed.name, slot: undefined };
  if (parsed.kind === 'slot') return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, site: parsed.site, slot: parsed.name };
  throw new Error(`${appId} is neither a site nor a slot id`);
}

const SUBNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const VNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i;

/** Gateway-based = not swift, and a VNet (not a subnet) id (../shared/notes/arm-surface.md, "Telling the two apart"). */
export function isGatewayConnection(entry: VnetInfoResource): boolean {
  const target = entry.vnetResourceId ?? '';
  return entry.isSwift !== true && VNET_ID.test(target) && !SUBNET_ID.test(target);
}

function routesOf(routes: readonly VnetRoute[] | undefined): RouteInput[] {
  return (routes ?? []).flatMap((r) =>
    r.startAddress === undefined
      ? []
      : [{ startAddress: r.startAddress, endAddress: r.endAddress ?? r.startAddress, ...(r.routeType === undefined ? {} : { routeType: r.routeType }) }],
  );
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}

/** Runs one read and turns an SDK failure into the product's error, naming what was being read. */
async function read<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toArmError(error, operation);
  }
}

async function discoverApp(clients: ArmClients, site: Site, slots: readonly Site[]): Promise<AppInput> {
  const id = site.id ?? '';
  const at = addressOf(id);
  const { web } = clients;
  const connections = await read(`list VNet connections of ${id}`, () =>
    at.slot === undefined ? web.webApps.listVnetConnections(at.resourceGroup, at.site) : web.webApps.listVnetConnectionsSlot(at.resourceGroup, at.site, at.slot),
  );
  const settings = await read(`list app settings of ${id}`, () =>
    at.slot === undefined ? web.webApps.listApplicationSettings(at.resourceGroup, at.site) : web.webApps.listApplicationSettingsSlot(at.resourceGroup, at.site, at.slot),
  );
  const values = settings.properties ?? {};
  const routingSettings: Record<string, string> = {};
  // Only the three routing switches keep their values: other settings may hold secrets, so only names travel.
  for (const name of LEGACY_ROUTING_SETTINGS) {
    const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : values[key];
    if (value !== undefined) routingSettings[name] = value;
  }
  const regional = site.virtualNetworkSubnetId;
  return {
    id,
    kind: site.kind ?? 'app',
    reserved: site.reserved ?? false,
    hyperV: site.hyperV ?? false,
    location: site.location,
    planId: site.serverFarmId ?? '',
    slots: slots.map((s) => s.id ?? ''),
    appSettingNames: Object.keys(values),
    routingSettings,
    gatewayConnections: connections.filter(isGatewayConnection).map((c) => ({ vnetId: c.vnetResourceId ?? '', routes: routesOf(c.routes) })),
    regionalSubnetId: typeof regional === 'string' && regional !== '' ? regional : null,
  };
}

async function discoverPlans(clients: ArmClients): Promise<PlanInput[]> {
  const plans = await read('list App Service plans', () => collect(clients.web.appServicePlans.list()));
  return Promise.all(
    plans.map(async (plan) => {
      const id = plan.id ?? '';
      const parsed = parseResourceId(id);
      const rg = 'resourceGroup' in parsed ? parsed.resourceGroup : '';
      const name = plan.name ?? '';
      const connections = await read(`list VNets of plan ${id}`, () => clients.web.appServicePlans.listVnets(rg, name));
      const vnetRoutes = await Promise.all(
        connections.filter(isGatewayConnection).map(async (c) => ({
          vnetId: c.vnetResourceId ?? '',
          routes: routesOf(await read(`list routes of plan ${id} for ${c.name ?? ''}`, () => clients.web.appServicePlans.listRoutesForVnet(rg, name, c.name ?? ''))),
        })),
      );
      return {
        id,
        location: plan.location,
        sku: { name: plan.sku?.name ?? '', tier: plan.sku?.tier ?? '' },
        maximumNumberOfWorkers: plan.maximumNumberOfWorkers ?? plan.sku?.capacity ?? 1,
        ...(plan.maximumElasticWorkerCount === undefined || plan.maximumElasticWorkerCount < 1 ? {} : { maximumElasticWorkerCount: plan.maximumElasticWorkerCount }),
        vnetRoutes,
      };
    }),
  );
}

function subnetOf(subnet: Subnet): SubnetInput {
  const prefix = subnet.addressPrefix ?? subnet.addressPrefixes?.[0] ?? '';
  return {
    id: subnet.id ?? '',
    addressPrefix: prefix,
    delegations: (subnet.delegations ?? []).flatMap((d) => (d.serviceName === undefined ? [] : [d.serviceName])),
    serviceAssociationLinks: (subnet.serviceAssociationLinks ?? []).map((l) => ({ linkedResourceType: l.linkedResourceType ?? '', link: l.link ?? '' })),
    networkSecurityGroupId: subnet.networkSecurityGroup?.id ?? null,
    inUse: (subnet.ipConfigurations?.length ?? 0) > 0 || (subnet.privateEndpoints?.length ?? 0) > 0,
  };
}

function vnetOf(vnet: VirtualNetwork): VnetInput {
  return {
    id: vnet.id ?? '',
    location: vnet.location ?? '',
    addressPrefixes: vnet.addressSpace?.addressPrefixes ?? [],
    subnets: (vnet.subnets ?? []).map(subnetOf),
    peerings: (vnet.virtualNetworkPeerings ?? []).map((p) => ({ id: p.id ?? '', remoteVnetId: p.remoteVirtualNetwork?.id ?? '', state: p.peeringState ?? 'Unknown' })),
  };
}

function ruleOf(rule: SecurityRule): NonNullable<NsgInput['rules']>[number] {
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

/** Reads one subscription: sites, their slots (each slot its own app entry), plans, VNets and NSGs. */
async function discoverSubscription(clients: ArmClients, subscriptionId: string): Promise<{ apps: AppInput[]; plans: PlanInput[]; vnets: VnetInput[]; nsgs: NsgInput[]; hostNames: [string, string][] }> {
  const sites = await read('list sites', () => collect(clients.web.webApps.list()));
  const apps: AppInput[] = [];
  const hostNames: [string, string][] = [];
  for (const site of sites) {
    const at = addressOf(site.id ?? '');
    const slots = await read(`list slots of ${site.id ?? ''}`, () => collect(clients.web.webApps.listSlots(at.resourceGroup, at.site)));
    apps.push(await discoverApp(clients, site, slots));
    hostNames.push([(site.id ?? '').toLowerCase(), site.defaultHostName ?? '']);
    for (const slot of slots) {
      apps.push(await discoverApp(clients, slot, []));
      hostNames.push([(slot.id ?? '').toLowerCase(), slot.defaultHostName ?? '']);
    }
  }
  const plans = await discoverPlans(clients);
  const vnets = (await read('list virtual networks', () => collect(clients.network.virtualNetworks.listAll()))).map(vnetOf);
  // The simulator lists NSGs by resource group only (docs/simulator.md), so read the ones subnets reference: they
  // are the only NSGs planning looks at (content share over the VNet on the integration subnet).
  const nsgIds = [...new Map(vnets.flatMap((v) => (v.subnets ?? []).flatMap((s) => (s.networkSecurityGroupId == null ? [] : [[s.networkSecurityGroupId.toLowerCase(), s.networkSecurityGroupId] as const])))).values()];
  const nsgs: NsgInput[] = [];
  for (const nsgId of nsgIds) {
    const parsed = parseResourceIdOf(nsgId, 'networkSecurityGroup');
    if (parsed.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) continue; // read with that subscription's clients
    const nsg = await read(`read network security group ${nsgId}`, () => clients.network.networkSecurityGroups.get(parsed.resourceGroup, parsed.name));
    nsgs.push({ id: nsg.id ?? nsgId, rules: (nsg.securityRules ?? []).map(ruleOf) });
  }
  return { apps, plans, vnets, nsgs, hostNames };
}

/** Reads every given subscription over ARM and validates the result with the product's own inventory schema. */
export async function discoverInventory(
  credential: TokenCredential,
  subscriptionIds: readonly string[],
  options: { readonly endpoint: string; readonly caPem: string },
): Promise<DiscoveredWorld> {
  const parts = [];
  for (const subscriptionId of subscriptionIds) parts.push(await discoverSubscription(createArmClients(credential, subscriptionId, options), subscriptionId));
  const input: InventoryInput = {
    apps: parts.flatMap((p) => p.apps),
    plans: parts.flatMap((p) => p.plans),
    virtualNetworks: parts.flatMap((p) => p.vnets),
    networkSecurityGroups: parts.flatMap((p) => p.nsgs),
  };
  return { inventory: parseInventory(input), hostNames: new Map(parts.flatMap((p) => p.hostNames)) };
}
