import type { Scenario, ScenarioDependency } from './contract.js';
import type { StoreChangeListener } from './app-observed-store.js';
import type { RestartRecord, SimulatorContext } from './router.js';
import type { StoredResource } from './store.js';
import { SITE_TYPE, SLOT_TYPE } from './web/integration-index.js';
import { isRfc1918, parseCidr } from './world/ipv4.js';
import { createVerificationWorld, parseTarget } from './world/reachability.js';
import type { HealthAnswer, KuduCommandResult, VerificationWorld } from './world/reachability.js';
import { createTimeline } from './world/timeline.js';
import type { ReachabilityTimeline } from './world/timeline.js';
import type { SiteView, VirtualNetworkGatewayView, VirtualNetworkView, VnetInfoView } from './world/view.js';

const APP_KEY = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+)(\/slots\/[^/]+)?/;
const VNET_KEY = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/virtualnetworks\/[^/]+/;
const GATEWAY_KEY = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/virtualnetworkgateways\/[^/]+/;
const SCOPE_KEY = /^\/subscriptions\/[^/]+(\/resourcegroups\/[^/]+)?$/;

const vnetOfSubnet = (subnetId: string): string => subnetId.toLowerCase().replace(/\/subnets\/[^/]+$/, '');

/** What the app endpoints answer for: a site or slot and whether the request was for its Kudu (scm) host. */
export interface AppAddress {
  readonly appId: string;
  readonly scm: boolean;
}

/**
 * The verification world kept current as the simulator changes. After every committed mutation (and every long-running
 * operation's completion, and every restart) it recomputes the affected apps only — a site's own changes touch that
 * app; a VNet, subnet, peering or gateway change touches the apps integrated (regional or gateway-based) with that VNet
 * or with a VNet peered with it — and records their reachability in the timeline at that simulated instant.
 * VNet and gateway views are cached and refreshed only when they change, so a mutation costs O(VNets + affected apps),
 * never O(fleet).
 */
export class AppWorldRecorder implements StoreChangeListener {
  readonly timeline: ReachabilityTimeline = createTimeline();
  private dirty = new Set<string>();
  private batching = 0;
  private restartsSeen = 0;
  private readonly vnetViews = new Map<string, VirtualNetworkView>();
  private readonly gatewayViews = new Map<string, VirtualNetworkGatewayView>();
  private readonly gatewayVnet = new Map<string, string>();
  /** VNet → VNets its own peerings point to, and the reverse, so either half of a peering finds the other side. */
  private readonly peersOut = new Map<string, Set<string>>();
  private readonly peersIn = new Map<string, Set<string>>();
  private readonly appVnets = new Map<string, Set<string>>();
  private readonly vnetApps = new Map<string, Set<string>>();
  private readonly appIds = new Map<string, string>();
  private readonly hostToApp = new Map<string, string>();
  private readonly appHost = new Map<string, string>();
  private readonly dependencies = new Map<string, ScenarioDependency[]>();
  private appsRecomputed = 0;
  private dnsLowered: Map<string, string> | undefined;
  /** Address prefixes of every VNet that lie outside RFC 1918 (recomputed when a VNet changes). */
  private publicLookingPrefixes: string[] | undefined;
  private recordings = 0;

  constructor(private readonly ctx: SimulatorContext, private readonly scenario: Scenario) {
    for (const dependency of scenario.dependencies ?? []) {
      const key = dependency.appId.toLowerCase();
      this.dependencies.set(key, [...(this.dependencies.get(key) ?? []), dependency]);
    }
  }

  /** How much work recording took: recordings made and apps recomputed in total (fleet-scale cost is visible here). */
  stats(): { recordings: number; appsRecomputed: number } {
    return { recordings: this.recordings, appsRecomputed: this.appsRecomputed };
  }

  changed(key: string): void {
    this.dirty.add(key);
  }

  committed(): void {
    if (this.batching === 0) this.flush(this.ctx.clock.now());
  }

