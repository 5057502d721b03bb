/**
 * Measures the simulator at fleet scale: seeding N apps with regional integration (10 apps per plan and subnet),
 * sequential GET site latency over keep-alive HTTPS, a subnet GET (service association link derivation) and the first
 * page of a subscription-wide site list. Run: `npm run build && node dist/src/simulator/bench-throughput.js 3000`.
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioResource } from './contract.js';
import { startSimulator } from './index.js';

const W = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web';
const N = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network';
const delegated = { delegations: [{ name: 'w', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] };

function fleet(apps: number): ScenarioResource[] {
  const resources: ScenarioResource[] = [{ id: `${N}/virtualNetworks/v`, body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/8'] } } } }];
  const plans = Math.ceil(apps / 10);
  for (let p = 0; p < plans; p++) {
    resources.push({ id: `${N}/virtualNetworks/v/subnets/s${p}`, body: { properties: { addressPrefix: `10.${Math.floor(p / 256)}.${p % 256}.0/26`, ...delegated } } });
    resources.push({ id: `${W}/serverfarms/p${p}`, body: { location: 'westeurope', sku: { name: 'P1v3' } } });
  }
  for (let a = 0; a < apps; a++) {
    const p = Math.floor(a / 10);
    resources.push({ id: `${W}/sites/a${a}`, body: { location: 'westeurope', properties: { serverFarmId: `${W}/serverfarms/p${p}`, virtualNetworkSubnetId: `${N}/virtualNetworks/v/subnets/s${p}` } } });
  }
  return resources;
}

const apps = Number(process.argv[2] ?? 1000);
const sim = await startSimulator({ port: 0, dataDir: path.join(os.tmpdir(), 'arm-simulator-bench-certs'), throttling: false, longRunningOperationMs: 0 });
const agent = new https.Agent({ keepAlive: true, ca: sim.caPem });
const get = (p: string): Promise<number> =>
  new Promise((resolve, reject) => {
    https
      .get(`${sim.url}${p}`, { agent, headers: { Authorization: 'Bearer bench' } }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      })
      .on('error', reject);
  });
const timed = async (p: string): Promise<number> => {
  const start = performance.now();
  await get(p);
  return performance.now() - start;
};

const resources = fleet(apps);
const start = performance.now();
sim.seed(resources);
const seedMs = performance.now() - start;
const latencies: number[] = [];
for (let i = 0; i < 2000; i++) latencies.push(await timed(`${W}/sites/a${i % apps}?api-version=2025-05-01`));
latencies.sort((a, b) => a - b);
const subnetMs = await timed(`${N}/virtualNetworks/v/subnets/s0?api-version=2025-05-01`);
const listMs = await timed(`${W}/sites?api-version=2025-05-01`);
console.log(JSON.stringify({
  apps,
  resources: resources.length,
  seedMs: Math.round(seedMs),
  getSiteP50Ms: Number(latencies[1000]?.toFixed(2)),
  getSiteP99Ms: Number(latencies[1980]?.toFixed(2)),
  subnetGetMs: Number(subnetMs.toFixed(2)),
  firstListPageMs: Number(listMs.toFixed(2)),
}));
agent.destroy();
await sim.stop();
