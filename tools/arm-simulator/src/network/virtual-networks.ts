import { ArmHttpError, notFound, parentNotFound } from '../arm-error.js';
import { deepClone, isRecord, newEtag, objectBody, paged, propertiesOf, requireLocation, stringProp, tagsOf } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import { subnetReferenceJoins } from '../linked-access.js';
import { idKey } from '../resource-path.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { assertSubnetDeletable, buildSubnet, renderSubnet, VNET_TYPE, vnetIdOf } from './subnets.js';

export const PEERING_TYPE = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';

export function renderVnet(ctx: SimulatorContext, vnet: StoredResource): JsonObject {
  const props = deepClone(vnet.properties) as JsonObject;
  props['subnets'] = ctx.store.children(vnet.id, 'subnets').map((s) => renderSubnet(ctx, s));
  props['virtualNetworkPeerings'] = ctx.store.children(vnet.id, 'virtualNetworkPeerings').map((p) => renderPeering(ctx, p));
  props['provisioningState'] = 'Succeeded';
  return {
    name: vnet.name,
    id: vnet.id,
    etag: vnet.etag,
    type: VNET_TYPE,
    location: vnet.location,
    ...(vnet.tags === undefined ? {} : { tags: vnet.tags }),
    properties: props,
  };
}

/**
 * PUT virtualNetworks: inline subnets and peerings replace the current sets, as in ARM (a subnet left out is deleted,
 * which fails while App Service holds it). Answers synchronously with provisioningState Succeeded.
 */
export function putVnet(call: ArmCall): ArmResult {
  const { ctx } = call;
  const inline = propertiesOf(objectBody(call))['subnets'];
  call.authorizeLinked((Array.isArray(inline) ? inline : []).flatMap((s: unknown) => subnetReferenceJoins(isRecord(s) ? s['properties'] : undefined)));
  const id = vnetIdOf(call);
  const body = objectBody(call);
  const location = requireLocation(body, 'network');
  const props = deepClone(propertiesOf(body));
  const existing = ctx.store.get(id);
  if (existing !== undefined && existing.location !== undefined && idKey(existing.location.replace(/\s/g, '')) !== idKey(location.replace(/\s/g, ''))) {
    throw new ArmHttpError(400, 'InvalidResourceLocation', `The resource '${existing.name}' already exists in location '${existing.location}' in resource group '${call.params['rg'] ?? ''}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`, 'arm');
  }
  const inlineSubnets = Array.isArray(props['subnets']) ? props['subnets'] : [];
  const inlinePeerings = Array.isArray(props['virtualNetworkPeerings']) ? props['virtualNetworkPeerings'] : [];
  delete props['subnets'];
  delete props['virtualNetworkPeerings'];
  delete props['provisioningState'];
  if (!isRecord(props['addressSpace'])) props['addressSpace'] = { addressPrefixes: [] };
  props['resourceGuid'] = existing?.properties['resourceGuid'] ?? (typeof props['resourceGuid'] === 'string' ? props['resourceGuid'] : crypto.randomUUID());
  const tags = tagsOf(body);
  const vnet: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params['vnet'] ?? '',
    type: VNET_TYPE,
    location,
    ...(tags === undefined ? {} : { tags }),
    properties: props,
    etag: newEtag(),
  };
  ctx.store.put(vnet);

  const keep = new Set<string>();
  const built: StoredResource[] = [];
  for (const item of inlineSubnets) {
    if (!isRecord(item)) continue;
    const name = stringProp(item, 'name');
    if (name === undefined) throw new ArmHttpError(400, 'InvalidRequestFormat', 'Cannot parse the request: every subnet needs a name.', 'network');
    const subnet = buildSubnet(ctx, vnet, name, isRecord(item['properties']) ? item['properties'] : {}, built);
    built.push(subnet);
    keep.add(idKey(subnet.id));
  }
  if (existing !== undefined) {
    for (const old of ctx.store.children(vnet.id, 'subnets')) {
      if (!keep.has(idKey(old.id))) {
        assertSubnetDeletable(ctx, old);
        ctx.store.deleteTree(old.id);
      }
    }
  }
  for (const subnet of built) ctx.store.put(subnet);
  for (const item of inlinePeerings) {
    if (!isRecord(item)) continue;
    const name = stringProp(item, 'name');
    if (name === undefined) continue;
    ctx.store.put(buildPeering(vnet, name, item));
  }
  return { status: existing === undefined ? 201 : 200, body: renderVnet(ctx, vnet) };
}

export function getVnet(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) throw notFound(VNET_TYPE, call.params['vnet'] ?? '', call.params['rg']);
  return { status: 200, body: renderVnet(call.ctx, vnet) };
}

