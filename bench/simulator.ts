/**
 * The ARM simulator at fleet scale (results and commands in docs/benchmarks.md):
 *   1. generating the synthetic 10,000-app fleet (target < 5 s);
 *   2. seeding fleet-1000 (target < 10 s) and fleet-10000 (target: seconds, i.e. < 30 s) through the PUT handlers with
 *      every rule enforced;
 *   3. GET throughput on the 10,000-app world over real HTTPS with keep-alive and CLIENTS concurrent clients
 *      (target >= 1,000 GETs/s): site GET, subnet GET (service association link derived from the apps), a VNet's
 *      subnet list (one short page), the first page (100 sites) of a subscription-wide site list, and site GET
 *      through the real WebSiteManagementClient.
 * Throttling is off (ARM's read bucket would cap a single principal at 25 reads/s by design).
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/identity';
import { startSimulator } from '@vnet-migrator/arm-simulator/index.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { generateFleet } from '@vnet-migrator/arm-simulator/scenario/generate.js';
import { fixed, throughput, timed, whole } from './measure.js';
import type { Throughput } from './measure.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const DATA_DIR = path.join(os.tmpdir(), 'arm-simulator-bench-certs');
const API = 'api-version=2025-05-01';

const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: `e30.${Buffer.from(JSON.stringify({ oid: 'bench' })).toString('base64url')}.`, expiresOnTimestamp: Date.now() + 3600_000 }),
};

async function seedLine(apps: number): Promise<{ apps: number; resources: number; seedMs: number; generateMs: number }> {
  const generated = await timed(() => generateFleet({ apps, seed: 1 }));
  const sim = await startSimulator({ port: 0, dataDir: DATA_DIR, throttling: false });
  try {
    const seeded = await timed(() => sim.seed(generated.result.resources));
    return { apps, resources: generated.result.resources.length, seedMs: seeded.ms, generateMs: generated.ms };
  } finally {
    await sim.stop();
  }
}

function rawGet(sim: SimulatorHandle, agent: https.Agent, pathAndQuery: string): Promise<void> {
  return new Promise((resolve, reject) => {
    https
      .get(`${sim.url}${pathAndQuery}`, { agent, headers: { Authorization: 'Bearer bench' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${pathAndQuery} answered ${String(res.statusCode)}`))));
      })
      .on('error', reject);
  });
}

export async function run(): Promise<void> {
  const seeds = [await seedLine(1000), await seedLine(10_000)];

  const fleet = generateFleet({ apps: 10_000, seed: 1 });
  const siteIds = fleet.resources.map((r) => r.id).filter((id) => /\/providers\/Microsoft\.Web\/sites\/[^/]+$/.test(id));
  const subnetIds = fleet.resources
    .filter((r) => /\/virtualNetworks\/[^/]+$/.test(r.id))
    .map((r) => `${r.id}/subnets/snet-integration-existing`);
  const subscription = siteIds[0]?.split('/')[2] ?? '';
  const sim = await startSimulator({ port: 0, dataDir: DATA_DIR, throttling: false, longRunningOperationMs: 0 });
  const agent = new https.Agent({ keepAlive: true, maxSockets: CLIENTS, ca: sim.caPem });
  const lines: { name: string; result: Throughput }[] = [];
  try {
    sim.seed(fleet.resources);
    lines.push({ name: 'site GET (HTTPS)', result: await throughput(CLIENTS, REQUESTS, (i) => rawGet(sim, agent, `${siteIds[i % siteIds.length] ?? ''}?${API}`)) });
    lines.push({ name: 'subnet GET with link (HTTPS)', result: await throughput(CLIENTS, REQUESTS, (i) => rawGet(sim, agent, `${subnetIds[i % subnetIds.length] ?? ''}?${API}`)) });
    lines.push({
      name: 'subnet list of a VNet, one page of 3 (HTTPS)',
      result: await throughput(CLIENTS, REQUESTS, (i) => rawGet(sim, agent, `${(subnetIds[i % subnetIds.length] ?? '').replace(/\/snet-integration-existing$/, '')}?${API}`)),
    });
    lines.push({
      name: 'site list, first page of 100 (HTTPS)',
      result: await throughput(CLIENTS, Math.ceil(REQUESTS / 10), () => rawGet(sim, agent, `/subscriptions/${subscription}/providers/Microsoft.Web/sites?${API}`), 20),
    });
    const client = new WebSiteManagementClient(credential, subscription, { endpoint: sim.url, tlsOptions: { ca: sim.caPem } });
    const ownSites = siteIds.filter((id) => id.split('/')[2] === subscription).map((id) => ({ rg: id.split('/')[4] ?? '', name: id.split('/')[8] ?? '' }));
    lines.push({
      name: 'site GET (WebSiteManagementClient)',
      result: await throughput(CLIENTS, REQUESTS, async (i) => {
        const target = ownSites[i % ownSites.length];
        if (target === undefined) throw new Error('no site to read');
        const got = await client.webApps.get(target.rg, target.name);
        if (got.name !== target.name) throw new Error(`SDK read ${String(got.name)} for ${target.name}`);
      }),
    });
  } finally {
    agent.destroy();
    await sim.stop();
  }

  console.log('\nsimulator: generate and seed (rules enforced, throttling off)');
  console.log('| fleet | resources | generate (ms) | seed (ms) |');
  console.log('|---|---|---|---|');
  for (const s of seeds) console.log(`| ${whole(s.apps)} apps | ${whole(s.resources)} | ${whole(s.generateMs)} | ${whole(s.seedMs)} |`);
  console.log(`\nsimulator: GET throughput on the 10,000-app world, ${CLIENTS} concurrent keep-alive clients`);
  console.log('| request | requests | GETs/s | p50 (ms) | p99 (ms) |');
  console.log('|---|---|---|---|---|');
  for (const { name, result } of lines) console.log(`| ${name} | ${whole(result.requests)} | ${whole(result.perSecond)} | ${fixed(result.p50Ms)} | ${fixed(result.p99Ms)} |`);
}
