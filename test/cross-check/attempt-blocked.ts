/**
 * For every app the planner blocked for a rule reason, tries what an operator would try anyway and records whether
 * the simulator refuses it. Run after the planned migration: these attempts change the world (they disconnect the
 * blocked apps), so nothing else may be checked afterwards.
 */
import { AddressAllocator } from '../../src/domain/address-allocator.js';
import { formatCidr, parseCidr, type Cidr } from '../../src/domain/cidr.js';
import type { SkippedApp } from '../../src/domain/plan-builder.js';
import { WEB_DELEGATION } from '../../src/domain/plan-builder.js';
import { parseResourceIdOf, resourceIdKey } from '../../src/domain/resource-id.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { addressOf } from '../../src/azure/discovery/app-address.js';
import { describeFailure, POLL, type SubscriptionClients } from './execute-plan.js';

/** The blocked reasons whose refusal the simulator's rules can show. */
export const CHECKED_REASONS = ['plan-subnet-limit', 'cross-region-vnet', 'unsupported-sku', 'no-address-space'] as const;

export interface BlockedAttempt {
  readonly appId: string;
  readonly reason: SkippedApp['reason'];
  readonly attempted: string;
  /** Every refusal seen, `status code`; empty when the simulator accepted everything tried. */
  readonly refusals: readonly string[];
  readonly accepted: readonly string[];
}

const DELEGATION = { name: 'Microsoft.Web.serverFarms', serviceName: WEB_DELEGATION } as const;
/** The smallest subnet App Service accepts for regional integration (../shared/notes/arm-surface.md). */
const SMALLEST_REGIONAL_PREFIX = 28;

async function tryCall(label: string, call: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; refusal: string }> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    const failure = describeFailure(error, label);
    return { ok: false, refusal: `${label}: ${failure.statusCode ?? '?'} ${failure.code}` };
  }
}

/** Creates (once per VNet) a delegated /28 in the lowest free block, read fresh from ARM since the migration added subnets. */
async function delegatedSubnetIn(clients: SubscriptionClients, vnetId: string, made: Map<string, string>): Promise<string> {
  const known = made.get(resourceIdKey(vnetId));
  if (known !== undefined) return known;
  const vnet = parseResourceIdOf(vnetId, 'virtualNetwork');
  const { network } = clients.for(vnet.subscriptionId);
  const current = await network.virtualNetworks.get(vnet.resourceGroup, vnet.name);
  const used = (current.subnets ?? []).flatMap((s) => (s.addressPrefix === undefined ? [] : [parseCidr(s.addressPrefix)]));
  const block = new AddressAllocator((current.addressSpace?.addressPrefixes ?? []).map(parseCidr), used).allocate(SMALLEST_REGIONAL_PREFIX);
  const subnet = await network.subnets.beginCreateOrUpdateAndWait(vnet.resourceGroup, vnet.name, 'snet-cross-check-attempt', { addressPrefix: formatCidr(block), delegations: [DELEGATION] }, POLL);
  const id = subnet.id ?? `${vnetId}/subnets/snet-cross-check-attempt`;
  made.set(resourceIdKey(vnetId), id);
  return id;
}

/** Disconnects the app's gateway connections (one integration form at a time), then asks for the regional join. */
async function disconnectAndJoin(clients: SubscriptionClients, inventory: Inventory, appId: string, subnetId: string): Promise<{ ok: true } | { ok: false; refusal: string }> {
  const at = addressOf(appId);
  const { web } = clients.for(at.subscriptionId);
  const app = inventory.apps.find((a) => resourceIdKey(a.id) === resourceIdKey(appId));
  for (const connection of app?.gatewayConnections ?? []) {
    const name = parseResourceIdOf(connection.vnetId, 'virtualNetwork').name;
    const done = await tryCall(`disconnect ${name}`, () =>
      at.slot === undefined ? web.webApps.deleteVnetConnection(at.resourceGroup, at.site, name) : web.webApps.deleteVnetConnectionSlot(at.resourceGroup, at.site, name, at.slot),
    );
    if (!done.ok) return done;
  }
  return tryCall(`join ${subnetId.split('/').slice(-3).join('/')}`, () =>
    at.slot === undefined
      ? web.webApps.update(at.resourceGroup, at.site, { virtualNetworkSubnetId: subnetId })
      : web.webApps.updateSlot(at.resourceGroup, at.site, at.slot, { virtualNetworkSubnetId: subnetId }),
  );
}

