/**
 * The planner on whole fleets (results in docs/benchmarks.md): parseInventory (zod validation with cross-reference
 * checks) and buildMigrationPlan (eligibility, subnet sizing and address allocation, routing) on 1,000 and 5,000
 * apps. Targets: 1,000 apps < 1 s and 5,000 apps < 5 s for parse + plan together, so a fleet-wide dry run is
 * interactive. The inventory mirrors the simulator's synthetic fleets: cells of one /20 VNet with a data subnet and a
 * GatewaySubnet, three plans of eight gateway-integrated apps each; a few Linux apps already regional, a few Free.
 */
import type { InventoryInput } from '../src/domain/inventory.js';
import { parseInventory } from '../src/domain/inventory.js';
import { buildMigrationPlan } from '../src/domain/plan-builder.js';
import { fixed, timed, whole } from './measure.js';

const APPS_PER_CELL = 24;
const APPS_PER_PLAN = 8;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

const ipv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function syntheticInventory(apps: number): InventoryInput {
  const inventory: Required<Pick<InventoryInput, 'apps' | 'plans' | 'virtualNetworks'>> = { apps: [], plans: [], virtualNetworks: [] };
  const sub = (cell: number): string => `00000000-0000-4000-8000-${(cell % 3).toString(16).padStart(12, '0')}`;
  for (let cell = 0, appIndex = 0; appIndex < apps; cell++) {
    const net = `/subscriptions/${sub(cell)}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-c${cell}`;
    const web = `/subscriptions/${sub(cell)}/resourceGroups/rg-apps/providers/Microsoft.Web`;
    const base = 10 * 2 ** 24 + cell * 4096;
    inventory.virtualNetworks.push({
      id: net,
      location: 'westeurope',
      addressPrefixes: [`${ipv4(base)}/20`],
      subnets: [
        { id: `${net}/subnets/snet-data`, addressPrefix: `${ipv4(base)}/24`, inUse: true },
        { id: `${net}/subnets/GatewaySubnet`, addressPrefix: `${ipv4(base + 15 * 256)}/27`, inUse: true },
      ],
    });
    for (let p = 0; p * APPS_PER_PLAN < APPS_PER_CELL && appIndex < apps; p++) {
      const planId = `${web}/serverfarms/plan-c${cell}-${p}`;
      const free = cell % 29 === 0 && p === 2;
      inventory.plans.push({ id: planId, location: 'westeurope', sku: free ? { name: 'F1', tier: 'Free' } : { name: 'P1v3', tier: 'PremiumV3' }, maximumNumberOfWorkers: 30 });
      for (let j = 0; j < APPS_PER_PLAN && appIndex < apps; j++, appIndex++) {
        const linux = appIndex % 50 === 7;
        inventory.apps.push({
          id: `${web}/sites/app-c${cell}-${p}${j}`,
          kind: linux ? 'app,linux' : 'app',
          reserved: linux,
          location: 'westeurope',
          planId,
          appSettingNames: appIndex % 25 === 3 ? ['WEBSITE_VNET_ROUTE_ALL', 'DB_HOST'] : ['DB_HOST'],
          routingSettings: appIndex % 25 === 3 ? { WEBSITE_VNET_ROUTE_ALL: '1' } : {},
          gatewayConnections: linux ? [] : [{ vnetId: net, routes: [] }],
        });
      }
    }
  }
  return inventory;
}

interface Line {
  readonly apps: number;
  readonly parseMs: number;
  readonly planMs: number;
  readonly migrate: number;
  readonly skipped: number;
}

async function measure(apps: number): Promise<Line> {
  const input = syntheticInventory(apps);
  let best: Line | undefined;
  for (let r = 0; r < REPEATS; r++) {
    const parsed = await timed(() => parseInventory(input));
    const planned = await timed(() => buildMigrationPlan(parsed.result, { apiVersion: '2025-05-01' }));
    const { summary } = planned.result;
    if (summary.migrate === 0) throw new Error(`the ${apps}-app inventory planned no migrations: ${JSON.stringify(summary)}`);
    const line = { apps, parseMs: parsed.ms, planMs: planned.ms, migrate: summary.migrate, skipped: summary.skip + summary.blocked };
    if (best === undefined || line.parseMs + line.planMs < best.parseMs + best.planMs) best = line;
  }
  if (best === undefined) throw new Error('BENCH_REPEATS must be at least 1');
  return best;
}

export async function run(): Promise<void> {
  const lines = [await measure(1000), await measure(5000)];
  console.log(`\ndomain: parseInventory + buildMigrationPlan (best of ${REPEATS})`);
  console.log('| apps | parse (ms) | plan (ms) | total (ms) | migrate | skipped/blocked |');
  console.log('|---|---|---|---|---|---|');
  for (const l of lines) console.log(`| ${whole(l.apps)} | ${fixed(l.parseMs, 0)} | ${fixed(l.planMs, 0)} | ${fixed(l.parseMs + l.planMs, 0)} | ${whole(l.migrate)} | ${whole(l.skipped)} |`);
}
