/**
 * The verification world's input: ARM-shaped JSON exactly as the simulator stores resources (latest api-version
 * shapes), plus the scenario's dependencies, DNS table and on-premises networks, plus the restart windows the server
 * tracks. The server's adapter is a pass-through of what it stores; only the fields read here matter.
 */
import type { ScenarioDependency, ScenarioOnPremisesNetwork } from '../contract.js';

export interface SiteView {
  readonly id: string;
  readonly location: string;
  readonly kind?: string;
  readonly properties: {
    readonly serverFarmId?: string;
    readonly virtualNetworkSubnetId?: string | null;
    readonly outboundVnetRouting?: { readonly allTraffic?: boolean; readonly applicationTraffic?: boolean } | null;
    /** Api-versions up to 2024-04-01 and az CLI still speak the flat flag; honoured as well. */
    readonly vnetRouteAllEnabled?: boolean;
    readonly siteConfig?: { readonly vnetRouteAllEnabled?: boolean } | null;
  };
}

export interface VnetRouteView {
  readonly startAddress: string;
  readonly endAddress?: string;
  readonly routeType?: string;
}

/** A gateway-based connection (sites/{n}/virtualNetworkConnections/{vnet}); isSwift entries are ignored. */
export interface VnetInfoView {
  readonly name?: string;
  readonly properties: {
    readonly vnetResourceId: string;
    readonly routes?: readonly VnetRouteView[] | null;
    readonly isSwift?: boolean;
  };
}

export interface VirtualNetworkPeeringView {
  readonly name?: string;
  readonly properties: {
    readonly remoteVirtualNetwork: { readonly id: string };
    /** 'Connected', 'Initiated' or 'Disconnected'; only Connected carries traffic. */
    readonly peeringState?: string;
    readonly allowForwardedTraffic?: boolean;
    readonly allowGatewayTransit?: boolean;
    readonly useRemoteGateways?: boolean;
  };
}

export interface VirtualNetworkView {
  readonly id: string;
  readonly location: string;
  readonly properties: {
    readonly addressSpace: { readonly addressPrefixes: readonly string[] };
    readonly subnets?: readonly { readonly name: string; readonly properties?: { readonly addressPrefix?: string; readonly addressPrefixes?: readonly string[] } }[];
    readonly virtualNetworkPeerings?: readonly VirtualNetworkPeeringView[];
  };
}

/** The VNet a gateway serves is the one whose GatewaySubnet its ipConfigurations reference (ARM shape). */
export interface VirtualNetworkGatewayView {
  readonly id: string;
  readonly location: string;
  readonly properties: {
    readonly ipConfigurations: readonly { readonly properties: { readonly subnet: { readonly id: string } } }[];
  };
}

export interface WorldView {
  readonly sites: readonly SiteView[];
  /** Gateway-based connections per site id (any casing). */
  readonly vnetConnections?: Readonly<Record<string, readonly VnetInfoView[]>>;
  /** App settings per site id, for legacy WEBSITE_VNET_ROUTE_ALL. */
  readonly appSettings?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly virtualNetworks: readonly VirtualNetworkView[];
  readonly virtualNetworkGateways?: readonly VirtualNetworkGatewayView[];
  readonly dependencies?: readonly ScenarioDependency[];
  readonly dns?: Readonly<Record<string, string>>;
  readonly onPremises?: readonly ScenarioOnPremisesNetwork[];
  /** Site id → simulated epoch ms until which the app is restarting. */
  readonly restartingUntil?: Readonly<Record<string, number>>;
}
