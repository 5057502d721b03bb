import { ArmHttpError, notFound, parentNotFound } from '../arm-error.js';
import { deepClone, isRecord, newEtag, objectBody, paged, propertiesOf, sameLocation, stringProp } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import { subnetReferenceJoins } from '../linked-access.js';
import { idKey, parentIdOf } from '../resource-path.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { gatewaysOfVnet } from '../web/integration-index.js';
import { serviceAssociationLinks } from '../web/service-association-links.js';
import { contains, isIpv6Cidr, overlaps, parseIpv4Cidr } from './cidr.js';

export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
const WEB_DELEGATION = 'microsoft.web/serverfarms';

export function vnetIdOf(call: ArmCall): string {
  const { sub, rg, vnet } = call.params;
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}`;
}

export function subnetPrefixes(props: Readonly<Record<string, unknown>>): string[] {
  const single = props['addressPrefix'];
  const many = props['addressPrefixes'];
  if (typeof single === 'string') return [single];
  if (Array.isArray(many)) return many.filter((p): p is string => typeof p === 'string');
  return [];
}

export function delegatesToWeb(props: Readonly<Record<string, unknown>>): boolean {
  const delegations = props['delegations'];
  if (!Array.isArray(delegations)) return false;
  return delegations.some((d) => isRecord(d) && isRecord(d['properties']) && String(d['properties']['serviceName']).toLowerCase() === WEB_DELEGATION);
}

/** The subnet as ARM returns it: stored properties plus the links and states the platform maintains. */
export function renderSubnet(ctx: SimulatorContext, subnet: StoredResource): JsonObject {
  const props = deepClone(subnet.properties) as JsonObject;
  const delegations = Array.isArray(props['delegations']) ? props['delegations'] : [];
  props['delegations'] = delegations.map((d: unknown) => {
    const del = isRecord(d) ? d : {};
    const name = stringProp(del, 'name') ?? 'delegation';
    const dp = isRecord(del['properties']) ? del['properties'] : {};
    return {
      name,
      id: `${subnet.id}/delegations/${name}`,
      etag: subnet.etag,
      type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
      properties: { serviceName: dp['serviceName'] ?? '', actions: Array.isArray(dp['actions']) ? dp['actions'] : delegationActions(typeof dp['serviceName'] === 'string' ? dp['serviceName'] : ''), provisioningState: 'Succeeded' },
    };
  });
  const links = serviceAssociationLinks(ctx, subnet.id);
  if (links.length > 0) props['serviceAssociationLinks'] = links;
  else delete props['serviceAssociationLinks'];
  const ipConfigurations = gatewayIpConfigurationsIn(ctx, subnet);
  if (ipConfigurations.length > 0) props['ipConfigurations'] = ipConfigurations.map((id) => ({ id }));
  const running = ctx.operations.runningOn(idKey(subnet.id));
  props['provisioningState'] = running !== undefined ? (props['provisioningState'] === 'Deleting' ? 'Deleting' : 'Updating') : 'Succeeded';
  return { name: subnet.name, id: subnet.id, etag: subnet.etag, type: SUBNET_TYPE, properties: props };
}

function delegationActions(serviceName: string): string[] {
  return serviceName.toLowerCase() === WEB_DELEGATION ? ['Microsoft.Network/virtualNetworks/subnets/action'] : [];
}

/**
 * Validates a subnet definition against its VNet and siblings and returns what to store. Throws Microsoft.Network's
 * errors; nothing is written here.
 */
export function buildSubnet(
  ctx: SimulatorContext,
  vnet: StoredResource,
  name: string,
  input: JsonObject,
  siblings: readonly StoredResource[],
): StoredResource {
  const subnetId = `${vnet.id}/subnets/${name}`;
  const props = deepClone(input);
  delete props['provisioningState'];
  delete props['serviceAssociationLinks'];
  delete props['ipConfigurations'];
  const prefixes = subnetPrefixes(props);
  if (prefixes.length === 0) {
    throw new ArmHttpError(400, 'NoAddressPrefixOrPoolProvided', `Subnet '${name}' must have an address prefix or an IPAM pool.`, 'network');
  }
  const vnetRanges = (subnetPrefixes({ addressPrefixes: (isRecord(vnet.properties['addressSpace']) ? vnet.properties['addressSpace']['addressPrefixes'] : undefined) }))
    .map(parseIpv4Cidr)
    .filter((r) => r !== undefined);
  for (const prefix of prefixes) {
    if (isIpv6Cidr(prefix)) continue;
    const range = parseIpv4Cidr(prefix);
    if (range === undefined) {
      throw new ArmHttpError(400, 'InvalidAddressPrefixFormat', `Address prefix ${prefix} of resource ${subnetId} is not formatted correctly.`, 'network');
    }
    if (vnetRanges.length > 0 && !vnetRanges.some((r) => contains(r, range))) {
      throw new ArmHttpError(400, 'NetcfgSubnetRangeOutsideVnet', `Subnet '${name}' is not valid because its IP address range is outside the IP address range of virtual network '${vnet.name}'.`, 'network');
    }
    for (const sibling of siblings) {
      if (sibling.name.toLowerCase() === name.toLowerCase()) continue;
      for (const other of subnetPrefixes(sibling.properties)) {
        const otherRange = parseIpv4Cidr(other);
        if (otherRange !== undefined && overlaps(range, otherRange)) {
          throw new ArmHttpError(400, 'NetcfgSubnetRangesOverlap', `Subnet '${name}' is not valid because its IP address range overlaps with that of an existing subnet '${sibling.name}' in virtual network '${vnet.name}'.`, 'network');
        }
      }
    }
  }
  for (const refName of ['networkSecurityGroup', 'routeTable', 'natGateway']) {
    const ref = props[refName];
    if (!isRecord(ref) || typeof ref['id'] !== 'string') continue;
    const target = ctx.store.get(ref['id']);
    if (target === undefined || (target.location !== undefined && vnet.location !== undefined && !sameLocation(target.location, vnet.location))) {
      throw new ArmHttpError(400, 'InvalidResourceReference', `Resource ${ref['id']} referenced by resource ${subnetId} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`, 'network');
    }
  }
  // App Service holds the subnet through its service association link: the delegation it relies on is frozen.
  const links = serviceAssociationLinks(ctx, subnetId);
  const link = links[0];
  if (link !== undefined && !delegatesToWeb(props)) {
    throw new ArmHttpError(
      400,
      'SubnetDelegationsCannotChangeWhenSubnetUsedByResource',
      `Delegations of subnet ${subnetId} cannot be changed from [Microsoft.Web/serverFarms] to [${describeDelegations(props)}] because it is being used by the resource ${String(link['id'])}.`,
      'network',
    );
  }
  return { id: subnetId, name, type: SUBNET_TYPE, properties: props, etag: newEtag() };
}

function describeDelegations(props: JsonObject): string {
  const delegations = Array.isArray(props['delegations']) ? props['delegations'] : [];
  return delegations
    .map((d: unknown) => (isRecord(d) && isRecord(d['properties']) ? String(d['properties']['serviceName']) : ''))
    .join(', ');
}

/** Refuses to remove a subnet App Service (or anything else) still holds. */
export function assertSubnetDeletable(ctx: SimulatorContext, subnet: StoredResource): void {
  const link = serviceAssociationLinks(ctx, subnet.id)[0];
  const user = link !== undefined ? String(link['id']) : gatewayIpConfigurationsIn(ctx, subnet)[0];
  if (user !== undefined) {
    throw new ArmHttpError(
      400,
      'InUseSubnetCannotBeDeleted',
      `Subnet ${subnet.name} is in use by ${user} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
      'network',
    );
  }
}

