/**
 * Checks a migrated app the way an operator checks it in Azure: the three ARM views of regional integration, the
 * subnet's service association link, the routing switches, and the app's own health path and Kudu tcpping. Each
 * check answers a list of disagreements in words (empty = agreement), so one failing assertion names them all.
 */
import type { Site } from '@azure/arm-appservice';
import { request } from 'node:https';
import { formatResourceId, parseResourceIdOf, resourceIdKey } from '../../src/domain/resource-id.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { addressOf } from '../../src/azure/discovery/app-address.js';
import { isGatewayConnection } from '../../src/azure/discovery/gateway-connection.js';
import type { AppExecution, SubscriptionClients } from './execute-plan.js';

export interface HealthDependency {
  readonly target: string;
  readonly reachable: boolean;
  readonly reason: string;
}

export interface HealthAnswer {
  readonly status: number;
  readonly body: { readonly status: string; readonly dependencies: readonly HealthDependency[] };
}

export interface KuduAnswer {
  readonly Output: string;
  readonly ExitCode: number;
}

/** An HTTPS request to an app host on the simulator, reached as a client reaches Azure: SNI and Host name the app. */
function appCall<T>(sim: SimulatorHandle, host: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    host,
    ...(payload === undefined ? {} : { 'content-type': 'application/json', authorization: 'Bearer opaque' }),
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sim.port, path, method, servername: host, headers, ca: sim.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function health(sim: SimulatorHandle, hostName: string): Promise<HealthAnswer> {
  const answer = await appCall<HealthAnswer['body']>(sim, hostName, 'GET', '/health');
  return { status: answer.status, body: answer.json };
}

export async function tcpping(sim: SimulatorHandle, hostName: string, target: string): Promise<KuduAnswer> {
  const scm = hostName.replace(/\.azurewebsites\.net$/i, '.scm.azurewebsites.net');
  return (await appCall<KuduAnswer>(sim, scm, 'POST', '/api/command', { command: `tcpping ${target}`, dir: 'site\\wwwroot' })).json;
}

/** The simulator's recorded downtime for an app since `from` (simulated ms); the admin route names the app by its host's first label. */
export async function downtimeSince(sim: SimulatorHandle, hostName: string, from: number): Promise<number> {
  const label = hostName.split('.')[0] ?? '';
  const answer = await new Promise<{ downtimeMs: number }>((resolve, reject) => {
    const req = request(`${sim.url}/_simulator/apps/${label}/timeline?from=${from}`, { ca: sim.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { downtimeMs: number }));
    });
    req.on('error', reject);
    req.end();
  });
  return answer.downtimeMs;
}

const same = (a: string | null | undefined, b: string): boolean => typeof a === 'string' && a !== '' && resourceIdKey(a) === resourceIdKey(b);

/** The three views agree on the planned subnet, no gateway-based connection remains, routing is as planned. */
export async function armViewDisagreements(clients: SubscriptionClients, app: AppExecution): Promise<string[]> {
  const at = addressOf(app.appId);
  const { web } = clients.for(at.subscriptionId);
  const problems: string[] = [];
  const site: Site = at.slot === undefined ? await web.webApps.get(at.resourceGroup, at.site) : await web.webApps.getSlot(at.resourceGroup, at.site, at.slot);
  const swift = at.slot === undefined
    ? await web.webApps.getSwiftVirtualNetworkConnection(at.resourceGroup, at.site)
    : await web.webApps.getSwiftVirtualNetworkConnectionSlot(at.resourceGroup, at.site, at.slot);
  const connections = at.slot === undefined
    ? await web.webApps.listVnetConnections(at.resourceGroup, at.site)
    : await web.webApps.listVnetConnectionsSlot(at.resourceGroup, at.site, at.slot);
  if (!same(site.virtualNetworkSubnetId, app.subnetId)) problems.push(`site.virtualNetworkSubnetId is ${String(site.virtualNetworkSubnetId)}, planned ${app.subnetId}`);
  if (!same(swift.subnetResourceId, app.subnetId)) problems.push(`networkConfig/virtualNetwork.subnetResourceId is ${String(swift.subnetResourceId)}, planned ${app.subnetId}`);
  const swiftEntries = connections.filter((c) => c.isSwift === true);
  if (swiftEntries.length !== 1 || !same(swiftEntries[0]?.vnetResourceId, app.subnetId)) {
    problems.push(`virtualNetworkConnections has ${swiftEntries.length} isSwift entries (${swiftEntries.map((c) => c.vnetResourceId ?? '').join(', ')}), expected one for ${app.subnetId}`);
  }
  const gateways = connections.filter(isGatewayConnection);
  if (gateways.length > 0) problems.push(`gateway-based connections remain: ${gateways.map((c) => c.name ?? '').join(', ')}`);
  if ('outboundVnetRouting' in app.siteProperties) {
    const planned = app.siteProperties.outboundVnetRouting;
    const actual = site.outboundVnetRouting ?? {};
    for (const key of ['applicationTraffic', 'imagePullTraffic', 'contentShareTraffic'] as const) {
      if ((actual[key] ?? false) !== planned[key]) problems.push(`outboundVnetRouting.${key} is ${String(actual[key])}, planned ${String(planned[key])}`);
    }
  }
  return problems.map((p) => `${app.appId}: ${p}`);
}

/** The subnet's service association link names the plan that joined it. */
export async function serviceAssociationDisagreements(clients: SubscriptionClients, subnetId: string, planId: string): Promise<string[]> {
  const subnet = parseResourceIdOf(subnetId, 'subnet');
  const found = await clients.for(subnet.subscriptionId).network.subnets.get(subnet.resourceGroup, subnet.virtualNetwork, subnet.name);
  const links = found.serviceAssociationLinks ?? [];
  if (links.some((l) => same(l.link, planId))) return [];
  const vnetId = formatResourceId({ kind: 'virtualNetwork', subscriptionId: subnet.subscriptionId, resourceGroup: subnet.resourceGroup, name: subnet.virtualNetwork });
  return [`${subnetId} (in ${vnetId}): service association links [${links.map((l) => l.link ?? '').join(', ')}] do not name plan ${planId}`];
}
