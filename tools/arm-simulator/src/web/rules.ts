import { ArmHttpError } from '../arm-error.js';
import { isRecord, sameLocation } from '../arm-helpers.js';
import { delegatesToWeb, subnetPrefixes } from '../network/subnets.js';
import { isIpv6Cidr, parseIpv4Cidr } from '../network/cidr.js';
import { nameOf, parentIdOf } from '../resource-path.js';
import type { SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { appsOfPlanId, gatewaysOfVnet, plansInSubnet, subnetsOfPlan } from './integration-index.js';

/** Subnets a plan may join with regional integration at once. */
export const PLAN_SUBNET_LIMIT = 2;
/** VNets a plan may reach with gateway-based integration. */
export const PLAN_GATEWAY_VNET_LIMIT = 5;
/** Smallest subnet regional integration accepts (/28) and smallest for a multi-plan subnet join (/26). */
export const MIN_SUBNET_PREFIX = 28;
export const MULTI_PLAN_MIN_PREFIX = 26;

const TIERS_WITH_VNET_INTEGRATION = new Set([
  'basic', 'standard', 'premium', 'premiumv2', 'premiumv3', 'premiumv4', 'premium0v3', 'premiummv3', 'elasticpremium', 'flexconsumption',
]);

const web = (status: number, code: string, message: string): ArmHttpError => new ArmHttpError(status, code, message, 'web');

/**
 * Flex Consumption apps integrate with a VNet only regionally, into a subnet delegated to Microsoft.App/environments
 * (not Microsoft.Web/serverFarms); gateway-required integration is not available to them (Microsoft Learn, Flex
 * Consumption networking).
 */
const FLEX_CONSUMPTION = 'flexconsumption';
const FLEX_DELEGATION = 'microsoft.app/environments';

function delegatesTo(props: Readonly<Record<string, unknown>>, serviceName: string): boolean {
  const delegations = props['delegations'];
  return (
    Array.isArray(delegations) &&
    delegations.some((d) => isRecord(d) && isRecord(d['properties']) && String(d['properties']['serviceName']).toLowerCase() === serviceName)
  );
}

export function planTier(plan: StoredResource): string {
  const tier = plan.sku?.['tier'];
  return typeof tier === 'string' ? tier : 'Free';
}

export function assertPlanSupportsVnetIntegration(plan: StoredResource): void {
  const tier = planTier(plan);
  if (!TIERS_WITH_VNET_INTEGRATION.has(tier.toLowerCase())) {
    throw web(400, 'VnetIntegrationNotSupportedForSku', `Virtual network integration is not supported for App Service plan '${plan.name}' in the ${tier} pricing tier. Scale the plan up to Basic, Standard, Premium (v2, v3, v4) or Elastic Premium and try again.`);
  }
}

export function gatewayConnectionsOf(ctx: SimulatorContext, app: StoredResource): StoredResource[] {
  return ctx.store.children(app.id, 'virtualNetworkConnections');
}

/**
 * Every rule App Service applies before an app joins a subnet (regional integration). Throws App Service's error;
 * writes nothing.
 */
export function assertRegionalJoin(ctx: SimulatorContext, app: StoredResource, plan: StoredResource, subnetId: string): void {
  assertPlanSupportsVnetIntegration(plan);
  const vnetId = parentIdOf(subnetId);
  const subnetName = nameOf(subnetId);
  const vnetName = nameOf(vnetId);
  if (!/\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(subnetId)) {
    throw web(400, 'InvalidSubnetResourceId', `The subnet resource id '${subnetId}' is not a valid subnet id: expected /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}.`);
  }
  const vnet = ctx.store.get(vnetId);
  const subnet = ctx.store.get(subnetId);
  if (vnet === undefined || subnet === undefined) {
    throw web(404, 'SubnetNotFound', `Subnet ${subnetName} in VNET ${vnetName} could not be found. Check that the subnet exists and that its resource id is spelled correctly.`);
  }
  if (!sameLocation(vnet.location, app.location)) {
    throw web(400, 'VnetRegionMismatch', `The virtual network ${vnetName} is in location '${vnet.location ?? ''}', but the app ${app.name} is in '${app.location ?? ''}'. Regional virtual network integration requires a VNET in the same region as the app; peer a VNET in the app's region or use a subnet there.`);
  }
  const prefixes = subnetPrefixes(subnet.properties);
  const ipv4 = prefixes.filter((p) => !isIpv6Cidr(p)).map(parseIpv4Cidr).filter((r) => r !== undefined);
  const widest = ipv4.reduce<number | undefined>((best, r) => (best === undefined || r.prefixLength < best ? r.prefixLength : best), undefined);
  if (widest === undefined) {
    throw web(400, 'SubnetNotIpv4', `Subnet ${subnetName} in VNET ${vnetName} has no IPv4 address range. Regional virtual network integration requires an IPv4 subnet.`);
  }
  if (widest > MIN_SUBNET_PREFIX) {
    throw web(400, 'SubnetTooSmall', `Subnet ${subnetName} in VNET ${vnetName} is too small: /${widest} has fewer than 16 addresses. Use a subnet of /${MIN_SUBNET_PREFIX} or larger (/26 recommended).`);
  }
  if (planTier(plan).toLowerCase() === FLEX_CONSUMPTION) {
    if (!delegatesTo(subnet.properties, FLEX_DELEGATION)) {
      throw web(400, 'SubnetMissingDelegation', `Subnet ${subnetName} in VNET ${vnetName} is missing a delegation to Microsoft.App/environments. Please add the delegation and try again.`);
    }
  } else if (!delegatesToWeb(subnet.properties)) {
    throw web(400, 'SubnetMissingDelegation', `Subnet ${subnetName} in VNET ${vnetName} is missing a delegation to Microsoft.Web/serverFarms. Please add the delegation and try again.`);
  }
  const gateway = gatewayConnectionsOf(ctx, app)[0];
  if (gateway !== undefined) {
    throw web(409, 'MultipleVnetIntegrationNotAllowed', `App ${app.name} already has a gateway-based virtual network integration with VNET ${gateway.name}. An app can use only one form of virtual network integration at a time: remove the gateway-based connection first.`);
  }
  const otherPlans = plansInSubnet(ctx.store, subnetId).filter((p) => p.toLowerCase() !== plan.id.toLowerCase());
  const occupant = otherPlans[0];
  if (occupant !== undefined && widest > MULTI_PLAN_MIN_PREFIX) {
    throw web(400, 'SubnetOccupied', `Subnet ${subnetName} in VNET ${vnetName} is already occupied by service ${occupant}.`);
  }
  const planSubnets = subnetsOfPlan(ctx.store, plan.id).filter((s) => s.toLowerCase() !== subnetId.toLowerCase());
  if (planSubnets.length >= PLAN_SUBNET_LIMIT) {
    throw web(409, 'PlanVnetLimitExceeded', `Adding this VNET would exceed the App Service Plan VNET limit of ${PLAN_SUBNET_LIMIT}.`);
  }
}

/** Rules for a gateway-based (point-to-site) connection. */
export function assertGatewayConnection(ctx: SimulatorContext, app: StoredResource, plan: StoredResource, vnetId: string): void {
  assertPlanSupportsVnetIntegration(plan);
  if (planTier(plan).toLowerCase() === FLEX_CONSUMPTION) {
    throw web(400, 'GatewayVnetIntegrationNotSupportedForSku', `Gateway-required virtual network integration is not supported for apps in the Flex Consumption plan '${plan.name}' (${app.name}). Use regional virtual network integration with a subnet delegated to Microsoft.App/environments.`);
  }
  if (app.properties['reserved'] === true) {
    throw web(400, 'GatewayVnetIntegrationNotSupportedOnLinux', `Gateway-required virtual network integration is not supported for Linux apps (${app.name}). Use regional virtual network integration.`);
  }
  if (app.properties['hyperV'] === true) {
    throw web(400, 'GatewayVnetIntegrationNotSupportedOnWindowsContainers', `Gateway-required virtual network integration is not supported for Windows container apps (${app.name}). Use regional virtual network integration.`);
  }
  if (typeof app.properties['virtualNetworkSubnetId'] === 'string' && app.properties['virtualNetworkSubnetId'] !== '') {
    throw web(409, 'MultipleVnetIntegrationNotAllowed', `App ${app.name} already has a regional virtual network integration with subnet ${String(app.properties['virtualNetworkSubnetId'])}. An app can use only one form of virtual network integration at a time: remove the regional integration first.`);
  }
  // "Enables an app to connect to only one virtual network at a time" (Microsoft Learn, gateway-required
  // virtual network integration). The caller re-putting its own connection never gets here.
  const other = gatewayConnectionsOf(ctx, app)[0];
  if (other !== undefined) {
    throw web(409, 'GatewayVnetIntegrationLimitExceeded', `App ${app.name} already has a gateway-required virtual network integration with VNET ${other.name}. Gateway-required virtual network integration connects an app to only one virtual network at a time: remove the connection to ${other.name} first.`);
  }
  const vnet = ctx.store.get(vnetId);
  if (vnet === undefined) {
    throw web(404, 'VnetNotFound', `Virtual network ${nameOf(vnetId)} could not be found. Check that the VNET exists and its resource id is spelled correctly.`);
  }
  const gateway = gatewaysOfVnet(ctx.store, vnet.id).find((g) => gatewayServesVnet(g, vnet.id));
  if (gateway === undefined) {
    throw web(400, 'VnetGatewayMissing', `Virtual network ${vnet.name} has no virtual network gateway. Gateway-required virtual network integration needs a route-based VPN gateway with point-to-site (SSTP) configured.`);
  }
  const props = gateway.properties;
  const vpnClient = props['vpnClientConfiguration'];
  const gatewayType = typeof props['gatewayType'] === 'string' ? props['gatewayType'] : 'Vpn';
  const vpnType = typeof props['vpnType'] === 'string' ? props['vpnType'] : 'RouteBased';
  if (gatewayType.toLowerCase() !== 'vpn' || vpnType.toLowerCase() !== 'routebased' || !isRecord(vpnClient)) {
    throw web(400, 'VnetGatewayNotSupported', `The gateway ${gateway.name} of virtual network ${vnet.name} is not a route-based VPN gateway with point-to-site configured; ExpressRoute and coexistence gateways are not supported by gateway-required virtual network integration.`);
  }
  const vnetNames = new Set<string>();
  for (const other of appsOfPlanId(ctx.store, plan.id)) {
    for (const conn of gatewayConnectionsOf(ctx, other)) vnetNames.add(conn.name.toLowerCase());
  }
  vnetNames.add(vnet.name.toLowerCase());
  if (vnetNames.size > PLAN_GATEWAY_VNET_LIMIT) {
    throw web(409, 'PlanVnetLimitExceeded', `Adding this VNET would exceed the App Service Plan VNET limit of ${PLAN_GATEWAY_VNET_LIMIT}.`);
  }
}

function gatewayServesVnet(gateway: StoredResource, vnetId: string): boolean {
  const configs = gateway.properties['ipConfigurations'];
  if (!Array.isArray(configs)) return false;
  return configs.some((c) => {
    if (!isRecord(c) || !isRecord(c['properties'])) return false;
    const subnet = c['properties']['subnet'];
    return isRecord(subnet) && typeof subnet['id'] === 'string' && subnet['id'].toLowerCase().startsWith(`${vnetId.toLowerCase()}/subnets/`);
  });
}
