import { notFound } from './arm-error.js';
import type { ArmCall, ArmResult } from './router.js';
import { ArmRouter } from './router.js';
import { deleteSubnet, getSubnet, listServiceAssociationLinks, listSubnets, putSubnet, retryAfterSeconds } from './network/subnets.js';
import { deletePeering, deleteVnet, getPeering, getVnet, listPeerings, listVnets, putPeering, putVnet } from './network/virtual-networks.js';
import { simpleNetworkResource } from './network/simple-resources.js';
import { deletePlan, getPlan, listPlans, putPlan } from './web/plans.js';
import {
  deleteApp, getApp, getConfig, listAppSettings, listApps, patchApp, putApp, putAppSettings, restartApp, updateConfig,
} from './web/sites.js';
import {
  deleteAppConnection, deleteSwift, getAppConnection, getAppConnectionGateway, getPlanConnection, getPlanConnectionGateway,
  getPlanIntegration, getSwift, listAppConnections, listPlanIntegrations, listPlanConnectionRoutes, listPlanConnections, patchAppConnection, putAppConnection,
  putAppConnectionGateway, putSwift,
} from './web/vnet-connections.js';
import { purgeUnusedVirtualNetworkIntegration } from './web/service-association-links.js';

const RG = '/subscriptions/{sub}/resourceGroups/{rg}/providers';
const SUB = '/subscriptions/{sub}/providers';

/** Every ARM operation the simulator answers. */
export function createArmRouter(): ArmRouter {
  const r = new ArmRouter();

  // Microsoft.Network
  const vnet = `${RG}/Microsoft.Network/virtualNetworks/{vnet}`;
  r.add('GET', `${RG}/Microsoft.Network/virtualNetworks`, listVnets);
  r.add('GET', `${SUB}/Microsoft.Network/virtualNetworks`, listVnets);
  r.add('PUT', vnet, putVnet);
  r.add('GET', vnet, getVnet);
  r.add('DELETE', vnet, deleteVnet);
  r.add('GET', `${vnet}/subnets`, listSubnets);
  r.add('PUT', `${vnet}/subnets/{subnet}`, putSubnet);
  r.add('GET', `${vnet}/subnets/{subnet}`, getSubnet);
  r.add('DELETE', `${vnet}/subnets/{subnet}`, deleteSubnet);
  r.add('GET', `${vnet}/subnets/{subnet}/serviceAssociationLinks`, listServiceAssociationLinks);
  r.add('GET', `${vnet}/virtualNetworkPeerings`, listPeerings);
  r.add('PUT', `${vnet}/virtualNetworkPeerings/{peering}`, putPeering);
  r.add('GET', `${vnet}/virtualNetworkPeerings/{peering}`, getPeering);
  r.add('DELETE', `${vnet}/virtualNetworkPeerings/{peering}`, deletePeering);
  for (const [segment, children] of [
    ['virtualNetworkGateways', ['ipConfigurations']],
    ['networkSecurityGroups', ['securityRules']],
    ['routeTables', ['routes']],
    ['natGateways', []],
  ] as const) {
    const h = simpleNetworkResource(segment, children);
    r.add('GET', `${RG}/Microsoft.Network/${segment}`, h.list);
    r.add('PUT', `${RG}/Microsoft.Network/${segment}/{name}`, h.put);
    r.add('GET', `${RG}/Microsoft.Network/${segment}/{name}`, h.get);
    r.add('DELETE', `${RG}/Microsoft.Network/${segment}/{name}`, h.delete);
  }
  r.add('GET', `${SUB}/Microsoft.Network/locations/{location}/operations/{operation}`, asyncOperationStatus);
  r.add('GET', `${SUB}/Microsoft.Network/locations/{location}/operationResults/{operation}`, operationResult);

  // Microsoft.Web
  const plan = `${RG}/Microsoft.Web/serverfarms/{plan}`;
  r.add('GET', `${SUB}/Microsoft.Web/serverfarms`, listPlans);
  r.add('GET', `${RG}/Microsoft.Web/serverfarms`, listPlans);
  r.add('PUT', plan, putPlan);
  r.add('GET', plan, getPlan);
  r.add('DELETE', plan, deletePlan);
  r.add('GET', `${plan}/virtualNetworkIntegrations`, listPlanIntegrations);
  r.add('GET', `${plan}/virtualNetworkIntegrations/{integration}`, getPlanIntegration);
  r.add('GET', `${plan}/virtualNetworkConnections`, listPlanConnections);
  r.add('GET', `${plan}/virtualNetworkConnections/{vnet}`, getPlanConnection);
  r.add('GET', `${plan}/virtualNetworkConnections/{vnet}/routes`, listPlanConnectionRoutes);
  r.add('GET', `${plan}/virtualNetworkConnections/{vnet}/gateways/{gateway}`, getPlanConnectionGateway);

  r.add('GET', `${SUB}/Microsoft.Web/sites`, listApps);
  r.add('GET', `${RG}/Microsoft.Web/sites`, listApps);
  r.add('GET', `${RG}/Microsoft.Web/sites/{site}/slots`, listApps);
  r.addSiteScoped('PUT', '', putApp);
  r.addSiteScoped('PATCH', '', patchApp);
  r.addSiteScoped('GET', '', getApp);
  r.addSiteScoped('DELETE', '', deleteApp);
  r.addSiteScoped('GET', '/config/web', getConfig);
  r.addSiteScoped('PATCH', '/config/web', updateConfig(false));
  r.addSiteScoped('PUT', '/config/web', updateConfig(true));
  r.addSiteScoped('PUT', '/config/appsettings', putAppSettings);
  r.addSiteScoped('POST', '/config/appsettings/list', listAppSettings);
  r.addSiteScoped('POST', '/restart', restartApp);
  r.addSiteScoped('GET', '/virtualNetworkConnections', listAppConnections);
  r.addSiteScoped('GET', '/virtualNetworkConnections/{vnet}', getAppConnection);
  r.addSiteScoped('PUT', '/virtualNetworkConnections/{vnet}', putAppConnection);
  r.addSiteScoped('PATCH', '/virtualNetworkConnections/{vnet}', patchAppConnection);
  r.addSiteScoped('DELETE', '/virtualNetworkConnections/{vnet}', deleteAppConnection);
  r.addSiteScoped('GET', '/virtualNetworkConnections/{vnet}/gateways/{gateway}', getAppConnectionGateway);
  r.addSiteScoped('PUT', '/virtualNetworkConnections/{vnet}/gateways/{gateway}', putAppConnectionGateway);
  r.addSiteScoped('PATCH', '/virtualNetworkConnections/{vnet}/gateways/{gateway}', putAppConnectionGateway);
  r.addSiteScoped('GET', '/networkConfig/virtualNetwork', getSwift);
  r.addSiteScoped('PUT', '/networkConfig/virtualNetwork', putSwift);
  r.addSiteScoped('PATCH', '/networkConfig/virtualNetwork', putSwift);
  r.addSiteScoped('DELETE', '/networkConfig/virtualNetwork', deleteSwift);
  r.add('GET', `${SUB}/Microsoft.Web/locations/{location}/operationResults/{operation}`, operationResult);
  r.add('POST', `${SUB}/Microsoft.Web/locations/{location}/purgeUnusedVirtualNetworkIntegration`, purgeUnusedVirtualNetworkIntegration);
  return r;
}

