import type { Subnet } from '@azure/arm-network';
import { WEB_DELEGATION } from '../../domain/plan-builder.js';
import { parseResourceIdOf, type SubnetId } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import { toArmError } from '../to-arm-error.js';
import type { OperationOptions } from './operation-options.js';

/** What a ChangeRecord says about a subnet. */
export interface SubnetView {
  readonly addressPrefixes: readonly string[];
  readonly delegations: readonly string[];
  readonly serviceAssociationLinks: readonly string[];
  readonly provisioningState: string | null;
}

export function prefixesOf(subnet: Subnet): string[] {
  return subnet.addressPrefix !== undefined ? [subnet.addressPrefix] : [...(subnet.addressPrefixes ?? [])];
}

export function isDelegatedToWeb(subnet: Subnet): boolean {
  return (subnet.delegations ?? []).some((d) => d.serviceName?.toLowerCase() === WEB_DELEGATION.toLowerCase());
}

export function subnetView(subnet: Subnet): SubnetView {
  return {
    addressPrefixes: prefixesOf(subnet),
    delegations: (subnet.delegations ?? []).flatMap((d) => (d.serviceName === undefined ? [] : [d.serviceName])),
    serviceAssociationLinks: (subnet.serviceAssociationLinks ?? []).flatMap((l) => (l.link === undefined ? [] : [l.link])),
    provisioningState: subnet.provisioningState ?? null,
  };
}

/** A subnet and the Network client of its subscription. */
export interface SubnetTarget {
  readonly id: SubnetId;
  readonly subnetId: string;
  readonly clients: ArmClients;
  /** The subnet, or undefined when it (or its VNet) does not exist. */
  read(operation: string): Promise<Subnet | undefined>;
}

export function subnetTarget(subnetId: string, opts: OperationOptions): SubnetTarget {
  const id = parseResourceIdOf(subnetId, 'subnet');
  const clients = opts.clientsFor(id.subscriptionId);
  return {
    id,
    subnetId,
    clients,
    async read(operation) {
      try {
        return await clients.network.subnets.get(id.resourceGroup, id.virtualNetwork, id.name, opts.abortSignal === undefined ? {} : { abortSignal: opts.abortSignal });
      } catch (error) {
        const failure = toArmError(error, operation);
        if (failure.code === 'ArmResourceNotFound') return undefined;
        throw failure;
      }
    },
  };
}
