import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservedOperationTracker } from '../src/app-observed-operations.js';
import { ManualClock } from '../src/clock.js';
import type { SimulatorHandle } from '../src/index.js';
import { DEMO_SUBSCRIPTIONS } from '../src/scenario/demo.js';
import { appRequest } from './app-http.js';
import type { HealthBody } from './app-http.js';
import { rawRequest, startTestSimulator } from '../src/testing.js';
import { allApps } from '../src/web/integration-index.js';
import { createVerificationWorld } from '../src/world/reachability.js';

/** The recorded state of every app equals a whole-fleet recompute from the store (restarts aside). */
function expectRecordedEqualsWholeFleet(sim: SimulatorHandle): void {
  const view = sim.worldView();
  const full = createVerificationWorld({ ...view, restartingUntil: {} });
  const at = sim.clock.now();
  const disagreements = allApps(sim.store).flatMap((app) => {
    const expected = full.reachability(app.id, at).every((d) => d.reachable);
    const probes = sim.appWorld.timeline.query(app.id).filter((e) => e.detail !== 'restarting');
    const recorded = probes.at(-1)?.allReachable;
    return recorded === expected ? [] : [`${app.id}: recorded ${String(recorded)}, whole fleet says ${String(expected)}`];
  });
  expect(disagreements).toEqual([]);
}

const PROD = `/subscriptions/${DEMO_SUBSCRIPTIONS.prod}`;
const SITES = `${PROD}/resourceGroups/rg-web-we/providers/Microsoft.Web/sites`;
const SHOP_WEB = `${SITES}/shop-web-we`;
const SHOP_API = `${SITES}/shop-api-we`;
const APPS_WE = `${PROD}/resourceGroups/rg-network-we/providers/Microsoft.Network/virtualNetworks/vnet-apps-we`;
const NET_API = 'api-version=2025-05-01';
const WEB_API = 'api-version=2024-11-01';
const DEMO_APPS = 66;

describe('timelines recorded as the world changes', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({ scenario: 'demo', clockFactor: 1000, longRunningOperationMs: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('seeding records every app once, in one recording', () => {
    expect(sim.appWorld.stats()).toEqual({ recordings: 1, appsRecomputed: DEMO_APPS });
    expect(sim.appWorld.timeline.apps()).toHaveLength(DEMO_APPS);
  });

  it("a site's own change recomputes that app only", async () => {
    const before = sim.appWorld.stats().appsRecomputed;
    const patched = await rawRequest(sim, 'PATCH', `${SHOP_API}?${WEB_API}`, JSON.stringify({ tags: { owner: 'team-shop' } }));
    expect(patched.status).toBe(200);
    expect(sim.appWorld.stats().appsRecomputed - before).toBe(1);
  });

  it('deleting half of a peering takes down the apps that reach through it, at that instant, recomputing only the apps on the touched VNets', async () => {
    const peering = sim.store.children(APPS_WE, 'virtualNetworkPeerings').find((p) => /vnet-shared-we/i.test(JSON.stringify(p.properties)));
    expect(peering).toBeDefined();
    const body = JSON.stringify({ properties: peering?.properties });
    const before = sim.appWorld.stats().appsRecomputed;
    const start = sim.clock.now();
    expect((await rawRequest(sim, 'DELETE', `${peering?.id ?? ''}?${NET_API}`)).status).toBeLessThan(300);
    const end = sim.clock.now();
    const recomputed = sim.appWorld.stats().appsRecomputed - before;
    expect(recomputed).toBeGreaterThan(0);
    expect(recomputed).toBeLessThan(DEMO_APPS);

    const down = sim.appWorld.timeline.query(SHOP_WEB).at(-1);
    expect(down).toMatchObject({ allReachable: false, detail: 'no-route' });
    expect(down?.at).toBeGreaterThanOrEqual(start);
    expect(down?.at).toBeLessThanOrEqual(end);
    // An app on an unrelated VNet is untouched: still the single (reachable) record from seeding.
    expect(sim.appWorld.timeline.query(`/subscriptions/${DEMO_SUBSCRIPTIONS.shared}/resourceGroups/rg-apps-we/providers/Microsoft.Web/sites/dev-api-we`)).toHaveLength(1);
    const health = await appRequest(sim, 'shop-web-we.azurewebsites.net');
    expect(health.status).toBe(503);

    const restoreStart = sim.clock.now();
    expect((await rawRequest(sim, 'PUT', `${peering?.id ?? ''}?${NET_API}`, body)).status).toBeLessThan(300);
    expect((await appRequest(sim, 'shop-web-we.azurewebsites.net')).status).toBe(200);
    const up = sim.appWorld.timeline.query(SHOP_WEB).at(-1);
    expect(up?.allReachable).toBe(true);
    expect(up?.at).toBeGreaterThanOrEqual(restoreStart);
    expect(sim.appWorld.timeline.downtime(SHOP_WEB, { from: start, to: sim.clock.now() })).toBe((up?.at ?? 0) - (down?.at ?? 0));
  });

  // On its own simulator with a manual clock: with the shared scaled clock a loaded machine could let the whole
  // restart (15 ms real at factor 1000) pass before the test's next request.
  it('a restart is exactly restartDurationMs of downtime, during which health says Restarting', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const sim = await startTestSimulator({ scenario: 'demo', clock, longRunningOperationMs: 0 });
    try {
      const start = sim.clock.now();
      expect((await rawRequest(sim, 'POST', `${SITES}/payments-api-we/restart?${WEB_API}`)).status).toBe(200);
      const during = await appRequest(sim, 'payments-api-we.azurewebsites.net');
      expect(during.status).toBe(503);
      expect(during.json<HealthBody>().status).toBe('Restarting');
      const record = sim.restarts.at(-1);
      expect(record?.at).toBeGreaterThanOrEqual(start);
      const restartEnd = (record?.at ?? 0) + sim.settings.restartDurationMs;
      clock.advance(sim.settings.restartDurationMs - 1);
      expect((await appRequest(sim, 'payments-api-we.azurewebsites.net')).status).toBe(503);
      clock.advance(restartEnd - clock.now());
      expect((await appRequest(sim, 'payments-api-we.azurewebsites.net')).status).toBe(200);
      const timeline = (await rawRequest(sim, 'GET', `/_simulator/apps/payments-api-we/timeline?from=${start}`, undefined, {})).json() as { downtimeMs: number; transitions: { at: number; allReachable: boolean; detail?: string }[] };
      expect(timeline.downtimeMs).toBe(sim.settings.restartDurationMs);
      expect(timeline.transitions.slice(-2)).toEqual([
        { at: record?.at, allReachable: false, detail: 'restarting' },
        { at: restartEnd, allReachable: true },
      ]);
    } finally {
      await sim.stop();
    }
  });

  it('after all these changes every recorded state still equals a whole-fleet recompute', () => {
    expectRecordedEqualsWholeFleet(sim);
  });

  it('deleting a site forgets its host and its slots; reset records the initial state again', async () => {
    expect((await rawRequest(sim, 'DELETE', `${SHOP_WEB}?${WEB_API}`)).status).toBe(200);
    expect((await appRequest(sim, 'shop-web-we.azurewebsites.net')).status).toBe(404);
    expect((await appRequest(sim, 'shop-web-we-staging.azurewebsites.net')).status).toBe(404);
    expect((await rawRequest(sim, 'POST', '/_simulator/reset', undefined, {})).status).toBe(200);
    expect((await appRequest(sim, 'shop-web-we-staging.azurewebsites.net')).status).toBe(200);
    expect(sim.appWorld.timeline.apps()).toHaveLength(DEMO_APPS);
    expect(sim.appWorld.timeline.query(SHOP_WEB)).toHaveLength(1);
  });
});

