/**
 * What keeping timelines costs at fleet scale: start (seed + the one initial recording), one recording after a
 * site's own change, one after a VNet change (its apps and those of peered VNets), a live health answer, and — for
 * contrast — recomputing the whole fleet from the store, which recording never does.
 * Run: `npx tsc -p tsconfig.build.json --outDir .local/bench-dist && node .local/bench-dist/src/simulator/app-world-bench.js fleet-10000`.
 */
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from './index.js';
import { allApps } from './web/integration-index.js';
import { createVerificationWorld } from './world/reachability.js';

function perCall(iterations: number, fn: () => void): number {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - started) / iterations;
}

const scenario = process.argv[2] ?? 'fleet-10000';
const startedAt = performance.now();
const sim = await startSimulator({ scenario, port: 0, dataDir: path.join(os.tmpdir(), 'arm-simulator-bench-certs'), rbac: false, throttling: false });
const startMs = performance.now() - startedAt;
const world = sim.appWorld;
const apps = allApps(sim.store);
const vnets = sim.store.ofType('Microsoft.Network/virtualNetworks');
const initial = world.stats();
const someApp = apps[Math.floor(apps.length / 2)]?.id.toLowerCase() ?? '';
const someVnet = vnets[Math.floor(vnets.length / 2)]?.id.toLowerCase() ?? '';

const siteBefore = world.stats().appsRecomputed;
const siteMs = perCall(1000, () => {
  world.changed(someApp);
  world.flush(sim.clock.now());
});
const siteApps = (world.stats().appsRecomputed - siteBefore) / 1000;
const vnetBefore = world.stats().appsRecomputed;
const vnetMs = perCall(200, () => {
  world.changed(someVnet);
  world.flush(sim.clock.now());
});
const vnetApps = (world.stats().appsRecomputed - vnetBefore) / 200;
const healthMs = perCall(1000, () => world.health(someApp, sim.clock.now()));
const fullMs = perCall(3, () => {
  const full = createVerificationWorld(sim.worldView());
  for (const app of apps) full.reachability(app.id, sim.clock.now());
});

console.log(JSON.stringify({
  scenario, apps: apps.length, vnets: vnets.length,
  startMs: Math.round(startMs), initialRecording: initial,
  siteChange: { msPerRecording: +siteMs.toFixed(3), appsRecomputed: siteApps },
  vnetChange: { msPerRecording: +vnetMs.toFixed(3), appsRecomputed: vnetApps },
  liveHealthMs: +healthMs.toFixed(3),
  wholeFleetRecomputeMs: Math.round(fullMs),
}, null, 2));
await sim.stop();