  /** Runs `fn` (scenario seeding) without per-write recording, then records every affected app once. */
  batch(fn: () => void): void {
    this.batching++;
    try {
      fn();
    } finally {
      this.batching--;
    }
    if (this.batching === 0) this.flush(this.ctx.clock.now());
  }

  /** A long-running operation's outcome, recorded at its completion instant rather than when it was settled. */
  completion(completesAt: number, complete: () => void): void {
    const outer = this.dirty;
    this.dirty = new Set();
    try {
      complete();
    } finally {
      const own = this.dirty;
      this.dirty = outer;
      this.flushKeys(own, completesAt);
    }
  }

  /** Forgets everything (the store was emptied); the next seed records the initial state again. */
  clear(): void {
    this.dirty.clear();
    this.timeline.clear();
    this.restartsSeen = 0;
    for (const map of [this.vnetViews, this.gatewayViews, this.gatewayVnet, this.peersOut, this.peersIn, this.appVnets, this.vnetApps, this.appIds, this.hostToApp, this.appHost]) map.clear();
  }

  flush(at: number): void {
    const keys = this.dirty;
    this.dirty = new Set();
    this.flushKeys(keys, at);
  }

  /** The app a host name ({site}[-{slot}].azurewebsites.net or its .scm. twin) belongs to. */
  appByHost(host: string): AppAddress | undefined {
    const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const scm = name.endsWith('.scm.azurewebsites.net');
    const appHost = scm ? name.replace(/\.scm\.azurewebsites\.net$/, '.azurewebsites.net') : name;
    const key = this.hostToApp.get(appHost);
    const appId = key === undefined ? undefined : this.appIds.get(key);
    return appId === undefined ? undefined : { appId, scm };
  }

  /** Every app the recorder knows: id and default host name. */
  apps(): { appId: string; hostName: string | undefined }[] {
    return [...this.appIds].map(([key, appId]) => ({ appId, hostName: this.appHost.get(key) }));
  }

  health(appId: string, at: number): HealthAnswer {
    return this.liveWorld(appId, at).health(appId, at);
  }