export function listVnets(call: ArmCall): ArmResult {
  const { sub, rg } = call.params;
  const scope = rg === undefined ? `/subscriptions/${sub}` : `/subscriptions/${sub}/resourceGroups/${rg}`;
  return paged(call, call.ctx.store.ofType(VNET_TYPE, scope), (v) => renderVnet(call.ctx, v));
}

export function deleteVnet(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) return { status: 204 };
  for (const subnet of call.ctx.store.children(vnet.id, 'subnets')) assertSubnetDeletable(call.ctx, subnet);
  call.ctx.store.deleteTree(vnet.id);
  return { status: 200 };
}

// ---- peerings ----

function buildPeering(vnet: StoredResource, name: string, input: JsonObject): StoredResource {
  const props = deepClone(propertiesOf(input));
  const remote = props['remoteVirtualNetwork'];
  if (!isRecord(remote) || typeof remote['id'] !== 'string') {
    throw new ArmHttpError(400, 'InvalidRequestFormat', `Peering '${name}' must reference remoteVirtualNetwork.id.`, 'network');
  }
  delete props['peeringState'];
  delete props['provisioningState'];
  return { id: `${vnet.id}/virtualNetworkPeerings/${name}`, name, type: PEERING_TYPE, properties: props, etag: newEtag() };
}

/** Connected once the remote VNet peers back, Initiated until then, Disconnected if the remote is gone. */
function renderPeering(ctx: SimulatorContext, peering: StoredResource): JsonObject {
  const props = deepClone(peering.properties) as JsonObject;
  const remoteId = String((props['remoteVirtualNetwork'] as JsonObject)['id']);
  const localVnetId = peering.id.split('/virtualNetworkPeerings/')[0] ?? '';
  const remote = ctx.store.get(remoteId);
  const peersBack = ctx.store.children(remoteId, 'virtualNetworkPeerings').some((p) => {
    const r = p.properties['remoteVirtualNetwork'];
    return isRecord(r) && typeof r['id'] === 'string' && idKey(r['id']) === idKey(localVnetId);
  });
  props['peeringState'] = remote === undefined ? 'Disconnected' : peersBack ? 'Connected' : 'Initiated';
  props['peeringSyncLevel'] = 'FullyInSync';
  if (remote !== undefined) {
    props['remoteAddressSpace'] = remote.properties['addressSpace'];
    props['remoteVirtualNetworkAddressSpace'] = remote.properties['addressSpace'];
  }
  props['allowVirtualNetworkAccess'] = props['allowVirtualNetworkAccess'] ?? true;
  props['allowForwardedTraffic'] = props['allowForwardedTraffic'] ?? false;
  props['allowGatewayTransit'] = props['allowGatewayTransit'] ?? false;
  props['useRemoteGateways'] = props['useRemoteGateways'] ?? false;
  props['provisioningState'] = 'Succeeded';
  return { name: peering.name, id: peering.id, etag: peering.etag, type: PEERING_TYPE, properties: props };
}

function peeringId(call: ArmCall): string {
  return `${vnetIdOf(call)}/virtualNetworkPeerings/${call.params['peering'] ?? ''}`;
}

export function putPeering(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) throw parentNotFound(VNET_TYPE, call.params['vnet'] ?? '', call.params['rg']);
  const existing = call.ctx.store.get(peeringId(call));
  const peering = buildPeering(vnet, existing?.name ?? call.params['peering'] ?? '', objectBody(call));
  call.ctx.store.put(peering);
  return { status: existing === undefined ? 201 : 200, body: renderPeering(call.ctx, peering) };
}

export function getPeering(call: ArmCall): ArmResult {
  const peering = call.ctx.store.get(peeringId(call));
  if (peering === undefined) throw notFound(`${VNET_TYPE}/${call.params['vnet'] ?? ''}/virtualNetworkPeerings`, call.params['peering'] ?? '', call.params['rg']);
  return { status: 200, body: renderPeering(call.ctx, peering) };
}

export function listPeerings(call: ArmCall): ArmResult {
  const vnet = call.ctx.store.get(vnetIdOf(call));
  if (vnet === undefined) throw notFound(VNET_TYPE, call.params['vnet'] ?? '', call.params['rg']);
  return paged(call, call.ctx.store.children(vnet.id, 'virtualNetworkPeerings'), (p) => renderPeering(call.ctx, p));
}

export function deletePeering(call: ArmCall): ArmResult {
  return { status: call.ctx.store.deleteTree(peeringId(call)) ? 200 : 204 };
}
