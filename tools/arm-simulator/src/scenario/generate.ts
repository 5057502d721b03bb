/**
 * Deterministic synthetic fleets (1,000 to 10,000 apps) with the demo's structure: cells of one VNet (a /20 carved
 * sequentially from 10.0.0.0/8, so no two VNets or subnets overlap) with a data subnet, an existing delegated
 * integration subnet, a GatewaySubnet and a P2S gateway, and three plans of eight apps each. A seeded generator picks
 * the variants (slots, legacy routing settings, cross-region connections, Linux regional apps, Free plans), so the same
 * seed always yields the same fleet.
 */
import type { Scenario } from '../contract.js';
import {
  appServicePlan, appSettings, gatewayConnection, networkId, networkSecurityGroup, peeringPair, site, SKUS,
  virtualNetwork, vpnGateway, webId,
} from './arm-bodies.js';
import { FleetBuilder } from './fleet-builder.js';
import { seededRandom } from '../policy/prng.js';
import { ScenarioError } from './errors.js';

export interface FleetOptions {
  readonly apps: number;
  readonly seed?: number;
  /** Number of subscriptions, or explicit subscription ids. Default 3. */
  readonly subscriptions?: number | readonly string[];
  readonly regions?: readonly string[];
}

export const APPS_PER_CELL = 24;
const APPS_PER_PLAN = 8;
/** 10.0.0.0/8 holds 4,096 /20 cells. */
const MAX_CELLS = 4096;

const ipv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function subscriptionIdFor(index: number, seed: number): string {
  const hex = (seed >>> 0).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function generateFleet(options: FleetOptions): Scenario {
  const seed = options.seed ?? 1;
  const regions = options.regions ?? ['westeurope', 'northeurope'];
  const requested = options.subscriptions ?? 3;
  const subscriptions: readonly string[] = typeof requested === 'number'
    ? Array.from({ length: requested }, (_, i) => subscriptionIdFor(i + 1, seed))
    : requested;
  const cells = Math.ceil(options.apps / APPS_PER_CELL);
  if (!Number.isInteger(options.apps) || options.apps < 1 || cells > MAX_CELLS) {
    throw new ScenarioError('ScenarioInvalid', `A generated fleet needs between 1 and ${MAX_CELLS * APPS_PER_CELL} apps; got ${options.apps}.`);
  }
  if (subscriptions.length === 0 || regions.length === 0) {
    throw new ScenarioError('ScenarioInvalid', 'A generated fleet needs at least one subscription and one region.');
  }
  const random = seededRandom(seed);
  const b = new FleetBuilder();
  const cellVnets: { vnetId: string; region: string }[] = [];
  let appIndex = 0;

  for (let cell = 0; cell < cells; cell++) {
    const sub = subscriptions[cell % subscriptions.length] ?? '';
    const region = regions[Math.floor(cell / subscriptions.length) % regions.length] ?? '';
    const base = 10 * 2 ** 24 + cell * 4096;
    const tag = `c${cell.toString().padStart(4, '0')}`;
    const netRg = `rg-net-${region}`;
    const vnetId = networkId(sub, netRg, 'virtualNetworks', `vnet-${tag}`);
    const nsgId = networkId(sub, netRg, 'networkSecurityGroups', `nsg-${tag}-data`);
    const gatewayId = networkId(sub, netRg, 'virtualNetworkGateways', `gw-${tag}`);
    b.add('nsg', networkSecurityGroup(nsgId, region));
    b.add('vnet', virtualNetwork(vnetId, region, [`${ipv4(base)}/20`], [
      { name: 'snet-data', prefix: `${ipv4(base)}/24`, nsgId },
      { name: 'snet-integration-existing', prefix: `${ipv4(base + 256)}/26`, delegatedToWeb: true },
      { name: 'GatewaySubnet', prefix: `${ipv4(base + 15 * 256)}/27` },
    ]));
    b.add('gateway', vpnGateway(gatewayId, region, vnetId, `172.${16 + (cell % 16)}.${Math.floor(cell / 16) % 256}.0/24`));
    if (cell < 256) b.onPremises.push({ name: `dc-${tag}`, gatewayId, addressPrefixes: [`192.168.${cell}.0/24`] });
    const previous = cellVnets[cell - 1];
    if (cell % 2 === 1 && previous !== undefined) b.add('peering', ...peeringPair(previous.vnetId, vnetId));
    cellVnets.push({ vnetId, region });

    const appRg = `rg-apps-${region}`;
    for (let p = 0; p * APPS_PER_PLAN < APPS_PER_CELL && appIndex < options.apps; p++) {
      const roll = random();
      const flavour = roll < 0.04 ? 'linux' : roll < 0.07 ? 'free' : 'windows';
      const sku = flavour === 'free' ? SKUS.free : random() < 0.5 ? SKUS.premiumV3 : SKUS.standard;
      const planId = webId(sub, appRg, 'serverfarms', `plan-${tag}-${p}`);
      b.add('plan', appServicePlan(planId, region, { sku, linux: flavour === 'linux' }));
      for (let j = 0; j < APPS_PER_PLAN && appIndex < options.apps; j++, appIndex++) {
        const siteId = webId(sub, appRg, 'sites', `app-${tag}-${p}${j}`);
        const host = `sql-${tag}.internal.example`;
        b.add('site', site(siteId, region, {
          planId,
          linux: flavour === 'linux',
          ...(flavour === 'linux' ? { regionalSubnetId: `${vnetId}/subnets/snet-integration-existing`, routeAll: true } : {}),
        }));
        const legacy: Record<string, string> = random() < 0.04 ? { WEBSITE_VNET_ROUTE_ALL: '1' } : {};
        b.add('settings', appSettings(siteId, { APP_ENV: 'production', DB_HOST: host, ...legacy }));
        if (flavour === 'windows') {
          const crossRegion = random() < 0.05 ? cellVnets.find((c) => c.region !== region) : undefined;
          const target = crossRegion?.vnetId ?? vnetId;
          b.add('connection', gatewayConnection(siteId, target));
          if (random() < 0.03) {
            const slotId = `${siteId}/slots/staging`;
            b.add('slot', site(slotId, region, { planId }));
            b.add('connection', gatewayConnection(slotId, target));
          }
          if (crossRegion === undefined) b.depend(siteId, host, ipv4(base + 4), 1433, `SQL in vnet-${tag}`);
        }
      }
    }
  }
  return {
    name: `generated-${options.apps}-seed-${seed}`,
    description: `Synthetic fleet of ${options.apps} apps over ${subscriptions.length} subscriptions and ${regions.length} regions (seed ${seed}).`,
    resources: b.resources(),
    dependencies: b.dependencies,
    dns: b.dns,
    onPremises: b.onPremises,
  };
}
