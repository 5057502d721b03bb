import { parseResourceIdOf } from '../../domain/resource-id.js';
import { sendArmRequest } from '../arm-raw-request.js';
import { toArmError } from '../to-arm-error.js';
import { writeConfirmed } from './confirmed-write.js';
import { sdkOptions, type OperationOptions } from './operation-options.js';
import { subnetTarget, type SubnetTarget } from './subnet-view.js';

/** An api-version of Microsoft.Web that has purgeUnusedVirtualNetworkIntegration (used with it in public reports). */
const PURGE_API_VERSION = '2024-04-01';
const IN_USE = 'InUseSubnetCannotBeDeleted';

export interface SubnetDeletion {
  readonly deleted: boolean;
  readonly reason?: string;
}

/**
 * Deletes a subnet the migration created, for a rollback, but only when nothing uses it: no IP configurations, and
 * no app of a plan in its service association links still integrated with it. App Service removes its link some
 * time after the last app leaves; a delete refused with InUseSubnetCannotBeDeleted while no app uses the subnet
 * is that lingering link, so App Service is asked once to purge unused integrations in the VNet's region and the
 * delete is tried once more. Still in use then: `{deleted: false, reason}`, for a later clean-up. Never loops.
 */
export async function deleteSubnetIfUnused(subnetId: string, opts: OperationOptions): Promise<SubnetDeletion> {
  const target = subnetTarget(subnetId, opts);
  const { id } = target;
  const operation = `delete integration subnet ${id.name} in VNet ${id.virtualNetwork}`;
  const subnet = await target.read(operation);
  if (subnet === undefined) return { deleted: false, reason: `subnet ${id.name} does not exist (already deleted)` };
  const ipConfigurations = subnet.ipConfigurations ?? [];
  if (ipConfigurations.length > 0) return { deleted: false, reason: `subnet ${id.name} is used by ${ipConfigurations.length} IP configuration(s)` };
  for (const link of subnet.serviceAssociationLinks ?? []) {
    if (link.link !== undefined && (await planUsesSubnet(link.link, subnetId, operation, opts))) {
      return { deleted: false, reason: `subnet ${id.name} is in use: apps of plan ${link.link} are integrated with it` };
    }
  }
  const first = await tryDelete(target, operation, opts);
  if (first === undefined) return { deleted: true };
  const purge = await purgeUnusedIntegrations(target, operation, opts);
  const second = await tryDelete(target, operation, opts);
  if (second === undefined) return { deleted: true };
  return { deleted: false, reason: `${second} ${purge}` };
}

/** Undefined when the subnet is gone; App Service's "in use" text when it refused for a link. Other failures throw. */
async function tryDelete(target: SubnetTarget, operation: string, opts: OperationOptions): Promise<string | undefined> {
  const { id } = target;
  let inUse: string | undefined;
  await writeConfirmed(
    operation,
    async () => {
      try {
        await target.clients.network.subnets.beginDeleteAndWait(id.resourceGroup, id.virtualNetwork, id.name, sdkOptions(opts));
      } catch (error) {
        const failure = toArmError(error, operation);
        if (failure.details?.['armCode'] !== IN_USE) throw failure;
        inUse = failure.message;
      }
    },
    async () => (await target.read(operation)) === undefined,
    opts,
  );
  return inUse;
}

/**
 * Whether any app of the plan is integrated with this subnet: the plan's VNet connections (GET
 * serverfarms/{p}/virtualNetworkConnections) list each VNet its apps and slots reach, the regional ones by subnet id.
 */
async function planUsesSubnet(planId: string, subnetId: string, operation: string, opts: OperationOptions): Promise<boolean> {
  const plan = parseResourceIdOf(planId, 'serverFarm');
  const { web } = opts.clientsFor(plan.subscriptionId);
  try {
    const connections = await web.appServicePlans.listVnets(plan.resourceGroup, plan.name, opts.abortSignal === undefined ? {} : { abortSignal: opts.abortSignal });
    return connections.some((c) => (c.vnetResourceId ?? '').toLowerCase() === subnetId.toLowerCase());
  } catch (error) {
    const failure = toArmError(error, operation);
    // A plan that no longer exists has no apps: its link is lingering.
    if (failure.code === 'ArmResourceNotFound') return false;
    throw failure;
  }
}

/** POST Microsoft.Web/locations/{location}/purgeUnusedVirtualNetworkIntegration; says in words what came of it. */
async function purgeUnusedIntegrations(target: SubnetTarget, operation: string, opts: OperationOptions): Promise<string> {
  const { id, clients } = target;
  try {
    const vnet = await clients.network.virtualNetworks.get(id.resourceGroup, id.virtualNetwork, opts.abortSignal === undefined ? {} : { abortSignal: opts.abortSignal });
    const location = (vnet.location ?? '').replace(/\s+/g, '').toLowerCase();
    await sendArmRequest(clients.web.pipeline, {
      method: 'POST',
      url: `${clients.endpoint}/subscriptions/${id.subscriptionId}/providers/Microsoft.Web/locations/${location}/purgeUnusedVirtualNetworkIntegration?api-version=${PURGE_API_VERSION}`,
      body: { subnetResourceId: target.subnetId },
      ...(opts.abortSignal === undefined ? {} : { abortSignal: opts.abortSignal }),
    });
    return 'App Service was asked to purge unused virtual network integrations, and the subnet is still in use.';
  } catch (error) {
    return `Purging unused virtual network integrations failed: ${toArmError(error, `purge unused VNet integrations for ${operation}`).message}`;
  }
}
