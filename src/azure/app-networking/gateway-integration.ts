import type { VnetInfoResource } from '@azure/arm-appservice';
import type { GatewayConnectionSnapshot } from '../../domain/migration-model.js';
import { AppTarget } from './app-target.js';
import { armRead, writeConfirmed } from './confirmed-write.js';
import { IntegrationFormConflictError } from './errors.js';
import { findByName, gatewaySnapshotOf, isGatewayConnection } from './gateway-connections.js';
import type { ChangeRecord, OperationOptions } from './operation-options.js';

const vnetNameOf = (id: string): string => id.split('/').pop() ?? id;

async function gatewayConnection(target: AppTarget, name: string, operation: string): Promise<VnetInfoResource | undefined> {
  return findByName(await armRead(operation, () => target.listVnetConnections()), name);
}

/**
 * Removes the gateway-based connection `connectionName` (DELETE sites/{n}/virtualNetworkConnections/{name}). App
 * Service restarts the app when it goes. Already absent, or a 404 on the delete (another run got there first),
 * is success with nothing applied.
 */
export async function disconnectGateway(appId: string, connectionName: string, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `disconnect ${target.name} from gateway VNet ${connectionName}`;
  const action = `disconnect gateway VNet ${connectionName}`;
  const entry = await gatewayConnection(target, connectionName, operation);
  if (entry === undefined) return { action, applied: false, before: null, after: null };
  // The list also shows the regional integration; deleting that entry would silently leave regional integration.
  if (!isGatewayConnection(entry)) {
    throw new IntegrationFormConflictError(operation, `'${connectionName}' is ${target.name}'s regional integration, not a gateway-based connection.`, {
      appId,
      connectionName,
      vnetResourceId: entry.vnetResourceId ?? null,
    });
  }
  const before = gatewaySnapshotOf(entry);
  // A 404 on the delete means another run removed it between our read and our delete: confirmed, not applied by us.
  let removedByOther = false;
  await writeConfirmed(
    operation,
    () => target.deleteVnetConnection(entry.name ?? connectionName),
    async () => (await gatewayConnection(target, connectionName, operation)) === undefined,
    {
      ...opts,
      alsoConfirmWhen: (failure) => {
        removedByOther = failure.code === 'ArmResourceNotFound';
        return removedByOther;
      },
    },
  );
  return { action, applied: !removedByOther, before, after: null };
}

/**
 * Re-creates a gateway-based connection as the snapshot had it (PUT virtualNetworkConnections/{name} with the VNet
 * id, isSwift false and its DNS servers). App Service allows one form of integration at a time, so this refuses
 * while the app has a regional integration. Already present with the same VNet and DNS servers: nothing applied.
 */
export async function reconnectGateway(appId: string, connection: GatewayConnectionSnapshot, opts: OperationOptions): Promise<ChangeRecord> {
  const target = new AppTarget(appId, opts);
  const operation = `reconnect ${target.name} to gateway VNet ${vnetNameOf(connection.vnetResourceId)}`;
  const action = `reconnect gateway VNet ${connection.name}`;
  const read = await armRead(operation, () => target.readSite());
  const regional = read.site.virtualNetworkSubnetId;
  if (typeof regional === 'string' && regional !== '') {
    throw new IntegrationFormConflictError(operation, `${target.name} has a regional integration with ${regional}; an app can use one form of VNet integration at a time, so disconnect the regional integration first.`, {
      appId,
      virtualNetworkSubnetId: regional,
    });
  }
  const matches = (entry: VnetInfoResource | undefined): boolean =>
    entry !== undefined &&
    isGatewayConnection(entry) &&
    (entry.vnetResourceId ?? '').toLowerCase() === connection.vnetResourceId.toLowerCase() &&
    (entry.dnsServers ?? '') === (connection.dnsServers ?? '');
  const existing = await gatewayConnection(target, connection.name, operation);
  const before = existing === undefined ? null : gatewaySnapshotOf(existing);
  if (matches(existing)) return { action, applied: false, before, after: before };
  await writeConfirmed(
    operation,
    () =>
      target.putVnetConnection(connection.name, {
        vnetResourceId: connection.vnetResourceId,
        isSwift: false,
        ...(connection.dnsServers === undefined ? {} : { dnsServers: connection.dnsServers }),
      }),
    async () => matches(await gatewayConnection(target, connection.name, operation)),
    opts,
  );
  const after = await gatewayConnection(target, connection.name, operation);
  return { action, applied: true, before, after: after === undefined ? null : gatewaySnapshotOf(after) };
}
