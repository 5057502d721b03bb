/**
 * What keeping per-app timelines costs at fleet scale (results in docs/benchmarks.md): start (seed + the one initial
 * recording), one recording after a site's own change, one after a VNet change (its apps and those of peered VNets),
 * a live health answer, and, for contrast, recomputing the whole fleet from the store, which recording never does.
 * Command: `BENCH_ONLY=simulator-world npm run bench` (BENCH_WORLD_SCENARIO picks another fleet; default fleet-10000).
 */
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '@vnet-migrator/arm-simulator/index.js';
import { allApps } from '@vnet-migrator/arm-simulator/web/integration-index.js';
import { createVerificationWorld } from '@vnet-migrator/arm-simulator/world/reachability.js';
import { fixed, whole } from './measure.js';

function perCall(iterations: number, fn: () => void): number {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - started) / iterations;
}

export async function run(): Promise<void> {
  const scenario = process.env.BENCH_WORLD_SCENARIO ?? 'fleet-10000';
  const startedAt = performance.now();
  const sim = await startSimulator({ scenario, port: 0, dataDir: path.join(os.tmpdir(), 'arm-simulator-bench-certs'), rbac: false, throttling: false });
  try {
    const startMs = performance.now() - startedAt;
    const world = sim.appWorld;
    const apps = allApps(sim.store);
    const vnets = sim.store.ofType('Microsoft.Network/virtualNetworks');
    const someApp = apps[Math.floor(apps.length / 2)]?.id.toLowerCase();
    const someVnet = vnets[Math.floor(vnets.length / 2)]?.id.toLowerCase();
    if (someApp === undefined || someVnet === undefined) throw new Error(`Scenario '${scenario}' has no apps or no VNets to measure.`);

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
    // A recording that recomputes nothing measured nothing: fail rather than print a meaningless number.
    if (siteApps < 1 || vnetApps < 1) throw new Error(`Recording recomputed no apps (site ${siteApps}, VNet ${vnetApps}).`);
    const healthMs = perCall(1000, () => world.health(someApp, sim.clock.now()));
    const fullMs = perCall(3, () => {
      const full = createVerificationWorld(sim.worldView());
      for (const app of apps) full.reachability(app.id, sim.clock.now());
    });

    console.log(`${scenario}: ${whole(apps.length)} apps, ${whole(vnets.length)} VNets`);
    console.log('| measure | ms | apps recomputed |');
    console.log('|---|---|---|');
    console.log(`| start (seed + initial recording) | ${whole(startMs)} | all |`);
    console.log(`| recording after a site's own change | ${fixed(siteMs, 3)} | ${fixed(siteApps, 1)} |`);
    console.log(`| recording after a VNet change | ${fixed(vnetMs, 3)} | ${fixed(vnetApps, 1)} |`);
    console.log(`| live health answer | ${fixed(healthMs, 3)} | - |`);
    console.log(`| whole-fleet recompute from the store (contrast) | ${whole(fullMs)} | ${whole(apps.length)} |`);
  } finally {
    await sim.stop();
  }
}
