/**
 * The verification world: given what the simulator stores (sites, gateway-based connections, VNets, peerings,
 * gateways) and the scenario's dependencies, DNS and on-premises networks, decides which destinations each app can
 * reach, and answers the way an app's health endpoint and Kudu's tcpping / nameresolver would.
 *
 * Rules (tools/arm-simulator/docs/simulator-world.md):
 * - Public destinations (outside every VNet, on-premises range and RFC 1918) are always reachable.
 * - No integration: nothing private is reachable.
 * - Gateway-based (P2S): the connected VNet's address space, on-premises prefixes behind that VNet's gateway, and
 *   VNets peered with it where the peering allows gateway transit; only destinations inside the connection's routes
 *   (or, with no routes, inside that set) enter the tunnel — regardless of RFC 1918. A VNet with no gateway gives nothing.
 * - Regional: the integrated VNet, VNets peered with it (Connected both ways, any region), on-premises networks behind
 *   the integrated VNet's gateway or a peer's gateway (useRemoteGateways here, allowGatewayTransit there). Destinations
 *   outside RFC 1918 enter the VNet only with application routing (route all) on; otherwise they go to the internet
 *   and a private destination there is unreachable.
 * - While an app restarts nothing is reachable.
 */
import type { ScenarioDependency } from '../contract.js';
import { isRfc1918, parseCidr, parseIpv4, rangeContains, type Ipv4Range } from './ipv4.js';
import type { SiteView, VirtualNetworkPeeringView, VirtualNetworkView, VnetInfoView, WorldView } from './view.js';

export type ReachabilityReason =
  | 'public-internet'
  | 'integrated-vnet'
  | 'peered-vnet'
  | 'on-premises'
  | 'gateway-vnet'
  | 'gateway-transit-peer'
  | 'restarting'
  | 'name-resolution-failed'
  | 'no-integration'
  | 'routed-to-internet'
  | 'no-route'
  | 'app-not-found';

export interface DependencyReachability {
  readonly target: string;
  readonly description?: string;
  readonly host: string;
  readonly port: number | undefined;
  /** The resolved IPv4 address; undefined when the name did not resolve. */
  readonly address: string | undefined;
  readonly reachable: boolean;
  readonly reason: ReachabilityReason;
  /** One sentence a person can act on. */
  readonly detail: string;
}

export interface HealthAnswer {
  readonly status: 200 | 503;
  readonly body: {
    readonly app: string;
    readonly status: 'Healthy' | 'Unhealthy' | 'Restarting';
    readonly dependencies: readonly DependencyReachability[];
  };
}

/** What Kudu's POST /api/command answers. */
export interface KuduCommandResult {
  readonly Output: string;
  readonly Error: string;
  readonly ExitCode: number;
}

/** The resolver App Service uses when the VNet has no custom DNS (Azure DNS's virtual IP). */
export const AZURE_DNS_SERVER = '168.63.129.16';

interface Reach {
  readonly range: Ipv4Range;
  readonly reason: ReachabilityReason;
  readonly via: string;
}

interface AppPaths {
  readonly regional: { readonly vnetId: string; readonly routeAll: boolean; readonly reach: readonly Reach[] } | undefined;
  readonly gateway: readonly { readonly vnetId: string; readonly routes: readonly Ipv4Range[] | undefined; readonly reach: readonly Reach[] }[];
}

// Hot: a world is built per recording over every VNet, so skip the regex unless there is a trailing slash.
const key = (id: string): string => {
  const lower = id.toLowerCase();
  return lower.endsWith('/') ? lower.replace(/\/+$/, '') : lower;
};
const vnetOfSubnet = (subnetId: string): string => key(subnetId).replace(/\/subnets\/[^/]+$/, '');

export function parseTarget(target: string): { host: string; port: number | undefined } {
  const match = /^(.*):(\d{1,5})$/.exec(target.trim());
  if (match !== null) return { host: match[1] ?? '', port: Number(match[2]) };
  return { host: target.trim(), port: undefined };
}

function ranges(prefixes: readonly string[] | undefined): Ipv4Range[] {
  return (prefixes ?? []).map((p) => parseCidr(p)).filter((r): r is Ipv4Range => r !== undefined);
}

