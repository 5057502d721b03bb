import type { Scenario } from './contract.js';
import { renderVnet } from './network/virtual-networks.js';
import type { RestartRecord, SimulatorContext } from './router.js';
import { allApps } from './web/integration-index.js';
import { renderApp } from './web/sites.js';
import type { SiteView, VirtualNetworkGatewayView, VirtualNetworkView, VnetInfoView, WorldView } from './world/view.js';

const LATEST_WEB_API = '2025-05-01';

/**
 * The verification world's input (tools/arm-simulator/src/world/) from what the server holds now: sites and slots, their
 * gateway-based connections and app settings, VNets with subnets and peerings, VPN gateways, the scenario's
 * dependencies / DNS / on-premises networks, and the restart windows recorded by restarts and gateway disconnects.
 */
export function worldViewFromStore(ctx: SimulatorContext, scenario: Scenario): WorldView {
  const sites: SiteView[] = [];
  const vnetConnections: Record<string, VnetInfoView[]> = {};
  const appSettings: Record<string, Record<string, string>> = {};
  for (const app of allApps(ctx.store)) {
    sites.push(renderApp(ctx, app, LATEST_WEB_API) as unknown as SiteView);
    const connections = ctx.store.children(app.id, 'virtualNetworkConnections');
    if (connections.length > 0) {
      vnetConnections[app.id] = connections.map((c) => ({ name: c.name, properties: { ...c.properties, isSwift: false } }) as unknown as VnetInfoView);
    }
    const settings = ctx.store.get(`${app.id}/config/appsettings`);
    if (settings !== undefined) appSettings[app.id] = { ...(settings.properties as Record<string, string>) };
  }
  const virtualNetworks = ctx.store.ofType('Microsoft.Network/virtualNetworks').map((v) => renderVnet(ctx, v) as unknown as VirtualNetworkView);
  const virtualNetworkGateways = ctx.store
    .ofType('Microsoft.Network/virtualNetworkGateways')
    .map((g) => ({ id: g.id, location: g.location ?? '', properties: g.properties }) as unknown as VirtualNetworkGatewayView);
  return {
    sites,
    vnetConnections,
    appSettings,
    virtualNetworks,
    virtualNetworkGateways,
    ...(scenario.dependencies === undefined ? {} : { dependencies: scenario.dependencies }),
    ...(scenario.dns === undefined ? {} : { dns: scenario.dns }),
    ...(scenario.onPremises === undefined ? {} : { onPremises: scenario.onPremises }),
    restartingUntil: restartWindows(ctx.restarts),
  };
}

/** Latest end of each app's restart window (overlapping restarts extend it). */
function restartWindows(restarts: readonly RestartRecord[]): Record<string, number> {
  const until: Record<string, number> = {};
  for (const r of restarts) until[r.siteId] = Math.max(until[r.siteId] ?? 0, r.at + r.durationMs);
  return until;
}
