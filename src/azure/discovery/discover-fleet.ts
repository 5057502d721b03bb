/**
 * Production fleet discovery: reads, over ARM, everything the planner needs about the apps a MigrationScope selects,
 * and nothing it does not. Order of work: sites and slots per subscription (paged, then filtered); per app its VNet
 * connections, and settings only when it has a gateway-based connection; then, in parallel, the apps' plans (routes
 * only for gateway VNets), the VNets they reach (with peers and NSGs) and the gateway VNets' VPN gateways.
 * Every list is sorted by resource id, so reading an unchanged fleet twice yields the same inventory and plan.
 */
import { parseInventory } from '../../domain/inventory.js';
import type { MigrationScope } from '../../domain/migration-request.js';
import { compareResourceIds, parseResourceId, resourceIdKey } from '../../domain/resource-id.js';
import { discoverApp, type AppDiscovery } from './app-discovery.js';
import { listSelectedApps } from './app-selection.js';
import { ArmReader } from './arm-reader.js';
import { DEFAULT_DISCOVERY_CONCURRENCY, DEFAULT_DISCOVERY_TOTAL_CONCURRENCY, type DiscoveryOptions, type FleetDiscovery } from './fleet-discovery.js';
import { discoverNetworks } from './network-discovery.js';
import { discoverPlans, type NeededPlan } from './plan-discovery.js';
import { ScopeFilter } from './scope-filter.js';
import { discoverVpnGateways } from './vpn-gateway-discovery.js';

export async function discoverFleet(scope: MigrationScope, options: DiscoveryOptions): Promise<FleetDiscovery> {
  const started = performance.now();
  const reader = new ArmReader(
    {
      perSubscription: options.concurrency ?? DEFAULT_DISCOVERY_CONCURRENCY,
      total: options.totalConcurrency ?? DEFAULT_DISCOVERY_TOTAL_CONCURRENCY,
      ...(options.firstRetryDelayInMs === undefined ? {} : { firstRetryDelayInMs: options.firstRetryDelayInMs }),
    },
    options.abortSignal,
  );
  const { clientsFor } = options;
  try {
    const subscriptionIds = uniqueCaseInsensitive(scope.subscriptionIds);
    const filter = new ScopeFilter(scope);
    const selected = (await Promise.all(subscriptionIds.map((s) => listSelectedApps(reader.in(s), clientsFor(s), s, filter)))).flat();
    const apps = (await Promise.all(selected.map((app) => {
        const subscriptionId = subscriptionOf(app.resource.id ?? '');
        return discoverApp(reader.in(subscriptionId), clientsFor(subscriptionId), app);
      }))).sort((a, b) =>
      compareResourceIds(a.inventory.id, b.inventory.id),
    );

    const gatewayVnetIds = uniqueIds(apps.flatMap((a) => (a.inventory.gatewayConnections ?? []).map((c) => c.vnetId)));
    const regionalSubnetIds = uniqueIds(apps.flatMap((a) => (a.inventory.regionalSubnetId == null ? [] : [a.inventory.regionalSubnetId])));
    const [plans, networks, gateways] = await Promise.all([
      discoverPlans(reader, clientsFor, neededPlans(apps)),
      discoverNetworks(reader, clientsFor, { subscriptionIds, gatewayVnetIds, regionalSubnetIds }),
      discoverVpnGateways(reader, clientsFor, gatewayVnetIds),
    ]);
    const inventory = parseInventory({
      apps: apps.map((a) => a.inventory),
      plans,
      virtualNetworks: networks.virtualNetworks,
      networkSecurityGroups: networks.networkSecurityGroups,
    });
    return {
      inventory,
      apps: apps.map((a) => a.discovered),
      gateways,
      peerings: networks.peerings,
      stats: { ...reader.counts, durationInMs: Math.round(performance.now() - started) },
    };
  } catch (error) {
    // Requests cancelled because another failed end with abort errors; the failure that stopped them is the news.
    throw reader.firstFailure ?? error;
  }
}

/** Each plan the apps run on, with the gateway VNets its apps connect to. */
function neededPlans(apps: readonly AppDiscovery[]): NeededPlan[] {
  const plans = new Map<string, { id: string; gatewayVnetIds: string[] }>();
  for (const { inventory: app } of apps) {
    const key = resourceIdKey(app.planId);
    const plan = plans.get(key) ?? { id: app.planId, gatewayVnetIds: [] };
    plan.gatewayVnetIds.push(...(app.gatewayConnections ?? []).map((c) => c.vnetId));
    plans.set(key, plan);
  }
  return [...plans.values()].map((p) => ({ id: p.id, gatewayVnetIds: uniqueIds(p.gatewayVnetIds) }));
}

function subscriptionOf(id: string): string {
  return parseResourceId(id).subscriptionId;
}

function uniqueIds(ids: readonly string[]): string[] {
  return [...new Map(ids.map((id) => [resourceIdKey(id), id] as const)).values()].sort(compareResourceIds);
}

function uniqueCaseInsensitive(values: readonly string[]): string[] {
  return [...new Map(values.map((v) => [v.toLowerCase(), v] as const)).values()];
}