function routeAllOn(site: SiteView, settings: Readonly<Record<string, string>> | undefined): boolean {
  const p = site.properties;
  const legacy = Object.entries(settings ?? {}).find(([k]) => k.toUpperCase() === 'WEBSITE_VNET_ROUTE_ALL')?.[1];
  return (
    p.outboundVnetRouting?.applicationTraffic === true ||
    p.outboundVnetRouting?.allTraffic === true ||
    p.vnetRouteAllEnabled === true ||
    p.siteConfig?.vnetRouteAllEnabled === true ||
    legacy === '1' ||
    legacy?.toLowerCase() === 'true'
  );
}

export class VerificationWorld {
  private readonly sites = new Map<string, SiteView>();
  private readonly vnets = new Map<string, VirtualNetworkView>();
  private readonly gatewayByVnet = new Map<string, string>();
  private readonly privateRanges: Ipv4Range[] = [];
  private readonly dns = new Map<string, string>();
  private readonly dependenciesByApp = new Map<string, ScenarioDependency[]>();
  private readonly connections = new Map<string, readonly VnetInfoView[]>();
  private readonly settings = new Map<string, Readonly<Record<string, string>>>();
  private readonly restarts = new Map<string, number>();
  private readonly pathCache = new Map<string, AppPaths>();

  constructor(private readonly view: WorldView) {
    for (const site of view.sites) this.sites.set(key(site.id), site);
    for (const vnet of view.virtualNetworks) {
      this.vnets.set(key(vnet.id), vnet);
      this.privateRanges.push(...ranges(vnet.properties.addressSpace.addressPrefixes));
    }
    for (const gateway of view.virtualNetworkGateways ?? []) {
      for (const config of gateway.properties.ipConfigurations) this.gatewayByVnet.set(vnetOfSubnet(config.properties.subnet.id), key(gateway.id));
    }
    for (const [id, list] of Object.entries(view.vnetConnections ?? {})) this.connections.set(key(id), list);
    for (const [id, values] of Object.entries(view.appSettings ?? {})) this.settings.set(key(id), values);
    for (const [id, until] of Object.entries(view.restartingUntil ?? {})) this.restarts.set(key(id), until);
    for (const network of view.onPremises ?? []) this.privateRanges.push(...ranges(network.addressPrefixes));
    for (const [host, address] of Object.entries(view.dns ?? {})) this.dns.set(host.toLowerCase(), address);
    for (const dependency of view.dependencies ?? []) {
      const list = this.dependenciesByApp.get(key(dependency.appId)) ?? [];
      list.push(dependency);
      this.dependenciesByApp.set(key(dependency.appId), list);
    }
  }

  /** The IPv4 address a host resolves to; IP literals resolve to themselves. */
  resolve(host: string): string | undefined {
    if (parseIpv4(host) !== undefined) return host;
    return this.dns.get(host.toLowerCase());
  }

  isRestarting(appId: string, at: number): boolean {
    const until = this.restarts.get(key(appId));
    return until !== undefined && at < until;
  }

  /** Whether `appId` reaches `target` at simulated time `at`, and why. */
  reach(appId: string, target: string, at: number, description?: string): DependencyReachability {
    const { host, port } = parseTarget(target);
    const base = { target, host, port, ...(description === undefined ? {} : { description }) };
    const site = this.sites.get(key(appId));
    if (site === undefined) return { ...base, address: undefined, reachable: false, reason: 'app-not-found', detail: `No app '${appId}' exists in the simulator.` };
    const address = this.resolve(host);
    if (this.isRestarting(appId, at)) return { ...base, address, reachable: false, reason: 'restarting', detail: 'The app is restarting; no outbound connection is possible.' };
    if (address === undefined) {
      return { ...base, address, reachable: false, reason: 'name-resolution-failed', detail: `'${host}' does not resolve (not in the scenario's DNS table).` };
    }
    const ip = parseIpv4(address) ?? -1;
    const paths = this.cachedPaths(site);
    const result = (reachable: boolean, reason: ReachabilityReason, detail: string): DependencyReachability => ({ ...base, address, reachable, reason, detail });

    if (paths.regional !== undefined) {
      const routedIntoVnet = isRfc1918(ip) || paths.regional.routeAll;
      const hit = routedIntoVnet ? paths.regional.reach.find((r) => rangeContains(r.range, ip)) : undefined;
      if (hit !== undefined) return result(true, hit.reason, `${address} is reached through regional integration via ${hit.via}.`);
    }
    for (const connection of paths.gateway) {
      const inRoutes = connection.routes === undefined || connection.routes.some((r) => rangeContains(r, ip));
      const hit = inRoutes ? connection.reach.find((r) => rangeContains(r.range, ip)) : undefined;
      if (hit !== undefined) return result(true, hit.reason, `${address} is reached through the gateway-based connection to ${connection.vnetId} via ${hit.via}.`);
    }
    const isPrivate = isRfc1918(ip) || this.privateRanges.some((r) => rangeContains(r, ip));
    if (!isPrivate) return result(true, 'public-internet', `${address} is a public address reached over the internet.`);
    if (paths.regional === undefined && paths.gateway.length === 0) {
      return result(false, 'no-integration', `${address} is private and the app has no virtual network integration.`);
    }
    if (paths.regional !== undefined && !isRfc1918(ip) && !paths.regional.routeAll && paths.regional.reach.some((r) => rangeContains(r.range, ip))) {
      return result(false, 'routed-to-internet',
        `${address} is outside RFC 1918, so without application routing (route all) it goes to the internet instead of ${paths.regional.vnetId}; enable outboundVnetRouting.applicationTraffic.`);
    }
    return result(false, 'no-route', `${address} is private and no integrated, peered or on-premises network of the app contains it.`);
  }

