import type { Subnet } from '@azure/arm-network';
import { WEB_DELEGATION } from '../../domain/plan-builder.js';
import { writeConfirmed } from './confirmed-write.js';
import { SubnetMismatchError, SubnetNotReadyError } from './errors.js';
import { sdkOptions, type ChangeRecord, type OperationOptions } from './operation-options.js';
import { isDelegatedToWeb, prefixesOf, subnetTarget, subnetView, type SubnetView } from './subnet-view.js';

export interface EnsureSubnetStep {
  readonly action: 'create' | 'reuse';
  readonly subnetId: string;
  /** Required to create; when given for a reused subnet it must match. */
  readonly addressPrefix: string | null;
}

const READY = 'succeeded';

/**
 * Makes sure the integration subnet exists and is delegated to Microsoft.Web/serverFarms. `create` creates it
 * (long-running PUT) unless a subnet with that name, prefix and delegation is already there, as after a re-run;
 * one with another prefix, or without the delegation, is not ours to change and is refused. `reuse` only checks.
 * `created` is true only when this call created it: a caller deciding whether a rollback deletes the subnet should
 * go by the plan's `create`, since a crash can fall between the create and its record.
 */
export async function ensureSubnet(step: EnsureSubnetStep, opts: OperationOptions): Promise<ChangeRecord & { created: boolean }> {
  const target = subnetTarget(step.subnetId, opts);
  const { id } = target;
  const operation = `${step.action === 'create' ? 'create' : 'check'} integration subnet ${id.name} in VNet ${id.virtualNetwork}`;
  const action = `${step.action} subnet ${id.name}`;
  const existing = await target.read(operation);
  const fits = (subnet: Subnet): boolean => step.addressPrefix === null || prefixesOf(subnet).includes(step.addressPrefix);

  if (existing !== undefined) {
    const view = subnetView(existing);
    if (!fits(existing)) {
      throw new SubnetMismatchError(operation, `subnet ${id.name} already exists with ${view.addressPrefixes.join(', ') || 'no prefix'}, not ${String(step.addressPrefix)}.`, {
        subnetId: step.subnetId,
        expectedPrefix: step.addressPrefix,
        actualPrefixes: view.addressPrefixes,
      });
    }
    if (!isDelegatedToWeb(existing)) {
      throw new SubnetMismatchError(operation, `subnet ${id.name} is not delegated to ${WEB_DELEGATION} (delegations: ${view.delegations.join(', ') || 'none'}); regional integration needs that delegation.`, {
        subnetId: step.subnetId,
        delegations: view.delegations,
      });
    }
    const state = existing.provisioningState;
    if (state !== undefined && state.toLowerCase() !== READY) throw new SubnetNotReadyError(operation, state);
    return { action, applied: false, created: false, before: view, after: view };
  }

  if (step.action === 'reuse' || step.addressPrefix === null) {
    // Reuse of a missing subnet, or a create without a prefix: the plan is wrong, not the moment.
    throw new SubnetMismatchError(operation, `subnet ${id.name} does not exist${step.action === 'create' ? ' and the plan gives no address prefix to create it with' : ''}.`, {
      subnetId: step.subnetId,
    });
  }
  const addressPrefix = step.addressPrefix;
  await writeConfirmed(
    operation,
    () =>
      target.clients.network.subnets.beginCreateOrUpdateAndWait(
        id.resourceGroup,
        id.virtualNetwork,
        id.name,
        { addressPrefix, delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: WEB_DELEGATION }] },
        sdkOptions(opts),
      ),
    async () => {
      const found = await target.read(operation);
      return found !== undefined && fits(found) && isDelegatedToWeb(found) && (found.provisioningState ?? READY).toLowerCase() === READY;
    },
    opts,
  );
  // What the create wrote and the long-running operation (or the read-back) confirmed: no second read needed.
  const after: SubnetView = { addressPrefixes: [addressPrefix], delegations: [WEB_DELEGATION], serviceAssociationLinks: [], provisioningState: 'Succeeded' };
  return { action, applied: true, created: true, before: null, after };
}
