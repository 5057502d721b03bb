/**
 * ARM PUT bodies (latest api-version shapes) for the resources scenarios are made of, shared by the demo fleet and the
 * generator so both seed the simulator through exactly the requests real clients send.
 */
import type { ScenarioResource } from '../contract.js';

export const WEB_API_VERSION = '2025-05-01';
export const NETWORK_API_VERSION = '2025-05-01';

export const rgId = (sub: string, rg: string): string => `/subscriptions/${sub}/resourceGroups/${rg}`;
export const networkId = (sub: string, rg: string, type: string, name: string): string => `${rgId(sub, rg)}/providers/Microsoft.Network/${type}/${name}`;
export const webId = (sub: string, rg: string, type: string, name: string): string => `${rgId(sub, rg)}/providers/Microsoft.Web/${type}/${name}`;
export const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

const web = (id: string, body: Record<string, unknown>): ScenarioResource => ({ id, apiVersion: WEB_API_VERSION, body });
const network = (id: string, body: Record<string, unknown>): ScenarioResource => ({ id, apiVersion: NETWORK_API_VERSION, body });

export interface SubnetSpec {
  readonly name: string;
  readonly prefix: string;
  readonly delegatedToWeb?: boolean;
  readonly nsgId?: string;
}

export function networkSecurityGroup(id: string, location: string): ScenarioResource {
  return network(id, { location, properties: { securityRules: [] } });
}

export function virtualNetwork(id: string, location: string, addressPrefixes: readonly string[], subnets: readonly SubnetSpec[]): ScenarioResource {
  return network(id, {
    location,
    properties: {
      addressSpace: { addressPrefixes: [...addressPrefixes] },
      subnets: subnets.map((s) => ({
        name: s.name,
        properties: {
          addressPrefix: s.prefix,
          ...(s.delegatedToWeb === true
            ? { delegations: [{ name: 'delegation', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] }
            : {}),
          ...(s.nsgId === undefined ? {} : { networkSecurityGroup: { id: s.nsgId } }),
        },
      })),
    },
  });
}

/** A route-based VPN gateway with SSTP point-to-site: what gateway-based integration requires. */
export function vpnGateway(id: string, location: string, vnetId: string, clientPool: string): ScenarioResource {
  return network(id, {
    location,
    properties: {
      gatewayType: 'Vpn',
      vpnType: 'RouteBased',
      sku: { name: 'VpnGw1', tier: 'VpnGw1' },
      ipConfigurations: [{ name: 'default', properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: `${vnetId}/subnets/GatewaySubnet` } } }],
      vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: [clientPool] }, vpnClientProtocols: ['SSTP'] },
    },
  });
}

export interface PeeringFlags {
  readonly allowGatewayTransit?: boolean;
  readonly useRemoteGateways?: boolean;
  readonly allowForwardedTraffic?: boolean;
}

export function peering(localVnetId: string, remoteVnetId: string, flags: PeeringFlags = {}): ScenarioResource {
  return network(`${localVnetId}/virtualNetworkPeerings/to-${lastSegment(remoteVnetId)}`, {
    properties: {
      remoteVirtualNetwork: { id: remoteVnetId },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: flags.allowForwardedTraffic ?? false,
      allowGatewayTransit: flags.allowGatewayTransit ?? false,
      useRemoteGateways: flags.useRemoteGateways ?? false,
    },
  });
}

/** Both halves of a peering, so it reaches Connected. */
export function peeringPair(a: string, b: string, aFlags: PeeringFlags = {}, bFlags: PeeringFlags = {}): ScenarioResource[] {
  return [peering(a, b, aFlags), peering(b, a, bFlags)];
}

export interface PlanSpec {
  readonly sku: { readonly name: string; readonly tier: string };
  readonly linux?: boolean;
  readonly windowsContainers?: boolean;
  readonly workers?: number;
}

export const SKUS = {
  free: { name: 'F1', tier: 'Free' },
  shared: { name: 'D1', tier: 'Shared' },
  basic: { name: 'B1', tier: 'Basic' },
  standard: { name: 'S1', tier: 'Standard' },
  standard2: { name: 'S2', tier: 'Standard' },
  premiumV3: { name: 'P1v3', tier: 'PremiumV3' },
  isolatedV2: { name: 'I1v2', tier: 'IsolatedV2' },
} as const;

export function appServicePlan(id: string, location: string, spec: PlanSpec): ScenarioResource {
  const workers = spec.workers ?? 2;
  return web(id, {
    location,
    kind: spec.linux === true ? 'linux' : spec.windowsContainers === true ? 'windows' : 'app',
    sku: { ...spec.sku, capacity: workers },
    properties: { reserved: spec.linux === true, hyperV: spec.windowsContainers === true, numberOfWorkers: workers },
  });
}

export interface SiteSpec {
  readonly planId: string;
  readonly linux?: boolean;
  readonly windowsContainer?: boolean;
  readonly regionalSubnetId?: string;
  readonly routeAll?: boolean;
}

export function site(id: string, location: string, spec: SiteSpec): ScenarioResource {
  const kind = spec.linux === true ? 'app,linux' : spec.windowsContainer === true ? 'app,container,windows' : 'app';
  return web(id, {
    location,
    kind,
    properties: {
      serverFarmId: spec.planId,
      reserved: spec.linux === true,
      hyperV: spec.windowsContainer === true,
      httpsOnly: true,
      ...(spec.regionalSubnetId === undefined ? {} : { virtualNetworkSubnetId: spec.regionalSubnetId }),
      outboundVnetRouting: { applicationTraffic: spec.routeAll === true, allTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false },
      siteConfig: { alwaysOn: true, vnetRouteAllEnabled: spec.routeAll === true, ...(spec.linux === true ? { linuxFxVersion: 'NODE|20-lts' } : {}), ...(spec.windowsContainer === true ? { windowsFxVersion: 'DOCKER|mcr.microsoft.com/dotnet/framework/aspnet:4.8' } : {}) },
    },
  });
}

export function appSettings(siteOrSlotId: string, settings: Readonly<Record<string, string>>): ScenarioResource {
  return web(`${siteOrSlotId}/config/appsettings`, { properties: { ...settings } });
}

/** A fake, stable certificate thumbprint (40 hex characters): it identifies nothing and protects nothing. */
export function fakeThumbprint(seedText: string): string {
  let out = '';
  let h = 0x9e3779b9;
  for (let i = 0; out.length < 40; i++) {
    h = Math.imul(h ^ seedText.charCodeAt(i % Math.max(1, seedText.length)) ^ i, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40).toUpperCase();
}

/** A gateway-based connection: PUT sites/{n}[/slots/{s}]/virtualNetworkConnections/{vnetName}. */
export function gatewayConnection(siteOrSlotId: string, vnetId: string): ScenarioResource {
  return web(`${siteOrSlotId}/virtualNetworkConnections/${lastSegment(vnetId)}`, {
    properties: { vnetResourceId: vnetId, certThumbprint: fakeThumbprint(`${siteOrSlotId}|${vnetId}`), routes: [], isSwift: false },
  });
}
