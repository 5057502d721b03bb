/**
 * Executes a migration plan's steps against ARM with the real SDK clients, in plan order, and records every refusal
 * instead of stopping: the cross-check wants to see every place where the planner and the simulator's rules disagree,
 * not only the first.
 */
import type { TokenCredential } from '@azure/identity';
import type { Site } from '@azure/arm-appservice';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import type { MigrationPlan, MigrationStep } from '../../src/domain/plan-builder.js';
import { WEB_DELEGATION } from '../../src/domain/plan-builder.js';
import { parseResourceIdOf } from '../../src/domain/resource-id.js';
import { addressOf, type AppAddress } from '../../src/azure/discovery/app-address.js';

/** LRO polling: the simulator's clock runs fast, so poll often instead of the SDK's 2 s default. */
export const POLL = { updateIntervalInMs: 5 } as const;

export interface Bracket {
  readonly start: number;
  readonly end: number;
}

export interface StepFailure {
  readonly appId: string;
  readonly step: MigrationStep['kind'];
  readonly statusCode: number | undefined;
  readonly code: string;
  readonly message: string;
}

export interface AppExecution {
  readonly appId: string;
  readonly planId: string;
  readonly subnetId: string;
  readonly siteProperties: Extract<MigrationStep, { kind: 'apply-routing' }>['siteProperties'];
  /** Simulated instants bounding the gateway disconnect and the regional join. */
  disconnect?: Bracket;
  join?: Bracket;
}

export interface PlanExecution {
  readonly from: number;
  readonly apps: readonly AppExecution[];
  readonly failures: readonly StepFailure[];
}

/** One ArmClients per subscription, created on first use. */
export class SubscriptionClients {
  private readonly bySubscription = new Map<string, ArmClients>();
  constructor(
    private readonly credential: TokenCredential,
    private readonly options: { readonly endpoint: string; readonly caPem: string },
  ) {}

  for(subscriptionId: string): ArmClients {
    const key = subscriptionId.toLowerCase();
    let clients = this.bySubscription.get(key);
    if (clients === undefined) {
      clients = createArmClients(this.credential, subscriptionId, this.options);
      this.bySubscription.set(key, clients);
    }
    return clients;
  }
}

export interface SimulatedClock {
  now(): number;
}

function getApp(web: ArmClients['web'], at: AppAddress): Promise<Site> {
  return at.slot === undefined ? web.webApps.get(at.resourceGroup, at.site) : web.webApps.getSlot(at.resourceGroup, at.site, at.slot);
}

async function ensureSubnet(clients: SubscriptionClients, step: Extract<MigrationStep, { kind: 'ensure-subnet' }>): Promise<void> {
  const subnet = parseResourceIdOf(step.subnetId, 'subnet');
  const { network } = clients.for(subnet.subscriptionId);
  if (step.action === 'create') {
    if (step.addressPrefix === null) throw new Error(`the plan creates ${step.subnetId} without an address prefix`);
    await network.subnets.beginCreateOrUpdateAndWait(
      subnet.resourceGroup,
      subnet.virtualNetwork,
      subnet.name,
      { addressPrefix: step.addressPrefix, delegations: [{ name: 'Microsoft.Web.serverFarms', serviceName: WEB_DELEGATION }] },
      POLL,
    );
    return;
  }
  // Reuse: the subnet must exist and carry the delegation the join needs; the join itself proves the rest.
  const found = await network.subnets.get(subnet.resourceGroup, subnet.virtualNetwork, subnet.name);
  const delegated = (found.delegations ?? []).some((d) => d.serviceName?.toLowerCase() === WEB_DELEGATION.toLowerCase());
  if (!delegated) throw new Error(`the plan reuses ${step.subnetId}, which is not delegated to ${WEB_DELEGATION}`);
}

/**
 * Sets the planned routing switches, writing only what differs from the site as read. Application routing alone goes
 * through config/web (siteConfig.vnetRouteAllEnabled, the same switch in every api-version, as `az webapp config set
 * --vnet-route-all-enabled` does); image pull and content share need outboundVnetRouting, which only a PUT of the
 * site carries in arm-appservice 19.x (SitePatchResource lacks it). The PUT leaves siteConfig out: a stale
 * vnetRouteAllEnabled sent back would overwrite applicationTraffic.
 */
async function applyRouting(clients: SubscriptionClients, step: Extract<MigrationStep, { kind: 'apply-routing' }>): Promise<void> {
  const at = addressOf(step.appId);
  const { web } = clients.for(at.subscriptionId);
  if (!('outboundVnetRouting' in step.siteProperties)) {
    throw new Error('the cross-check plans with api-version 2025-05-01; flat vnet*Enabled routing is not exercised here');
  }
  const planned = step.siteProperties.outboundVnetRouting;
  const site = await getApp(web, at);
  const current = site.outboundVnetRouting ?? {};
  const differs = (key: keyof typeof planned): boolean => (current[key] ?? false) !== planned[key];
  if (differs('imagePullTraffic') || differs('contentShareTraffic')) {
    const body: Site = { ...site, siteConfig: undefined, outboundVnetRouting: { ...current, ...planned } };
    if (at.slot === undefined) await web.webApps.createOrUpdate(at.resourceGroup, at.site, body, POLL);
    else await web.webApps.createOrUpdateSlot(at.resourceGroup, at.site, at.slot, body, POLL);
  } else if (differs('applicationTraffic')) {
    const config = { vnetRouteAllEnabled: planned.applicationTraffic };
    if (at.slot === undefined) await web.webApps.updateConfiguration(at.resourceGroup, at.site, config);
    else await web.webApps.updateConfigurationSlot(at.resourceGroup, at.site, at.slot, config);
  }
}

