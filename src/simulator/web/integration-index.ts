import type { ResourceStore, StoredResource } from '../store.js';

export const SITE_TYPE = 'Microsoft.Web/sites';
export const SLOT_TYPE = 'Microsoft.Web/sites/slots';
export const PLAN_TYPE = 'Microsoft.Web/serverfarms';

function normalizedLocationOf(store: ResourceStore, subnetId: string): string {
  const vnet = store.get(subnetId.replace(/\/subnets\/[^/]+$/i, ''));
  return (vnet?.location ?? '').replace(/\s+/g, '').toLowerCase();
}

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

/** Apps with regional integration into the subnet. */
export function appsInSubnet(store: ResourceStore, subnetId: string): StoredResource[] {
  const key = subnetId.toLowerCase();
  return allApps(store).filter((app) => subnetOfApp(app)?.toLowerCase() === key);
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
  const key = planId.toLowerCase();
  const seen = new Map<string, string>();
  for (const app of allApps(store)) {
    if (planOfApp(app)?.toLowerCase() !== key) continue;
    const subnet = subnetOfApp(app);
    if (subnet !== undefined && !seen.has(subnet.toLowerCase())) seen.set(subnet.toLowerCase(), subnet);
  }
  return [...seen.values()];
}

/**
 * The service association link App Service keeps on a subnet while any app of a plan is integrated with it:
 * present from the first app's join to the last app's leave, linking the (first) plan.
 */
export function serviceAssociationLinks(store: ResourceStore, subnetId: string): Record<string, unknown>[] {
  const plans = plansInSubnet(store, subnetId);
  const plan = plans[0];
  if (plan === undefined) return [];
  return [
    {
      name: 'AppServiceLink',
      id: `${subnetId}/serviceAssociationLinks/AppServiceLink`,
      etag: 'W/"00000000-0000-0000-0000-000000000000"',
      type: 'Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks',
      properties: {
        linkedResourceType: 'Microsoft.Web/serverfarms',
        link: plan,
        enabledForArmDeployments: false,
        allowDelete: false,
        locations: [normalizedLocationOf(store, subnetId)],
        provisioningState: 'Succeeded',
      },
    },
  ];
}
