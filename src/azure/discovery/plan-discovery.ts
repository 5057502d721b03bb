import type { AppServicePlan } from '@azure/arm-appservice';
import type { InventoryInput } from '../../domain/inventory.js';
import { compareResourceIds, parseResourceIdOf, resourceIdKey } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import type { ArmReader, SubscriptionReader } from './arm-reader.js';
import { routesOf } from './gateway-connection.js';

export type InventoryPlanInput = InventoryInput['plans'][number];

/** A plan the discovered apps run on, and the gateway VNets its apps connect to (whose plan routes are read). */
export interface NeededPlan {
  readonly id: string;
  readonly gatewayVnetIds: readonly string[];
}

/**
 * Reads the plans the discovered apps need: one paged list per subscription holding any (cheaper than a GET per
 * plan once a subscription has more than a page's worth), a GET for one the list did not return, and the plan's
 * routes only for VNets its apps reach through the gateway (serverfarms/{p}/virtualNetworkConnections/{vnet}/routes,
 * which include the INHERITED routes of the gateway's on-premises networks).
 */
export async function discoverPlans(reader: ArmReader, clientsFor: (subscriptionId: string) => ArmClients, needed: readonly NeededPlan[]): Promise<InventoryPlanInput[]> {
  const bySubscription = new Map<string, NeededPlan[]>();
  for (const plan of needed) {
    const subscriptionId = parseResourceIdOf(plan.id, 'serverFarm').subscriptionId;
    const list = bySubscription.get(subscriptionId.toLowerCase()) ?? [];
    list.push(plan);
    bySubscription.set(subscriptionId.toLowerCase(), list);
  }
  const plans = await Promise.all(
    [...bySubscription.values()].map(async (wanted) => {
      const subscriptionId = parseResourceIdOf(wanted[0]?.id ?? '', 'serverFarm').subscriptionId;
      const clients = clientsFor(subscriptionId);
      const listed = await reader.in(subscriptionId).list(`list the App Service plans of subscription ${subscriptionId}`, (o) => clients.web.appServicePlans.list(o));
      const byKey = new Map(listed.map((p) => [resourceIdKey(p.id ?? ''), p]));
      return Promise.all(wanted.map(async (plan) => readPlan(reader.in(subscriptionId), clients, plan, byKey.get(resourceIdKey(plan.id)))));
    }),
  );
  return plans.flat().sort((a, b) => compareResourceIds(a.id, b.id));
}

async function readPlan(reader: SubscriptionReader, clients: ArmClients, needed: NeededPlan, listed: AppServicePlan | undefined): Promise<InventoryPlanInput> {
  const at = parseResourceIdOf(needed.id, 'serverFarm');
  const plan = listed ?? (await reader.get(`read App Service plan ${needed.id}`, (o) => clients.web.appServicePlans.get(at.resourceGroup, at.name, o)));
  const vnetRoutes = await Promise.all(
    [...needed.gatewayVnetIds].sort(compareResourceIds).map(async (vnetId) => {
      const vnetName = parseResourceIdOf(vnetId, 'virtualNetwork').name;
      const routes = await reader.get(`list the routes of App Service plan ${needed.id} for VNet ${vnetId}`, (o) =>
        clients.web.appServicePlans.listRoutesForVnet(at.resourceGroup, at.name, vnetName, o),
      );
      return { vnetId, routes: routesOf(routes) };
    }),
  );
  return {
    id: plan.id ?? needed.id,
    location: plan.location,
    sku: { name: plan.sku?.name ?? '', tier: plan.sku?.tier ?? '' },
    maximumNumberOfWorkers: plan.maximumNumberOfWorkers ?? plan.sku?.capacity ?? 1,
    ...(plan.maximumElasticWorkerCount === undefined || plan.maximumElasticWorkerCount < 1 ? {} : { maximumElasticWorkerCount: plan.maximumElasticWorkerCount }),
    vnetRoutes,
  };
}