async function disconnectGateway(clients: SubscriptionClients, step: Extract<MigrationStep, { kind: 'disconnect-gateway' }>): Promise<void> {
  const at = addressOf(step.appId);
  const { web } = clients.for(at.subscriptionId);
  if (at.slot === undefined) await web.webApps.deleteVnetConnection(at.resourceGroup, at.site, step.connectionName);
  else await web.webApps.deleteVnetConnectionSlot(at.resourceGroup, at.site, step.connectionName, at.slot);
}

async function connectRegional(clients: SubscriptionClients, step: Extract<MigrationStep, { kind: 'connect-regional' }>): Promise<void> {
  const at = addressOf(step.appId);
  const { web } = clients.for(at.subscriptionId);
  if (at.slot === undefined) await web.webApps.update(at.resourceGroup, at.site, { virtualNetworkSubnetId: step.subnetId });
  else await web.webApps.updateSlot(at.resourceGroup, at.site, at.slot, { virtualNetworkSubnetId: step.subnetId });
}

async function removeLegacySettings(clients: SubscriptionClients, step: Extract<MigrationStep, { kind: 'remove-legacy-settings' }>): Promise<void> {
  const at = addressOf(step.appId);
  const { web } = clients.for(at.subscriptionId);
  const current =
    at.slot === undefined ? await web.webApps.listApplicationSettings(at.resourceGroup, at.site) : await web.webApps.listApplicationSettingsSlot(at.resourceGroup, at.site, at.slot);
  const remove = new Set(step.names.map((n) => n.toLowerCase()));
  const kept = Object.fromEntries(Object.entries(current.properties ?? {}).filter(([name]) => !remove.has(name.toLowerCase())));
  // PUT config/appsettings replaces the whole set, so the rest goes back unchanged.
  if (at.slot === undefined) await web.webApps.updateApplicationSettings(at.resourceGroup, at.site, { properties: kept });
  else await web.webApps.updateApplicationSettingsSlot(at.resourceGroup, at.site, at.slot, { properties: kept });
}

/** ARM's status and most specific code (App Service's own code when it sent one), with the product's message. */
export function describeFailure(error: unknown, operation: string): { statusCode: number | undefined; code: string; message: string } {
  const failure = toArmError(error, operation);
  const facts = failure.details ?? {};
  const text = (key: string): string | undefined => (typeof facts[key] === 'string' && facts[key] !== '' ? facts[key] : undefined);
  return {
    statusCode: typeof facts['statusCode'] === 'number' ? facts['statusCode'] : undefined,
    code: text('extendedCode') ?? text('armCode') ?? failure.code,
    message: failure.message,
  };
}

/** Runs every group of the plan in order; a refused step is recorded and the app's remaining steps are skipped. */
export async function executePlan(plan: MigrationPlan, clients: SubscriptionClients, clock: SimulatedClock): Promise<PlanExecution> {
  const from = clock.now();
  const apps: AppExecution[] = [];
  const failures: StepFailure[] = [];
  for (const group of plan.groups) {
    for (const app of group.apps) {
      const routing = app.steps.find((s): s is Extract<MigrationStep, { kind: 'apply-routing' }> => s.kind === 'apply-routing');
      const record: AppExecution = { appId: app.appId, planId: group.planId, subnetId: app.subnetId, siteProperties: routing?.siteProperties ?? app.routing.siteProperties };
      apps.push(record);
      for (const step of app.steps) {
        const start = clock.now();
        try {
          switch (step.kind) {
            case 'snapshot':
              await getApp(clients.for(addressOf(step.appId).subscriptionId).web, addressOf(step.appId));
              break;
            case 'ensure-subnet':
              await ensureSubnet(clients, step);
              break;
            case 'apply-routing':
              await applyRouting(clients, step);
              break;
            case 'disconnect-gateway':
              await disconnectGateway(clients, step);
              record.disconnect = { start, end: clock.now() };
              break;
            case 'connect-regional':
              await connectRegional(clients, step);
              record.join = { start, end: clock.now() };
              break;
            case 'verify':
              // Verification is the cross-check's own job, after every app has moved (see verify-migration.ts).
              break;
            case 'remove-legacy-settings':
              await removeLegacySettings(clients, step);
              break;
          }
        } catch (error) {
          failures.push({ appId: app.appId, step: step.kind, ...describeFailure(error, `${step.kind} for ${app.appId}`) });
          break;
        }
      }
    }
  }
  return { from, apps, failures };
}
