/**
 * The baseline: Microsoft Learn's runbook (disconnect, then connect) done as a script would do it, with the real SDK
 * clients. Per app, one after another: delete the gateway-based connection; join the planned subnet (creating it,
 * delegated to Microsoft.Web/serverFarms, when it does not exist yet, as `az webapp vnet-integration add` does);
 * set the routing (config/web `vnetRouteAllEnabled`, as `az webapp config set --vnet-route-all-enabled`). No retries (the SDK's
 * own are turned off), no verification, no snapshot, no rollback: a failed step is counted and the script goes on
 * with the next app. Bench code, not product code.
 */
import type { ArmClients } from '../../src/azure/arm-clients.js';
import { createArmClients } from '../../src/azure/arm-clients.js';
import { staticCredential } from './proof-world.js';

export interface BaselineApp {
  readonly appId: string;
  readonly gatewayVnetId: string;
  readonly subnetId: string;
  /** Address prefix for a subnet to create; null when the plan reuses an existing one. */
  readonly addressPrefix: string | null;
  readonly routeAll: boolean;
}

export interface BaselineResult {
  readonly succeeded: string[];
  readonly failed: { appId: string; step: string; message: string }[];
  readonly armCalls: number;
}

interface Parsed {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly site: string;
  readonly slot: string | undefined;
}

function parseApp(appId: string): Parsed {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)(?:\/slots\/([^/]+))?$/i.exec(appId);
  if (m === null) throw new Error(`not an app id: ${appId}`);
  return { subscription: m[1] ?? '', resourceGroup: m[2] ?? '', site: m[3] ?? '', slot: m[4] };
}

function parseSubnet(subnetId: string): { subscription: string; resourceGroup: string; vnet: string; subnet: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(subnetId);
  if (m === null) throw new Error(`not a subnet id: ${subnetId}`);
  return { subscription: m[1] ?? '', resourceGroup: m[2] ?? '', vnet: m[3] ?? '', subnet: m[4] ?? '' };
}

const lastSegment = (id: string): string => id.split('/').pop() ?? '';

export async function runBaselineScript(endpoint: string, caPem: string, apps: readonly BaselineApp[]): Promise<BaselineResult> {
  const cache = new Map<string, ArmClients>();
  const clients = (sub: string): ArmClients => {
    let c = cache.get(sub);
    if (c === undefined) cache.set(sub, (c = createArmClients(staticCredential('baseline-script'), sub, { endpoint, caPem, retryOptions: { maxRetries: 0 } })));
    return c;
  };
  const result: BaselineResult = { succeeded: [], failed: [], armCalls: 0 };
  let calls = 0;
  for (const app of apps) {
    const a = parseApp(app.appId);
    const web = clients(a.subscription).web;
    let step = 'disconnect';
    try {
      const vnetName = lastSegment(app.gatewayVnetId);
      calls++;
      if (a.slot === undefined) await web.webApps.deleteVnetConnection(a.resourceGroup, a.site, vnetName);
      else await web.webApps.deleteVnetConnectionSlot(a.resourceGroup, a.site, vnetName, a.slot);

      step = 'join';
      const s = parseSubnet(app.subnetId);
      const network = clients(s.subscription).network;
      calls++;
      const exists = await network.subnets.get(s.resourceGroup, s.vnet, s.subnet).then(() => true, (error: unknown) => {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      });
      if (!exists) {
        if (app.addressPrefix === null) throw new Error(`subnet ${app.subnetId} is missing and the plan has no prefix for it`);
        calls++;
        await network.subnets.beginCreateOrUpdateAndWait(s.resourceGroup, s.vnet, s.subnet, {
          addressPrefix: app.addressPrefix,
          delegations: [{ name: 'delegation', serviceName: 'Microsoft.Web/serverFarms' }],
        }, { updateIntervalInMs: 100 });
      }
      calls++;
      if (a.slot === undefined) await web.webApps.update(a.resourceGroup, a.site, { virtualNetworkSubnetId: app.subnetId });
      else await web.webApps.updateSlot(a.resourceGroup, a.site, a.slot, { virtualNetworkSubnetId: app.subnetId });

      step = 'routing';
      calls++;
      if (a.slot === undefined) await web.webApps.updateConfiguration(a.resourceGroup, a.site, { vnetRouteAllEnabled: app.routeAll });
      else await web.webApps.updateConfigurationSlot(a.resourceGroup, a.site, a.slot, { vnetRouteAllEnabled: app.routeAll });
      result.succeeded.push(app.appId);
    } catch (error) {
      result.failed.push({ appId: app.appId, step, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { ...result, armCalls: calls };
}