/**
 * The ids of the VPN gateways' IP configurations in this subnet: what ARM lists as the subnet's (read-only)
 * `ipConfigurations`, and what keeps it from being deleted (the simulator models no NICs or private endpoints).
 */
function gatewayIpConfigurationsIn(ctx: SimulatorContext, subnet: StoredResource): string[] {
  return gatewaysOfVnet(ctx.store, parentIdOf(subnet.id)).flatMap((gateway) => {
    const configs = gateway.properties['ipConfigurations'];
    return (Array.isArray(configs) ? configs : []).filter(isRecord).flatMap((config) => {
      const configSubnet = isRecord(config['properties']) && isRecord(config['properties']['subnet']) ? config['properties']['subnet']['id'] : undefined;
      return typeof configSubnet === 'string' && idKey(configSubnet) === idKey(subnet.id) ? [`${gateway.id}/ipConfigurations/${stringProp(config, 'name') ?? 'default'}`] : [];
    });
  });
}

function anotherOperation(ctx: SimulatorContext, resourceKey: string, what: string): void {
  const running = ctx.operations.runningOn(resourceKey);
  if (running === undefined) return;
  const seconds = Math.max(1, Math.ceil(ctx.operations.remainingMs(running) / ctx.clock.factor / 1000));
  throw new ArmHttpError(
    429,
    'RetryableErrorDueToAnotherOperation',
    `Operation '${what}' on ${resourceKey} cannot be performed because another operation (${running.id}) on the same resource is still in progress. Retry after it completes.`,
    'network',
    { 'Retry-After': String(seconds) },
  );
}