  /** Reachability of each of the app's scenario dependencies. */
  reachability(appId: string, at: number): DependencyReachability[] {
    return (this.dependenciesByApp.get(key(appId)) ?? []).map((d) => this.reach(appId, d.target, at, d.description));
  }

  health(appId: string, at: number): HealthAnswer {
    const dependencies = this.reachability(appId, at);
    const restarting = this.isRestarting(appId, at);
    const healthy = !restarting && this.sites.has(key(appId)) && dependencies.every((d) => d.reachable);
    return {
      status: healthy ? 200 : 503,
      body: { app: appId, status: restarting ? 'Restarting' : healthy ? 'Healthy' : 'Unhealthy', dependencies },
    };
  }

  /** Kudu console `tcpping host[:port]` (port 80 when absent), four attempts. */
  tcpping(appId: string, target: string, at: number): KuduCommandResult {
    const outcome = this.reach(appId, target, at);
    const endpoint = `${outcome.host}:${outcome.port ?? 80}`;
    if (!outcome.reachable) {
      const why = outcome.reason === 'name-resolution-failed' ? 'No such host is known' : 'Connection timed out';
      const lines = Array.from({ length: 4 }, () => `Connection attempt failed: ${why}.`);
      lines.push('Complete: 0/4 successful attempts (0%). Average success time: 0ms');
      return { Output: `${lines.join('\r\n')}\r\n`, Error: '', ExitCode: 1 };
    }
    const ms = ({ 'integrated-vnet': 1, 'peered-vnet': 3, 'gateway-vnet': 38, 'gateway-transit-peer': 41, 'on-premises': 24, 'public-internet': 15 } as Partial<Record<ReachabilityReason, number>>)[outcome.reason] ?? 10;
    const lines = Array.from({ length: 4 }, () => `Connected to ${endpoint}, time taken: ${ms}ms`);
    lines.push(`Complete: 4/4 successful attempts (100%). Average success time: ${ms}ms`);
    return { Output: `${lines.join('\r\n')}\r\n`, Error: '', ExitCode: 0 };
  }

  /** Kudu console `nameresolver host`: the nslookup-like answer from Azure DNS. */
  nameresolver(_appId: string, host: string): KuduCommandResult {
    const address = this.resolve(host);
    if (address === undefined) {
      return { Output: `Server: ${AZURE_DNS_SERVER}\r\n\r\n*** Can't find ${host}: Non-existent domain\r\n`, Error: '', ExitCode: 1 };
    }
    return {
      Output: `Server: ${AZURE_DNS_SERVER}\r\n\r\nNon-authoritative answer:\r\nName: ${host}\r\nAddresses: \r\n\t${address}\r\n\r\n`,
      Error: '',
      ExitCode: 0,
    };
  }

  private reversePeering(local: VirtualNetworkView, peering: VirtualNetworkPeeringView): { remote: VirtualNetworkView; back: VirtualNetworkPeeringView } | undefined {
    if (peering.properties.peeringState !== 'Connected') return undefined;
    const remote = this.vnets.get(key(peering.properties.remoteVirtualNetwork.id));
    if (remote === undefined) return undefined;
    const back = (remote.properties.virtualNetworkPeerings ?? []).find(
      (p) => key(p.properties.remoteVirtualNetwork.id) === key(local.id) && p.properties.peeringState === 'Connected',
    );
    return back === undefined ? undefined : { remote, back };
  }

