import type { AppNetworkSnapshot } from '../../domain/migration-model.js';
import { AppTarget } from './app-target.js';
import { armRead } from './confirmed-write.js';
import { gatewaySnapshots } from './gateway-connections.js';
import type { OperationOptions } from './operation-options.js';
import { settingsView } from './settings-view.js';
import { routingOf } from './site-routing.js';

/**
 * Everything about the app's networking that a migration changes, as it is now: the snapshot a rollback returns
 * to. App setting values are read (ARM has no names-only read) and dropped here, all but the three legacy routing
 * switches.
 */
export async function readAppNetworkState(appId: string, opts: OperationOptions): Promise<AppNetworkSnapshot> {
  const target = new AppTarget(appId, opts);
  const operation = `read the network state of ${target.name}`;
  const takenTime = new Date().toISOString();
  const read = await armRead(operation, () => target.readSite());
  const config = await armRead(operation, () => target.getConfiguration());
  const connections = await armRead(operation, () => target.listVnetConnections());
  const settings = settingsView((await armRead(operation, () => target.listApplicationSettings())).properties ?? {});
  const subnetId = read.site.virtualNetworkSubnetId;
  return {
    appId,
    takenTime,
    virtualNetworkSubnetId: typeof subnetId === 'string' && subnetId !== '' ? subnetId : null,
    routing: routingOf(read, config.vnetRouteAllEnabled),
    gatewayConnections: gatewaySnapshots(connections),
    appSettingNames: settings.names,
    legacyRoutingSettings: settings.legacyRoutingSettings,
  };
}
