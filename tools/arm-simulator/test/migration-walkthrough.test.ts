/**
 * The runbook, by hand, against the demo fleet with the real SDK clients: create a delegated subnet, delete the
 * gateway-based connection, join the subnet, set routing — checked the way an operator checks it in Azure, through the
 * app's own health path and Kudu's tcpping, and through the timeline the simulator recorded while it happened.
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { DEMO_SUBSCRIPTIONS } from '../src/scenario/demo.js';
import { appRequest, tcpping } from './app-http.js';
import type { HealthBody } from './app-http.js';
import { clientOptions, rawRequest, startTestSimulator, staticCredential } from '../src/testing.js';

/** Simulated ms per real ms: the 15 s restart after a gateway disconnect takes 50 real ms. */
const CLOCK_FACTOR = 300;
const RESTART_MS = 15_000;
const WEB_RG = 'rg-web-we';
const VNET_RG = 'rg-network-we';
const VNET = 'vnet-apps-we';
const POLL = { updateIntervalInMs: 5 };

interface Bracket {
  readonly start: number;
  readonly end: number;
}

interface TimelineAnswer {
  readonly transitions: readonly { at: number; allReachable: boolean; detail?: string }[];
  readonly downtimeMs: number;
}

describe('migrating demo apps by hand, checked through the app endpoints and the recorded timeline', () => {
  let sim: SimulatorHandle;
  let web: WebSiteManagementClient;
  let network: NetworkManagementClient;
  let subnetId = '';

  /** Runs one ARM call and returns the simulated instants that bound when it took effect. */
  const timed = async (call: () => Promise<unknown>): Promise<Bracket> => {
    const start = sim.clock.now();
    await call();
    return { start, end: sim.clock.now() };
  };
  const health = async (site: string): Promise<{ status: number; body: HealthBody }> => {
    const answer = await appRequest(sim, `${site}.azurewebsites.net`, { path: '/health' });
    return { status: answer.status, body: answer.json<HealthBody>() };
  };
  const timeline = async (site: string, from: number): Promise<TimelineAnswer> =>
    (await rawRequest(sim, 'GET', `/_simulator/apps/${site}/timeline?from=${from}`, undefined, {})).json() as TimelineAnswer;
  // SitePatchResource has no outboundVnetRouting in this SDK, so route all goes through config/web, as
  // `az webapp config set --vnet-route-all-enabled` does; App Service keeps it as outboundVnetRouting.applicationTraffic.
  const routeAll = (site: string): Promise<unknown> => web.webApps.updateConfiguration(WEB_RG, site, { vnetRouteAllEnabled: true });
  const waitUntilSimulated = async (instant: number): Promise<void> => {
    while (sim.clock.now() < instant) await sim.clock.sleep(instant - sim.clock.now());
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', clockFactor: CLOCK_FACTOR, longRunningOperationMs: 3000, pageSize: 100 });
    expect(sim.settings.restartDurationMs).toBe(RESTART_MS);
    web = new WebSiteManagementClient(staticCredential('migrator'), DEMO_SUBSCRIPTIONS.prod, clientOptions(sim));
    network = new NetworkManagementClient(staticCredential('migrator'), DEMO_SUBSCRIPTIONS.prod, clientOptions(sim));
    const subnet = await network.subnets.beginCreateOrUpdateAndWait(VNET_RG, VNET, 'snet-integration-web-we-1', {
      addressPrefix: '10.10.2.0/26',
      delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: 'Microsoft.Web/serverFarms' }],
    }, POLL);
    subnetId = subnet.id ?? '';
    expect(subnetId).toMatch(/\/subnets\/snet-integration-web-we-1$/);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('an ordinary gateway-based app: healthy before, down during the gap, healthy after; downtime equals the gap', async () => {
    const site = 'shop-api-we';
    const dependency = 'sql-apps-we.internal.contoso.example:1433';
    const from = sim.clock.now();
    expect((await health(site)).status).toBe(200);
    expect((await tcpping(sim, site, dependency)).ExitCode).toBe(0);

    const disconnect = await timed(() => web.webApps.deleteVnetConnection(WEB_RG, site, VNET));
    const restarting = await health(site);
    expect(restarting.status).toBe(503);
    expect(restarting.body.status).toBe('Restarting');
    // After the restart, still down: nothing routes to the private SQL VM until the app joins the subnet.
    await waitUntilSimulated(disconnect.end + RESTART_MS + 1000);
    const gap = await health(site);
    expect(gap.status).toBe(503);
    expect(gap.body).toMatchObject({ status: 'Unhealthy', dependencies: [{ target: dependency, reachable: false, reason: 'no-integration' }] });
    expect((await tcpping(sim, site, dependency)).ExitCode).toBe(1);

    const join = await timed(() => web.webApps.update(WEB_RG, site, { virtualNetworkSubnetId: subnetId }));
    await routeAll(site);
    const after = await health(site);
    expect(after.status).toBe(200);
    expect(after.body.dependencies[0]).toMatchObject({ reachable: true, reason: 'integrated-vnet' });
    const ping = await tcpping(sim, site, dependency);
    expect(ping.ExitCode).toBe(0);
    expect(ping.Output).toContain(`Connected to ${dependency}`);

    const recorded = await timeline(site, from);
    const down = recorded.transitions.filter((t) => t.at >= from);
    expect(down.map((t) => t.allReachable)).toEqual([false, true]);
    const [outage, recovery] = down as [TimelineAnswer['transitions'][number], TimelineAnswer['transitions'][number]];
    // Each edge lies inside the request that caused it: the resolution is one request's duration on this clock.
    expect(outage.at).toBeGreaterThanOrEqual(disconnect.start);
    expect(outage.at).toBeLessThanOrEqual(disconnect.end);
    expect(recovery.at).toBeGreaterThanOrEqual(join.start);
    expect(recovery.at).toBeLessThanOrEqual(join.end);
    expect(recorded.downtimeMs).toBeGreaterThan(RESTART_MS);
    expect(recorded.downtimeMs).toBe(recovery.at - outage.at);
    expect(recorded.downtimeMs).toBeGreaterThanOrEqual(join.start - disconnect.end);
    expect(recorded.downtimeMs).toBeLessThanOrEqual(join.end - disconnect.start);
  });

  it('a quick join is still down for the whole restart: downtime is the restart window, not the configuration gap', async () => {
    const site = 'catalog-api-we';
    const from = sim.clock.now();
    expect((await health(site)).status).toBe(200);
    const disconnect = await timed(() => web.webApps.deleteVnetConnection(WEB_RG, site, VNET));
    await web.webApps.update(WEB_RG, site, { virtualNetworkSubnetId: subnetId });
    const restartAt = sim.restarts.filter((r) => r.siteId.toLowerCase().endsWith(`/sites/${site}`)).pop()?.at ?? Number.NaN;
    expect(restartAt).toBeGreaterThanOrEqual(disconnect.start);
    expect((await health(site)).body.status).toBe('Restarting');
    await waitUntilSimulated(restartAt + RESTART_MS);
    expect((await health(site)).status).toBe(200);
    // The configuration gap (delete → join) lies inside the restart, so it adds nothing.
    expect((await timeline(site, from)).downtimeMs).toBe(RESTART_MS);
  });

  it('orders-legacy-we breaks after migration without route all and recovers once applicationTraffic is set', async () => {
    const site = 'orders-legacy-we';
    const mainframe = 'mainframe.corp.contoso.example:3270';
    const from = sim.clock.now();
    expect((await health(site)).status).toBe(200);
    expect((await tcpping(sim, site, mainframe)).ExitCode).toBe(0);

    const disconnect = await timed(() => web.webApps.deleteVnetConnection(WEB_RG, site, VNET));
    await web.webApps.update(WEB_RG, site, { virtualNetworkSubnetId: subnetId });
    await waitUntilSimulated(disconnect.end + RESTART_MS + 1000);
    const broken = await health(site);
    expect(broken.status).toBe(503);
    expect(broken.body).toMatchObject({ status: 'Unhealthy', dependencies: [{ target: mainframe, reachable: false, reason: 'routed-to-internet' }] });
    expect((await tcpping(sim, site, mainframe)).ExitCode).toBe(1);
    // Still broken later: nothing changes until routing does.
    await waitUntilSimulated(sim.clock.now() + 5000);
    expect((await health(site)).status).toBe(503);

    const routing = await timed(() => routeAll(site));
    expect((await web.webApps.get(WEB_RG, site)).outboundVnetRouting?.applicationTraffic).toBe(true);
    const fixed = await health(site);
    expect(fixed.status).toBe(200);
    expect(fixed.body.dependencies[0]).toMatchObject({ reachable: true, reason: 'on-premises' });
    expect((await tcpping(sim, site, mainframe)).ExitCode).toBe(0);

    const recorded = await timeline(site, from);
    const edges = recorded.transitions.filter((t) => t.at >= from);
    expect(edges.map((t) => t.allReachable)).toEqual([false, true]);
    expect(edges[1]?.at).toBeGreaterThanOrEqual(routing.start);
    expect(edges[1]?.at).toBeLessThanOrEqual(routing.end);
    expect(recorded.downtimeMs).toBeGreaterThanOrEqual(routing.start - disconnect.end);
    expect(recorded.downtimeMs).toBeLessThanOrEqual(routing.end - disconnect.start);
  });
});