export function retryAfterSeconds(ctx: SimulatorContext, remainingSimMs: number): string {
  return String(Math.max(1, Math.ceil(remainingSimMs / ctx.clock.factor / 1000)));
}

function vnetOrParentMissing(call: ArmCall): StoredResource {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) throw parentNotFound(VNET_TYPE, call.params['vnet'] ?? '', call.params['rg']);
  return vnet;
}

export function putSubnet(call: ArmCall): ArmResult {
  const { ctx } = call;
  call.authorizeLinked(subnetReferenceJoins(propertiesOf(objectBody(call))));
  const vnet = vnetOrParentMissing(call);
  const name = call.params['subnet'] ?? '';
  const subnetId = `${vnet.id}/subnets/${name}`;
  anotherOperation(ctx, idKey(subnetId), 'PutSubnetOperation');
  const body = objectBody(call);
  const existing = ctx.store.get(subnetId);
  const stored = buildSubnet(ctx, vnet, existing?.name ?? name, propertiesOf(body), ctx.store.children(vnet.id, 'subnets'));
  ctx.store.put(stored);
  const op = ctx.operations.start({
    provider: 'Microsoft.Network',
    location: vnet.location ?? 'global',
    subscriptionId: call.params['sub'] ?? '',
    resourceKey: idKey(subnetId),
    durationMs: ctx.settings.longRunningOperationMs,
    complete: () => undefined,
  });
  const asyncUrl = `${ctx.baseUrl()}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${op.location}/operations/${op.id}?api-version=${call.apiVersion ?? ''}`;
  return {
    status: existing === undefined ? 201 : 200,
    body: renderSubnet(ctx, stored),
    headers: { 'Azure-AsyncOperation': asyncUrl, 'Retry-After': retryAfterSeconds(ctx, ctx.operations.remainingMs(op)) },
  };
}

export function getSubnet(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  const subnet = vnet === undefined ? undefined : call.ctx.store.get(`${vnet.id}/subnets/${call.params['subnet'] ?? ''}`);
  if (subnet === undefined) throw notFound(`${VNET_TYPE}/${call.params['vnet'] ?? ''}/subnets`, call.params['subnet'] ?? '', call.params['rg']);
  return { status: 200, body: renderSubnet(call.ctx, subnet) };
}

export function listSubnets(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) throw notFound(VNET_TYPE, call.params['vnet'] ?? '', call.params['rg']);
  return paged(call, call.ctx.store.children(vnet.id, 'subnets'), (s) => renderSubnet(call.ctx, s));
}

export function deleteSubnet(call: ArmCall): ArmResult {
  const { ctx } = call;
  const vnet = ctx.store.get(vnetIdOf(call));
  const subnet = vnet === undefined ? undefined : ctx.store.get(`${vnet.id}/subnets/${call.params['subnet'] ?? ''}`);
  if (subnet === undefined) return { status: 204 };
  anotherOperation(ctx, idKey(subnet.id), 'DeleteSubnetOperation');
  assertSubnetDeletable(ctx, subnet);
  ctx.store.put({ ...subnet, properties: { ...subnet.properties, provisioningState: 'Deleting' } });
  const op = ctx.operations.start({
    provider: 'Microsoft.Network',
    location: vnet?.location ?? 'global',
    subscriptionId: call.params['sub'] ?? '',
    resourceKey: idKey(subnet.id),
    durationMs: ctx.settings.longRunningOperationMs,
    complete: () => {
      ctx.store.deleteTree(subnet.id);
    },
  });
  const location = `${ctx.baseUrl()}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${op.location}/operationResults/${op.id}?api-version=${call.apiVersion ?? ''}`;
  return {
    status: 202,
    // Only Location: the SDK's delete poller then follows it (202 while running, 204 when done).
    headers: { Location: location, 'Retry-After': retryAfterSeconds(ctx, ctx.operations.remainingMs(op)) },
  };
}

/** GET .../subnets/{s}/serviceAssociationLinks: the links the platform keeps (App Service's AppServiceLink). */
export function listServiceAssociationLinks(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  const subnet = vnet === undefined ? undefined : call.ctx.store.get(`${vnet.id}/subnets/${call.params['subnet'] ?? ''}`);
  if (subnet === undefined) throw notFound(`${VNET_TYPE}/${call.params['vnet'] ?? ''}/subnets`, call.params['subnet'] ?? '', call.params['rg']);
  return { status: 200, body: { value: serviceAssociationLinks(call.ctx, subnet.id) } };
}
