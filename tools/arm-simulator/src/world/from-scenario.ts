/**
 * Builds a WorldView straight from a scenario's PUT bodies, filling in what ARM would derive (peering state is
 * Connected when both halves exist; resource ids on VNets). The server builds its view from its store instead; this
 * is for checking scenarios (every dependency reachable before migration) and for tests.
 */
import type { Scenario } from '../contract.js';
import type { SiteView, VirtualNetworkGatewayView, VirtualNetworkPeeringView, VirtualNetworkView, VnetInfoView, WorldView } from './view.js';

const lower = (id: string): string => id.toLowerCase();

/** 'microsoft.web/sites/slots' for .../providers/Microsoft.Web/sites/a/slots/b. */
export function resourceType(id: string): string {
  const [provider = '', ...rest] = id.replace(/^.*\/providers\//i, '').split('/');
  return [provider, ...rest.filter((_, i) => i % 2 === 0)].join('/').toLowerCase();
}

export function worldViewFromScenario(scenario: Scenario): WorldView {
  const sites: SiteView[] = [];
  const vnets = new Map<string, { id: string; location: string; properties: Record<string, unknown> }>();
  const peerings: { vnetId: string; name: string; properties: VirtualNetworkPeeringView['properties'] }[] = [];
  const gateways: VirtualNetworkGatewayView[] = [];
  const vnetConnections: Record<string, VnetInfoView[]> = {};
  const appSettings: Record<string, Record<string, string>> = {};

  for (const resource of scenario.resources) {
    const id = resource.id;
    const body = resource.body as { location?: string; properties?: Record<string, unknown> };
    const type = resourceType(id);
    if (type === 'microsoft.web/sites' || type === 'microsoft.web/sites/slots') {
      sites.push({ id, location: body.location ?? '', properties: (body.properties ?? {}) });
    } else if (type === 'microsoft.network/virtualnetworks') {
      vnets.set(lower(id), { id, location: body.location ?? '', properties: body.properties ?? {} });
    } else if (type === 'microsoft.network/virtualnetworks/virtualnetworkpeerings') {
      peerings.push({ vnetId: id.replace(/\/virtualNetworkPeerings\/[^/]+$/i, ''), name: id.slice(id.lastIndexOf('/') + 1), properties: body.properties as VirtualNetworkPeeringView['properties'] });
    } else if (type === 'microsoft.network/virtualnetworkgateways') {
      gateways.push({ id, location: body.location ?? '', properties: body.properties as VirtualNetworkGatewayView['properties'] });
    } else if (type.endsWith('/virtualnetworkconnections')) {
      const owner = id.replace(/\/virtualNetworkConnections\/[^/]+$/i, '');
      (vnetConnections[owner] ??= []).push({ name: id.slice(id.lastIndexOf('/') + 1), properties: body.properties as VnetInfoView['properties'] });
    } else if (/\/config\/appsettings$/i.test(id)) {
      appSettings[id.replace(/\/config\/appsettings$/i, '')] = (body.properties ?? {}) as Record<string, string>;
    }
  }
  const has = (from: string, to: string): boolean =>
    peerings.some((p) => lower(p.vnetId) === lower(from) && lower(p.properties.remoteVirtualNetwork.id) === lower(to));
  const virtualNetworks: VirtualNetworkView[] = [...vnets.values()].map((v) => ({
    id: v.id,
    location: v.location,
    properties: {
      ...(v.properties as VirtualNetworkView['properties']),
      virtualNetworkPeerings: peerings
        .filter((p) => lower(p.vnetId) === lower(v.id))
        .map((p) => ({ name: p.name, properties: { ...p.properties, peeringState: has(p.properties.remoteVirtualNetwork.id, v.id) ? 'Connected' : 'Initiated' } })),
    },
  }));
  return {
    sites,
    vnetConnections,
    appSettings,
    virtualNetworks,
    virtualNetworkGateways: gateways,
    ...(scenario.dependencies === undefined ? {} : { dependencies: scenario.dependencies }),
    ...(scenario.dns === undefined ? {} : { dns: scenario.dns }),
    ...(scenario.onPremises === undefined ? {} : { onPremises: scenario.onPremises }),
  };
}