describe('recording at fleet scale', () => {
  it('fleet-1000: the single seeding recording agrees with a whole-fleet recompute, and a VNet change touches only its cell', async () => {
    const sim = await startTestSimulator({ scenario: 'fleet-1000', clockFactor: 1000, longRunningOperationMs: 0, rbac: false, throttling: false });
    try {
      const apps = allApps(sim.store).length;
      expect(sim.appWorld.stats()).toEqual({ recordings: 1, appsRecomputed: apps });
      expectRecordedEqualsWholeFleet(sim);
      const vnet = sim.store.ofType('Microsoft.Network/virtualNetworks')[3];
      const before = sim.appWorld.stats().appsRecomputed;
      // A new subnet in the 9th /24 of the cell's /20 (the generator carves only the first ones).
      const [a, b, c] = ((vnet?.properties['addressSpace'] as { addressPrefixes: string[] }).addressPrefixes[0] ?? '').split('.');
      const put = await rawRequest(sim, 'PUT', `${vnet?.id ?? ''}/subnets/snet-new?${NET_API}`, JSON.stringify({ properties: { addressPrefix: `${a ?? ''}.${b ?? ''}.${Number(c) + 8}.0/24` } }));
      expect(put.status).toBeLessThan(300);
      const touched = sim.appWorld.stats().appsRecomputed - before;
      // A cell is 24 apps (plus slots), its VNet peered with at most one other cell, plus a few cross-region
      // connections from elsewhere: tens of apps, never the fleet.
      expect(touched).toBeGreaterThanOrEqual(24);
      expect(touched).toBeLessThanOrEqual(100);
      expectRecordedEqualsWholeFleet(sim);
    } finally {
      await sim.stop();
    }
  });
});

describe('long-running operation completions', () => {
  it('reach the observer with their own completion instant, however late they are settled', () => {
    const clock = new ManualClock(10_000);
    const tracker = new ObservedOperationTracker(clock);
    const seen: number[] = [];
    let applied = false;
    tracker.observe((completesAt, complete) => {
      seen.push(completesAt);
      complete();
    });
    const op = tracker.start({ provider: 'Microsoft.Network', location: 'westeurope', subscriptionId: 's', resourceKey: 'k', durationMs: 3000, complete: () => { applied = true; } });
    clock.advance(60_000);
    tracker.settleDue();
    expect(applied).toBe(true);
    expect(seen).toEqual([13_000]);
    expect(tracker.get(op.id)?.status).toBe('Succeeded');
  });
});