function requireOperation(call: ArmCall) {
  const op = call.ctx.operations.get(call.params['operation'] ?? '');
  if (op === undefined) throw notFound('operations', call.params['operation'] ?? '', undefined);
  return op;
}

/** Azure-AsyncOperation: 200 {status} with Retry-After while InProgress. */
function asyncOperationStatus(call: ArmCall): ArmResult {
  const op = requireOperation(call);
  if (op.status === 'InProgress') {
    return { status: 200, body: { id: op.id, name: op.id, status: 'InProgress' }, headers: { 'Retry-After': retryAfterSeconds(call.ctx, call.ctx.operations.remainingMs(op)) } };
  }
  if (op.status === 'Failed') return { status: 200, body: { id: op.id, name: op.id, status: 'Failed', error: op.error } };
  return { status: 200, body: { id: op.id, name: op.id, status: 'Succeeded' } };
}

/** Location: 202 while running, then the result (200 with a body when the operation returns the resource, else 204). */
function operationResult(call: ArmCall): ArmResult {
  const op = requireOperation(call);
  if (op.status === 'InProgress') {
    const self = `${call.ctx.baseUrl()}${call.path}?${call.query.toString()}`;
    return { status: 202, headers: { Location: self, 'Retry-After': retryAfterSeconds(call.ctx, call.ctx.operations.remainingMs(op)) } };
  }
  if (op.status === 'Failed') return { status: 400, body: { error: op.error } };
  const body = op.finalBody?.();
  return body === undefined ? { status: 204 } : { status: 200, body };
}