  /** Kudu's console commands the runbook uses: `tcpping host[:port]` and `nameresolver host`. */
  command(appId: string, commandLine: string, at: number): KuduCommandResult {
    const [verb = '', ...args] = commandLine.trim().split(/\s+/);
    const target = args.find((a) => !a.startsWith('-'));
    const world = this.liveWorld(appId, at);
    if (verb.toLowerCase() === 'tcpping' && target !== undefined) return world.tcpping(appId, target, at);
    if (verb.toLowerCase() === 'nameresolver' && target !== undefined) return world.nameresolver(appId, target);
    const usage = verb.toLowerCase() === 'tcpping' ? 'Usage: tcpping host[:port]' : verb.toLowerCase() === 'nameresolver' ? 'Usage: nameresolver host' : '';
    return {
      Output: '',
      Error: usage !== '' ? `${usage}\r\n` : `'${verb}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
      ExitCode: 1,
    };
  }

  private flushKeys(keys: ReadonlySet<string>, at: number): void {
    const apps = new Set<string>();
    const vnets = new Set<string>();
    for (const key of keys) this.classify(key, apps, vnets);
    const touched = new Set<string>();
    for (const vnet of vnets) {
      touched.add(vnet);
      for (const peer of this.neighbours(vnet)) touched.add(peer);
      this.refreshVnet(vnet);
      for (const peer of this.neighbours(vnet)) touched.add(peer);
    }
    for (const vnet of touched) for (const app of this.vnetApps.get(vnet) ?? []) apps.add(app);
    if (apps.size > 0) this.recordApps(apps, at);
    this.recordRestarts();
  }

  private classify(key: string, apps: Set<string>, vnets: Set<string>): void {
    const app = APP_KEY.exec(key);
    if (app !== null) {
      const appKey = `${app[1] ?? ''}${app[2] ?? ''}`;
      apps.add(appKey);
      // A deleted site takes its slots with it.
      if (app[2] === undefined && key === appKey && !this.ctx.store.has(appKey)) {
        for (const known of this.appIds.keys()) if (known.startsWith(`${appKey}/slots/`)) apps.add(known);
      }
      return;
    }
    const vnet = VNET_KEY.exec(key)?.[0];
    if (vnet !== undefined) {
      vnets.add(vnet);
      return;
    }
    const gateway = GATEWAY_KEY.exec(key)?.[0];
    if (gateway !== undefined) {
      const before = this.gatewayVnet.get(gateway);
      if (before !== undefined) vnets.add(before);
      const after = this.refreshGateway(gateway);
      if (after !== undefined) vnets.add(after);
      return;
    }
    // A deleted resource group or subscription: everything known below it.
    if (SCOPE_KEY.test(key)) {
      const prefix = `${key}/`;
      for (const known of this.appIds.keys()) if (known.startsWith(prefix)) apps.add(known);
      for (const known of this.vnetViews.keys()) if (known.startsWith(prefix)) vnets.add(known);
      for (const known of [...this.gatewayViews.keys()]) if (known.startsWith(prefix)) this.classify(known, apps, vnets);
    }
  }

  private neighbours(vnet: string): Set<string> {
    return new Set([...(this.peersOut.get(vnet) ?? []), ...(this.peersIn.get(vnet) ?? [])]);
  }

  private refreshVnet(vnetKey: string): void {
    this.publicLookingPrefixes = undefined;
    for (const remote of this.peersOut.get(vnetKey) ?? []) this.peersIn.get(remote)?.delete(vnetKey);
    this.peersOut.delete(vnetKey);
    const vnet = this.ctx.store.get(vnetKey);
    if (vnet === undefined) {
      this.vnetViews.delete(vnetKey);
      return;
    }
    const peerings = this.ctx.store.children(vnet.id, 'virtualNetworkPeerings');
    const out = new Set<string>();
    for (const peering of peerings) {
      const remote = remoteOf(peering);
      if (remote === undefined) continue;
      out.add(remote.toLowerCase());
      let back = this.peersIn.get(remote.toLowerCase());
      if (back === undefined) this.peersIn.set(remote.toLowerCase(), (back = new Set()));
      back.add(vnetKey);
    }
    this.peersOut.set(vnetKey, out);
    const addressSpace = vnet.properties['addressSpace'] as { addressPrefixes?: string[] } | undefined;
    this.vnetViews.set(vnetKey, {
      id: vnet.id,
      location: vnet.location ?? '',
      properties: {
        addressSpace: { addressPrefixes: addressSpace?.addressPrefixes ?? [] },
        // Connected means "this half exists and its remote VNet exists"; the world also requires the other half.
        virtualNetworkPeerings: peerings.flatMap((p) => {
          const remote = remoteOf(p);
          return remote === undefined ? [] : [{ name: p.name, properties: { ...(p.properties as object), remoteVirtualNetwork: { id: remote }, peeringState: this.ctx.store.has(remote) ? 'Connected' : 'Disconnected' } }];
        }),
      },
    });
  }

  /** Re-reads a gateway; returns the VNet it now serves. */
  private refreshGateway(gatewayKey: string): string | undefined {
    const gateway = this.ctx.store.get(gatewayKey);
    this.gatewayVnet.delete(gatewayKey);
    if (gateway === undefined) {
      this.gatewayViews.delete(gatewayKey);
      return undefined;
    }
    const configs = (gateway.properties['ipConfigurations'] ?? []) as { properties?: { subnet?: { id?: string } } }[];
    const ipConfigurations = configs.flatMap((c) => (typeof c.properties?.subnet?.id === 'string' ? [{ properties: { subnet: { id: c.properties.subnet.id } } }] : []));
    this.gatewayViews.set(gatewayKey, { id: gateway.id, location: gateway.location ?? '', properties: { ipConfigurations } });
    const vnet = ipConfigurations[0] === undefined ? undefined : vnetOfSubnet(ipConfigurations[0].properties.subnet.id);
    if (vnet !== undefined) this.gatewayVnet.set(gatewayKey, vnet);
    return vnet;
  }

  private recordApps(appKeys: ReadonlySet<string>, at: number): void {
    const sites: SiteView[] = [];
    const vnetConnections: Record<string, VnetInfoView[]> = {};
    const appSettings: Record<string, Record<string, string>> = {};
    for (const appKey of appKeys) {
      const app = this.ctx.store.get(appKey);
      if (app === undefined || (app.type !== SITE_TYPE && app.type !== SLOT_TYPE)) {
        this.forget(appKey);
        continue;
      }
      const view = this.appView(app);
      sites.push(view.site);
      vnetConnections[app.id] = view.connections;
      if (view.settings !== undefined) appSettings[app.id] = view.settings;
    }
    if (sites.length === 0) return;
    this.recordings++;
    this.appsRecomputed += sites.length;
    const world = this.world(sites, vnetConnections, appSettings, {}, this.dnsFor(sites));
    for (const site of sites) {
      const down = world.reachability(site.id, at).find((d) => !d.reachable);
      // A completion settled late may belong before the app's last record: the observed history cannot be rewritten.
      this.timeline.record(site.id, Math.max(at, this.timeline.lastProbeAt(site.id)), down === undefined, down?.reason);
    }
  }

  private recordRestarts(): void {
    const restarts: readonly RestartRecord[] = this.ctx.restarts;
    for (; this.restartsSeen < restarts.length; this.restartsSeen++) {
      const r = restarts[this.restartsSeen];
      if (r !== undefined) this.timeline.recordRestart(r.siteId, { from: r.at, to: r.at + r.durationMs });
    }
  }

  /** Reads one app, and re-indexes its host name and the VNets its integration touches. */
  private appView(app: StoredResource): { site: SiteView; connections: VnetInfoView[]; settings: Record<string, string> | undefined } {
    const key = app.id.toLowerCase();
    const properties = app.properties as SiteView['properties'] & { defaultHostName?: string };
    const site: SiteView = {
      id: app.id,
      location: app.location ?? '',
      ...(app.kind === undefined ? {} : { kind: app.kind }),
      properties: {
        virtualNetworkSubnetId: properties.virtualNetworkSubnetId ?? null,
        outboundVnetRouting: properties.outboundVnetRouting ?? null,
        ...(properties.vnetRouteAllEnabled === undefined ? {} : { vnetRouteAllEnabled: properties.vnetRouteAllEnabled }),
      },
    };
    const connections = this.ctx.store.children(app.id, 'virtualNetworkConnections').map((c) => ({ name: c.name, properties: { ...(c.properties as VnetInfoView['properties']), isSwift: false } }));
    const stored = this.ctx.store.get(`${app.id}/config/appsettings`);
    const settings = stored === undefined ? undefined : { ...(stored.properties as Record<string, string>) };

    this.unindex(key);
    this.appIds.set(key, app.id);
    if (typeof properties.defaultHostName === 'string') {
      this.hostToApp.set(properties.defaultHostName.toLowerCase(), key);
      this.appHost.set(key, properties.defaultHostName);
    }
    const vnets = new Set<string>(connections.map((c) => c.properties.vnetResourceId.toLowerCase()));
    if (typeof site.properties.virtualNetworkSubnetId === 'string' && site.properties.virtualNetworkSubnetId !== '') vnets.add(vnetOfSubnet(site.properties.virtualNetworkSubnetId));
    this.appVnets.set(key, vnets);
    for (const vnet of vnets) {
      let apps = this.vnetApps.get(vnet);
      if (apps === undefined) this.vnetApps.set(vnet, (apps = new Set()));
      apps.add(key);
    }
    return { site, connections, settings };
  }

  private unindex(appKey: string): void {
    for (const vnet of this.appVnets.get(appKey) ?? []) this.vnetApps.get(vnet)?.delete(appKey);
    this.appVnets.delete(appKey);
    const host = this.appHost.get(appKey)?.toLowerCase();
    if (host !== undefined && this.hostToApp.get(host) === appKey) this.hostToApp.delete(host);
    this.appHost.delete(appKey);
  }

  private forget(appKey: string): void {
    this.unindex(appKey);
    this.appIds.delete(appKey);
  }

  /**
   * A world holds only what the given apps can reach through: their VNets, those VNets' peers (whose peerings the
   * world reads for the other half), and their gateways. Every other VNet matters only for telling private from public
   * destinations, which RFC 1918 already does except for VNets with other address space: those prefixes ride along in
   * one placeholder VNet nobody is integrated with.
   */
  private world(
    sites: readonly SiteView[],
    vnetConnections: Record<string, VnetInfoView[]>,
    appSettings: Record<string, Record<string, string>>,
    restartingUntil: Record<string, number>,
    dns: Readonly<Record<string, string>> | undefined = this.scenario.dns,
  ): VerificationWorld {
    return createVerificationWorld({
      sites,
      vnetConnections,
      appSettings,
      ...this.networksFor(sites),
      dependencies: sites.flatMap((s) => this.dependencies.get(s.id.toLowerCase()) ?? []),
      ...(dns === undefined ? {} : { dns }),
      ...(this.scenario.onPremises === undefined ? {} : { onPremises: this.scenario.onPremises }),
      restartingUntil,
    });
  }

  private networksFor(sites: readonly SiteView[]): { virtualNetworks: VirtualNetworkView[]; virtualNetworkGateways: VirtualNetworkGatewayView[] } {
    const wanted = new Set<string>();
    for (const site of sites) {
      for (const vnet of this.appVnets.get(site.id.toLowerCase()) ?? []) {
        wanted.add(vnet);
        for (const peer of this.neighbours(vnet)) wanted.add(peer);
      }
    }
    const virtualNetworks = [...wanted].flatMap((k) => this.vnetViews.get(k) ?? []);
    this.publicLookingPrefixes ??= [...this.vnetViews.values()].flatMap((v) => v.properties.addressSpace.addressPrefixes.filter((p) => {
      const range = parseCidr(p);
      return range !== undefined && !(isRfc1918(range.first) && isRfc1918(range.last));
    }));
    if (this.publicLookingPrefixes.length > 0) {
      virtualNetworks.push({ id: '/simulator/address-space-of-other-vnets', location: '', properties: { addressSpace: { addressPrefixes: this.publicLookingPrefixes } } });
    }
    const virtualNetworkGateways = [...this.gatewayVnet].filter(([, vnet]) => wanted.has(vnet)).flatMap(([gateway]) => this.gatewayViews.get(gateway) ?? []);
    return { virtualNetworks, virtualNetworkGateways };
  }

  /** Only the names the apps' dependencies use: a fleet's DNS table is as large as the fleet. */
  private dnsFor(sites: readonly SiteView[]): Record<string, string> {
    const table = this.scenario.dns ?? {};
    const lowered = this.dnsLowered ??= new Map(Object.entries(table).map(([host, address]) => [host.toLowerCase(), address]));
    const out: Record<string, string> = {};
    for (const site of sites) {
      for (const dependency of this.dependencies.get(site.id.toLowerCase()) ?? []) {
        const host = parseTarget(dependency.target).host.toLowerCase();
        const address = lowered.get(host);
        if (address !== undefined) out[host] = address;
      }
    }
    return out;
  }

  /** A one-app world for live answers (health, Kudu), with its restart window as of `at`. */
  private liveWorld(appId: string, at: number): VerificationWorld {
    this.ctx.operations.settleDue();
    const app = this.ctx.store.get(appId);
    if (app === undefined) return this.world([], {}, {}, {});
    const view = this.appView(app);
    let until = 0;
    for (const r of this.ctx.restarts) if (r.siteId.toLowerCase() === app.id.toLowerCase() && r.at <= at) until = Math.max(until, r.at + r.durationMs);
    return this.world([view.site], { [app.id]: view.connections }, view.settings === undefined ? {} : { [app.id]: view.settings }, until > 0 ? { [app.id]: until } : {});
  }
}

function remoteOf(peering: StoredResource): string | undefined {
  const remote = peering.properties['remoteVirtualNetwork'] as { id?: unknown } | undefined;
  return typeof remote?.id === 'string' ? remote.id : undefined;
}
