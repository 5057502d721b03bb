import type { Site, SiteConfigResource } from '@azure/arm-appservice';
import type { InventoryInput } from '../../domain/inventory.js';
import type { RoutingSwitches } from '../../domain/migration-model.js';
import { compareResourceIds } from '../../domain/resource-id.js';
import type { ArmClients } from '../arm-clients.js';
import { addressOf, scmHostNameOf } from './app-address.js';
import { appSettingFacts } from './app-setting-facts.js';
import type { SubscriptionReader } from './arm-reader.js';
import type { DiscoveredApp } from './fleet-discovery.js';
import { isGatewayConnection, regionalSubnetOf, routesOf } from './gateway-connection.js';

export type InventoryAppInput = InventoryInput['apps'][number];

/** A site or slot the scope selected, as the list returned it, with the ids of a site's slots. */
export interface SelectedApp {
  readonly resource: Site;
  readonly slotIds: readonly string[];
}

export interface AppDiscovery {
  readonly inventory: InventoryAppInput;
  readonly discovered: DiscoveredApp;
}

/**
 * Reads one app's integration: its virtualNetworkConnections for everyone; and only for an app with a gateway-based
 * connection, its app settings (a POST, which ARM charges to the subscription's write bucket) and, when the site
 * does not carry outboundVnetRouting, config/web. An app without a gateway connection is skipped by eligibility, so
 * its settings and routing would only cost throttling budget.
 */
export async function discoverApp(reader: SubscriptionReader, clients: ArmClients, selected: SelectedApp): Promise<AppDiscovery> {
  const site = selected.resource;
  const id = site.id ?? '';
  const at = addressOf(id);
  const { webApps } = clients.web;
  const connections = await reader.get(`list the VNet connections of ${id}`, (o) =>
    at.slot === undefined ? webApps.listVnetConnections(at.resourceGroup, at.site, o) : webApps.listVnetConnectionsSlot(at.resourceGroup, at.site, at.slot, o),
  );
  const gatewayConnections = connections
    .filter(isGatewayConnection)
    .map((c) => ({ vnetId: c.vnetResourceId ?? '', routes: routesOf(c.routes) }))
    .sort((a, b) => compareResourceIds(a.vnetId, b.vnetId));
  const regionalSubnetId = nonEmpty(site.virtualNetworkSubnetId) ?? connections.map(regionalSubnetOf).find((s) => s !== undefined) ?? null;

  let settings = appSettingFacts(undefined);
  let config: SiteConfigResource | undefined;
  if (gatewayConnections.length > 0) {
    const [facts, siteConfig] = await Promise.all([
      // The values exist only inside this callback's result; appSettingFacts keeps names and the routing switches.
      reader
        .post(`read the app settings of ${id}`, (o) =>
          at.slot === undefined ? webApps.listApplicationSettings(at.resourceGroup, at.site, o) : webApps.listApplicationSettingsSlot(at.resourceGroup, at.site, at.slot, o),
        )
        .then((dictionary) => appSettingFacts(dictionary.properties)),
      site.outboundVnetRouting === undefined
        ? reader.get(`read the site configuration of ${id}`, (o) =>
            at.slot === undefined ? webApps.getConfiguration(at.resourceGroup, at.site, o) : webApps.getConfigurationSlot(at.resourceGroup, at.site, at.slot, o),
          )
        : Promise.resolve(undefined),
    ]);
    settings = facts;
    config = siteConfig;
  }

  const hostName = site.defaultHostName ?? '';
  return {
    inventory: {
      id,
      kind: site.kind ?? 'app',
      reserved: site.reserved ?? false,
      hyperV: site.hyperV ?? false,
      location: site.location,
      planId: site.serverFarmId ?? '',
      slots: [...selected.slotIds].sort(compareResourceIds),
      appSettingNames: [...settings.appSettingNames],
      routingSettings: settings.routingSettings,
      gatewayConnections,
      regionalSubnetId,
    },
    discovered: {
      appId: id,
      hostName,
      scmHostName: scmHostNameOf(site, hostName),
      tags: { ...(site.tags ?? {}) },
      routing: routingOf(site, config),
    },
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function routingOf(site: Site, config: SiteConfigResource | undefined): RoutingSwitches {
  const routing = site.outboundVnetRouting;
  return {
    allTraffic: routing?.allTraffic ?? false,
    applicationTraffic: routing?.applicationTraffic ?? config?.vnetRouteAllEnabled ?? false,
    contentShareTraffic: routing?.contentShareTraffic ?? false,
    imagePullTraffic: routing?.imagePullTraffic ?? false,
    backupRestoreTraffic: routing?.backupRestoreTraffic ?? false,
  };
}
