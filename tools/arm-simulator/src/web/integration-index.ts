import type { ResourceStore, StoreIndex, StoredResource } from '../store.js';

export const SITE_TYPE = 'Microsoft.Web/sites';
export const SLOT_TYPE = 'Microsoft.Web/sites/slots';
export const PLAN_TYPE = 'Microsoft.Web/serverfarms';

/**
 * App Service names a regional connection '{VNet resourceGuid}_{subnet}' in virtualNetworkConnections and in the
 * plan's virtualNetworkIntegrations.
 */
export function regionalConnectionName(store: ResourceStore, subnetId: string): string {
  const vnet = store.get(subnetId.replace(/\/subnets\/[^/]+$/i, ''));
  const guid = vnet?.properties['resourceGuid'];
  const subnetName = subnetId.split('/').pop() ?? '';
  return `${typeof guid === 'string' ? guid : '00000000-0000-0000-0000-000000000000'}_${subnetName}`;
}

/** Sites and slots: both carry their own integration. */
export function allApps(store: ResourceStore, scope?: string): StoredResource[] {
  return [...store.ofType(SITE_TYPE, scope), ...store.ofType(SLOT_TYPE, scope)];
}

export function subnetOfApp(app: StoredResource): string | undefined {
  const id = app.properties['virtualNetworkSubnetId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function planOfApp(app: StoredResource): string | undefined {
  const id = app.properties['serverFarmId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Sites and slots by the lower-cased subnet id of their regional integration. */
const APPS_BY_SUBNET: StoreIndex = {
  name: 'apps by regional subnet',
  types: [SITE_TYPE, SLOT_TYPE],
  keysOf: (app) => {
    const subnet = subnetOfApp(app);
    return subnet === undefined ? [] : [subnet.toLowerCase()];
  },
};

/** Sites and slots by the lower-cased id of their App Service plan. */
const APPS_BY_PLAN: StoreIndex = {
  name: 'apps by plan',
  types: [SITE_TYPE, SLOT_TYPE],
  keysOf: (app) => {
    const plan = planOfApp(app);
    return plan === undefined ? [] : [plan.toLowerCase()];
  },
};

const GATEWAY_TYPE = 'Microsoft.Network/virtualNetworkGateways';

/** Virtual network gateways by the lower-cased id of the VNet their ip configurations sit in (its GatewaySubnet). */
const GATEWAYS_BY_VNET: StoreIndex = {
  name: 'gateways by VNet',
  types: [GATEWAY_TYPE],
  keysOf: (gateway) => {
    const configs = gateway.properties['ipConfigurations'];
    if (!Array.isArray(configs)) return [];
    const vnets = new Set<string>();
    for (const config of configs as unknown[]) {
      const subnetId = (config as { properties?: { subnet?: { id?: unknown } } } | null)?.properties?.subnet?.id;
      const match = typeof subnetId === 'string' ? /^(.+)\/subnets\/[^/]+$/i.exec(subnetId) : null;
      if (match?.[1] !== undefined) vnets.add(match[1].toLowerCase());
    }
    return [...vnets];
  },
};

/** Gateways serving a VNet (a VNet has at most one VPN gateway in practice). */
export function gatewaysOfVnet(store: ResourceStore, vnetId: string): StoredResource[] {
  return store.lookup(GATEWAYS_BY_VNET, vnetId.toLowerCase());
}

/** Apps with regional integration into the subnet (sites first, then slots). */
export function appsInSubnet(store: ResourceStore, subnetId: string): StoredResource[] {
  return store.lookup(APPS_BY_SUBNET, subnetId.toLowerCase());
}

/** Apps (sites first, then slots) on the plan. */
export function appsOfPlanId(store: ResourceStore, planId: string): StoredResource[] {
  return store.lookup(APPS_BY_PLAN, planId.toLowerCase());
}

/** Plans (original-casing ids, first seen first) whose apps use the subnet. */
export function plansInSubnet(store: ResourceStore, subnetId: string): string[] {
  const seen = new Map<string, string>();
  for (const app of appsInSubnet(store, subnetId)) {
    const plan = planOfApp(app);
    if (plan !== undefined && !seen.has(plan.toLowerCase())) seen.set(plan.toLowerCase(), plan);
  }
  return [...seen.values()];
}

/** Distinct subnets the plan's apps are integrated with (regional). */
export function subnetsOfPlan(store: ResourceStore, planId: string): string[] {
  const seen = new Map<string, string>();
  for (const app of appsOfPlanId(store, planId)) {
    const subnet = subnetOfApp(app);
    if (subnet !== undefined && !seen.has(subnet.toLowerCase())) seen.set(subnet.toLowerCase(), subnet);
  }
  return [...seen.values()];
}