function alignedBlocks(space: Cidr, prefixLength: number): Cidr[] {
  if (prefixLength < space.prefixLength) return [];
  const size = 2 ** (32 - prefixLength);
  const count = 2 ** (prefixLength - space.prefixLength);
  return Array.from({ length: count }, (_, i) => ({ network: space.network + i * size, prefixLength }));
}

/** Tries every aligned block of the planned size and of App Service's smallest: each must be refused by Network. */
async function attemptAddressSpace(clients: SubscriptionClients, skipped: SkippedApp): Promise<Omit<BlockedAttempt, 'appId' | 'reason'>> {
  const vnetId = String(skipped.details['vnetId']);
  const prefixLength = Number(skipped.details['prefixLength']);
  const vnet = parseResourceIdOf(vnetId, 'virtualNetwork');
  const { network } = clients.for(vnet.subscriptionId);
  const current = await network.virtualNetworks.get(vnet.resourceGroup, vnet.name);
  const spaces = (current.addressSpace?.addressPrefixes ?? []).map(parseCidr);
  const refusals: string[] = [];
  const accepted: string[] = [];
  for (const length of [...new Set([prefixLength, SMALLEST_REGIONAL_PREFIX])]) {
    for (const block of spaces.flatMap((space) => alignedBlocks(space, length))) {
      const name = `snet-cross-check-${formatCidr(block).replace(/[./]/g, '-')}`;
      const result = await tryCall(`create ${formatCidr(block)}`, () =>
        network.subnets.beginCreateOrUpdateAndWait(vnet.resourceGroup, vnet.name, name, { addressPrefix: formatCidr(block), delegations: [DELEGATION] }, POLL),
      );
      if (result.ok) accepted.push(`create ${formatCidr(block)}`);
      else refusals.push(result.refusal);
    }
  }
  return { attempted: `create a delegated subnet at every aligned /${prefixLength} and /${SMALLEST_REGIONAL_PREFIX} in ${vnet.name}`, refusals, accepted };
}

/** Attempts, in order, what each blocked app's reason says cannot be done. */
export async function attemptBlocked(clients: SubscriptionClients, inventory: Inventory, skipped: readonly SkippedApp[]): Promise<BlockedAttempt[]> {
  const made = new Map<string, string>();
  const attempts: BlockedAttempt[] = [];
  const checked = new Set<string>(CHECKED_REASONS);
  for (const app of skipped.filter((s) => s.outcome === 'blocked' && checked.has(s.reason))) {
    const inventoryApp = inventory.apps.find((a) => resourceIdKey(a.id) === resourceIdKey(app.appId));
    if (app.reason === 'no-address-space') {
      attempts.push({ appId: app.appId, reason: app.reason, ...(await attemptAddressSpace(clients, app)) });
      continue;
    }
    // cross-region-vnet: the gateway VNet itself (other region). unsupported-sku: the app's gateway VNet.
    // plan-subnet-limit: the VNet the planner would have targeted, one per app, so the plan reaches beyond its limit.
    const vnetIds =
      app.reason === 'cross-region-vnet'
        ? [String(app.details['gatewayVnetId'])]
        : app.reason === 'plan-subnet-limit'
          ? (app.details['targetVnetIds'] as string[] | undefined) ?? []
          : (inventoryApp?.gatewayConnections ?? []).map((c) => c.vnetId);
    const gatewayVnet = inventoryApp?.gatewayConnections[0]?.vnetId;
    const vnetId = vnetIds.find((v) => gatewayVnet !== undefined && resourceIdKey(v) === resourceIdKey(gatewayVnet)) ?? vnetIds[0];
    if (vnetId === undefined) {
      attempts.push({ appId: app.appId, reason: app.reason, attempted: 'nothing: no VNet to try', refusals: [], accepted: [] });
      continue;
    }
    const subnet = await tryCall(`prepare a subnet in ${vnetId}`, () => delegatedSubnetIn(clients, vnetId, made));
    if (!subnet.ok) {
      attempts.push({ appId: app.appId, reason: app.reason, attempted: `prepare a delegated subnet in ${vnetId}`, refusals: [subnet.refusal], accepted: [] });
      continue;
    }
    const subnetId = made.get(resourceIdKey(vnetId)) ?? '';
    const joined = await disconnectAndJoin(clients, inventory, app.appId, subnetId);
    attempts.push({
      appId: app.appId,
      reason: app.reason,
      attempted: `disconnect the gateway and join ${subnetId}`,
      refusals: joined.ok ? [] : [joined.refusal],
      accepted: joined.ok ? [`join ${subnetId}`] : [],
    });
  }
  return attempts;
}