  private onPremisesBehind(gatewayId: string | undefined, via: string): Reach[] {
    if (gatewayId === undefined) return [];
    return (this.view.onPremises ?? [])
      .filter((n) => key(n.gatewayId) === gatewayId)
      .flatMap((n) => ranges(n.addressPrefixes).map((range) => ({ range, reason: 'on-premises' as const, via: `on-premises network '${n.name}' behind ${via}` })));
  }

  /** A world is built from one immutable view, so each app's paths are computed once. */
  private cachedPaths(site: SiteView): AppPaths {
    let paths = this.pathCache.get(key(site.id));
    if (paths === undefined) {
      paths = this.pathsOf(site);
      this.pathCache.set(key(site.id), paths);
    }
    return paths;
  }

  private pathsOf(site: SiteView): AppPaths {
    let regional: AppPaths['regional'];
    const subnetId = site.properties.virtualNetworkSubnetId;
    if (typeof subnetId === 'string' && subnetId !== '') {
      const vnetId = vnetOfSubnet(subnetId);
      const vnet = this.vnets.get(vnetId);
      const reach: Reach[] = [];
      if (vnet !== undefined) {
        reach.push(...ranges(vnet.properties.addressSpace.addressPrefixes).map((range) => ({ range, reason: 'integrated-vnet' as const, via: vnet.id })));
        reach.push(...this.onPremisesBehind(this.gatewayByVnet.get(vnetId), `the gateway of ${vnet.id}`));
        for (const peering of vnet.properties.virtualNetworkPeerings ?? []) {
          const pair = this.reversePeering(vnet, peering);
          if (pair === undefined) continue;
          reach.push(...ranges(pair.remote.properties.addressSpace.addressPrefixes).map((range) => ({ range, reason: 'peered-vnet' as const, via: `peering to ${pair.remote.id}` })));
          if (peering.properties.useRemoteGateways === true && pair.back.properties.allowGatewayTransit === true) {
            reach.push(...this.onPremisesBehind(this.gatewayByVnet.get(key(pair.remote.id)), `the gateway of peered ${pair.remote.id}`));
          }
        }
      }
      regional = { vnetId: vnet?.id ?? subnetId, routeAll: routeAllOn(site, this.settingsOf(site.id)), reach };
    }
    const gateway: AppPaths['gateway'][number][] = [];
    for (const connection of this.connectionsOf(site.id)) {
      if (connection.properties.isSwift === true) continue;
      const vnetId = key(connection.properties.vnetResourceId);
      const vnet = this.vnets.get(vnetId);
      const gatewayId = this.gatewayByVnet.get(vnetId);
      const reach: Reach[] = [];
      if (vnet !== undefined && gatewayId !== undefined) {
        reach.push(...ranges(vnet.properties.addressSpace.addressPrefixes).map((range) => ({ range, reason: 'gateway-vnet' as const, via: vnet.id })));
        reach.push(...this.onPremisesBehind(gatewayId, `the gateway of ${vnet.id}`));
        for (const peering of vnet.properties.virtualNetworkPeerings ?? []) {
          const pair = this.reversePeering(vnet, peering);
          if (pair === undefined || peering.properties.allowGatewayTransit !== true || pair.back.properties.useRemoteGateways !== true) continue;
          reach.push(...ranges(pair.remote.properties.addressSpace.addressPrefixes).map((range) => ({ range, reason: 'gateway-transit-peer' as const, via: `gateway transit to ${pair.remote.id}` })));
        }
      }
      const routeList = connection.properties.routes ?? [];
      const routes = routeList.length === 0 ? undefined : routeList.flatMap((r) => {
        const start = parseIpv4(r.startAddress);
        if (start === undefined) return [];
        const end = r.endAddress === undefined ? start : parseIpv4(r.endAddress);
        return end === undefined ? [] : [{ first: start, last: end }];
      });
      gateway.push({ vnetId: vnet?.id ?? connection.properties.vnetResourceId, routes, reach });
    }
    return { regional, gateway };
  }

  private connectionsOf(siteId: string): readonly VnetInfoView[] {
    return this.connections.get(key(siteId)) ?? [];
  }

  private settingsOf(siteId: string): Readonly<Record<string, string>> | undefined {
    return this.settings.get(key(siteId));
  }
}

export function createVerificationWorld(view: WorldView): VerificationWorld {
  return new VerificationWorld(view);
}

