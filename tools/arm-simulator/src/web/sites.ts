import { createHash, randomUUID } from 'node:crypto';
import { ArmHttpError, notFound, parentNotFound } from '../arm-error.js';
import { usesOutboundVnetRouting } from '../api-versions.js';
import { deepClone, isRecord, objectBody, paged, propertiesOf, requireLocation, stringProp, tagsOf } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import { retryAfterSeconds } from '../network/subnets.js';
import { subnetJoin } from '../linked-access.js';
import { idKey } from '../resource-path.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { PLAN_TYPE, SITE_TYPE, SLOT_TYPE } from './integration-index.js';
import { assertRegionalJoin, gatewayConnectionsOf } from './rules.js';
import { acquireJoinLease, heldLinks, lingerDepartedLinks, rejoined } from './service-association-links.js';

export const CONFIG_TYPE = 'Microsoft.Web/sites/config';

/** The five routing switches. One stored truth; rendered as `outboundVnetRouting` or flat flags by api-version. */
export const ROUTING_KEYS = ['allTraffic', 'applicationTraffic', 'contentShareTraffic', 'imagePullTraffic', 'backupRestoreTraffic'] as const;
/** Flat (pre-2025-03-01) names of the same switches; allTraffic has none. */
const FLAT_ROUTING: Readonly<Record<string, (typeof ROUTING_KEYS)[number]>> = {
  vnetRouteAllEnabled: 'applicationTraffic',
  vnetContentShareEnabled: 'contentShareTraffic',
  vnetImagePullEnabled: 'imagePullTraffic',
  vnetBackupRestoreEnabled: 'backupRestoreTraffic',
};

export function siteIdOf(call: ArmCall): string {
  const base = `/subscriptions/${call.params['sub'] ?? ''}/resourceGroups/${call.params['rg'] ?? ''}/providers/Microsoft.Web/sites/${call.params['site'] ?? ''}`;
  return call.params['slot'] === undefined ? base : `${base}/slots/${call.params['slot']}`;
}

/** The addressed site or slot, or ARM's 404. */
export function requireApp(call: ArmCall): StoredResource {
  const app = call.ctx.store.get(siteIdOf(call));
  if (app === undefined) {
    if (call.params['slot'] !== undefined) throw notFound(`${SITE_TYPE}/${call.params['site'] ?? ''}/slots`, call.params['slot'], call.params['rg']);
    throw notFound(SITE_TYPE, call.params['site'] ?? '', call.params['rg']);
  }
  return app;
}

export function requirePlanOf(ctx: SimulatorContext, app: StoredResource): StoredResource {
  const planId = app.properties['serverFarmId'];
  const plan = typeof planId === 'string' ? ctx.store.get(planId) : undefined;
  if (plan === undefined) throw new ArmHttpError(404, 'NotFound', `Cannot find ServerFarm with name ${typeof planId === 'string' ? planId.split('/').pop() ?? '' : ''}.`, 'web');
  return plan;
}

function routingOf(app: StoredResource | undefined): Record<string, boolean> {
  const stored = app?.properties['outboundVnetRouting'];
  const out: Record<string, boolean> = {};
  for (const key of ROUTING_KEYS) out[key] = isRecord(stored) && stored[key] === true;
  return out;
}

/** Reads routing switches from a request body in the form its api-version uses (19.x drops the other form). */
function applyRoutingInput(routing: Record<string, boolean>, props: JsonObject, apiVersion: string | undefined): void {
  if (usesOutboundVnetRouting(apiVersion)) {
    const input = props['outboundVnetRouting'];
    if (isRecord(input)) for (const key of ROUTING_KEYS) if (typeof input[key] === 'boolean') routing[key] = input[key];
  } else {
    for (const [flat, key] of Object.entries(FLAT_ROUTING)) if (typeof props[flat] === 'boolean') routing[key] = props[flat];
  }
}

export function configIdOf(app: StoredResource): string {
  return `${app.id}/config/web`;
}

const DEFAULT_SITE_CONFIG: JsonObject = {
  numberOfWorkers: 1,
  defaultDocuments: ['Default.htm', 'Default.html', 'index.htm', 'index.html', 'hostingstart.html'],
  netFrameworkVersion: 'v4.0',
  phpVersion: '',
  pythonVersion: '',
  nodeVersion: '',
  powerShellVersion: '',
  linuxFxVersion: '',
  requestTracingEnabled: false,
  remoteDebuggingEnabled: false,
  httpLoggingEnabled: false,
  acrUseManagedIdentityCreds: false,
  logsDirectorySizeLimit: 35,
  detailedErrorLoggingEnabled: false,
  appCommandLine: '',
  managedPipelineMode: 'Integrated',
  virtualApplications: [{ virtualPath: '/', physicalPath: 'site\\wwwroot', preloadEnabled: false }],
  loadBalancing: 'LeastRequests',
  autoHealEnabled: false,
  functionAppScaleLimit: 0,
  functionsRuntimeScaleMonitoringEnabled: false,
  minimumElasticInstanceCount: 0,
  azureStorageAccounts: {},
  alwaysOn: false,
  http20Enabled: false,
  minTlsVersion: '1.2',
  scmMinTlsVersion: '1.2',
  ftpsState: 'FtpsOnly',
  use32BitWorkerProcess: true,
  webSocketsEnabled: false,
  vnetPrivatePortsCount: 0,
  publicNetworkAccess: 'Enabled',
};

export function renderSiteConfig(ctx: SimulatorContext, app: StoredResource): JsonObject {
  const stored = ctx.store.get(configIdOf(app));
  const props: JsonObject = deepClone<JsonObject>({ ...(stored?.properties ?? DEFAULT_SITE_CONFIG) });
  props['vnetRouteAllEnabled'] = routingOf(app)['applicationTraffic'];
  props['vnetName'] = gatewayConnectionsOf(ctx, app)[0]?.name ?? '';
  return props;
}

export function renderApp(ctx: SimulatorContext, app: StoredResource, apiVersion: string | undefined): JsonObject {
  const props = deepClone(app.properties) as JsonObject;
  const routing = routingOf(app);
  if (usesOutboundVnetRouting(apiVersion)) {
    props['outboundVnetRouting'] = routing;
  } else {
    delete props['outboundVnetRouting'];
    for (const [flat, key] of Object.entries(FLAT_ROUTING)) props[flat] = routing[key];
  }
  props['virtualNetworkSubnetId'] = props['virtualNetworkSubnetId'] ?? null;
  props['siteConfig'] = renderSiteConfig(ctx, app);
  return {
    id: app.id,
    name: app.type === SLOT_TYPE ? `${app.id.split('/sites/')[1]?.split('/')[0] ?? ''}/${app.name}` : app.name,
    type: app.type,
    kind: app.kind ?? 'app',
    location: app.location,
    ...(app.tags === undefined ? {} : { tags: app.tags }),
    properties: props,
  };
}

/** Stable public addresses per plan (apps of one plan share a scale unit, so they share outbound addresses). */
function outboundAddresses(planId: string, count: number): string {
  const digest = createHash('sha256').update(planId.toLowerCase()).digest();
  return Array.from({ length: count }, (_, i) => `20.${digest[i * 3] ?? 0}.${digest[i * 3 + 1] ?? 0}.${(digest[i * 3 + 2] ?? 0) || 1}`).join(',');
}

function hostNameOf(call: ArmCall): string {
  const site = call.params['site'] ?? '';
  return call.params['slot'] === undefined ? `${site}.azurewebsites.net` : `${site}-${call.params['slot']}.azurewebsites.net`;
}

/** Joins or leaves a subnet after every rule passed; the caller's transaction undoes it if anything later fails. */
export function setRegionalSubnet(ctx: SimulatorContext, app: StoredResource, subnetId: string | undefined): StoredResource {
  const current = app.properties['virtualNetworkSubnetId'];
  const held = heldLinks([app]);
  const joining = subnetId !== undefined && (typeof current !== 'string' || current.toLowerCase() !== subnetId.toLowerCase());
  if (joining) {
    const plan = requirePlanOf(ctx, app);
    assertRegionalJoin(ctx, app, plan, subnetId);
    acquireJoinLease(ctx, app, subnetId);
    rejoined(ctx, subnetId, plan.id);
  }
  const updated: StoredResource = { ...app, properties: { ...app.properties, virtualNetworkSubnetId: subnetId ?? null } };
  ctx.store.put(updated);
  lingerDepartedLinks(ctx, held);
  return updated;
}

function mergeSiteConfig(ctx: SimulatorContext, app: StoredResource, input: JsonObject, replace: boolean): StoredResource {
  const base = replace ? DEFAULT_SITE_CONFIG : (ctx.store.get(configIdOf(app))?.properties ?? DEFAULT_SITE_CONFIG);
  const props: JsonObject = { ...deepClone(base), ...deepClone(input) };
  let current = app;
  if (typeof input['vnetRouteAllEnabled'] === 'boolean') {
    const routing = { ...routingOf(app), applicationTraffic: input['vnetRouteAllEnabled'] };
    current = { ...app, properties: { ...app.properties, outboundVnetRouting: routing } };
    ctx.store.put(current);
  }
  delete props['vnetRouteAllEnabled'];
  delete props['vnetName'];
  ctx.store.put({ id: configIdOf(app), name: 'web', type: CONFIG_TYPE, location: app.location, properties: props });
  return current;
}

/** PUT sites/{n} (and slots): creates or replaces, applying regional integration rules; long-running via Location. */
export function putApp(call: ArmCall): ArmResult {
  const { ctx } = call;
  call.authorizeLinked(subnetJoin(propertiesOf(objectBody(call))['virtualNetworkSubnetId']));
  const id = siteIdOf(call);
  const isSlot = call.params['slot'] !== undefined;
  const parent = isSlot ? ctx.store.get(id.replace(/\/slots\/[^/]+$/i, '')) : undefined;
  if (isSlot && parent === undefined) throw parentNotFound(SITE_TYPE, call.params['site'] ?? '', call.params['rg']);
  const body = objectBody(call);
  const location = requireLocation(body, 'web');
  const input = deepClone(propertiesOf(body));
  const existing = ctx.store.get(id);
  const held = heldLinks(existing === undefined ? [] : [existing]);
  const serverFarmId = stringProp(input, 'serverFarmId') ?? (existing?.properties['serverFarmId'] as string | undefined) ?? (parent?.properties['serverFarmId'] as string | undefined);
  const plan = serverFarmId === undefined ? undefined : ctx.store.get(serverFarmId);
  if (plan === undefined || plan.type !== PLAN_TYPE) {
    throw new ArmHttpError(404, 'NotFound', `Cannot find ServerFarm with name ${serverFarmId?.split('/').pop() ?? ''}.`, 'web');
  }
  const routing = routingOf(existing);
  applyRoutingInput(routing, input, call.apiVersion);
  const siteConfigInput = isRecord(input['siteConfig']) ? input['siteConfig'] : undefined;
  if (typeof siteConfigInput?.['vnetRouteAllEnabled'] === 'boolean') routing['applicationTraffic'] = siteConfigInput['vnetRouteAllEnabled'];
  const requestedSubnet = input['virtualNetworkSubnetId'];
  for (const key of ['siteConfig', 'outboundVnetRouting', 'virtualNetworkSubnetId', ...Object.keys(FLAT_ROUTING)]) delete input[key];
  const host = hostNameOf(call);
  const kind = stringProp(body, 'kind') ?? existing?.kind ?? (plan.properties['reserved'] === true ? 'app,linux' : 'app');
  const properties: JsonObject = {
    state: 'Running',
    enabled: true,
    hostNames: [host],
    enabledHostNames: [host, host.replace('.azurewebsites.net', '.scm.azurewebsites.net')],
    defaultHostName: host,
    repositorySiteName: call.params['site'],
    usageState: 'Normal',
    availabilityState: 'Normal',
    httpsOnly: false,
    clientAffinityEnabled: true,
    clientCertEnabled: false,
    hostNamesDisabled: false,
    storageAccountRequired: false,
    isXenon: false,
    resourceGroup: call.params['rg'],
    customDomainVerificationId: existing?.properties['customDomainVerificationId'] ?? randomUUID().replace(/-/g, '').toUpperCase(),
    hostNameSslStates: [
      { name: host, sslState: 'Disabled', hostType: 'Standard' },
      { name: host.replace('.azurewebsites.net', '.scm.azurewebsites.net'), sslState: 'Disabled', hostType: 'Repository' },
    ],
    scmSiteAlsoStopped: false,
    clientAffinityProxyEnabled: false,
    clientCertMode: 'Required',
    outboundIpAddresses: outboundAddresses(plan.id, 2),
    possibleOutboundIpAddresses: outboundAddresses(plan.id, 4),
    containerSize: 0,
    dailyMemoryTimeQuota: 0,
    redundancyMode: 'None',
    keyVaultReferenceIdentity: 'SystemAssigned',
    ...(existing?.properties ?? {}),
    ...input,
    serverFarmId: plan.id,
    reserved: typeof input['reserved'] === 'boolean' ? input['reserved'] : (existing?.properties['reserved'] ?? plan.properties['reserved'] === true),
    hyperV: typeof input['hyperV'] === 'boolean' ? input['hyperV'] : (existing?.properties['hyperV'] ?? plan.properties['hyperV'] === true),
    outboundVnetRouting: routing,
    lastModifiedTimeUtc: new Date(ctx.clock.now()).toISOString(),
    sku: plan.sku?.['tier'],
  };
  const tags = tagsOf(body);
  let app: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? (isSlot ? (call.params['slot'] ?? '') : (call.params['site'] ?? '')),
    type: isSlot ? SLOT_TYPE : SITE_TYPE,
    kind,
    location,
    ...(tags === undefined ? {} : { tags }),
    properties: properties,
  };
  ctx.store.put(app);
  if (siteConfigInput !== undefined || existing === undefined) app = mergeSiteConfig(ctx, app, siteConfigInput ?? {}, existing === undefined);
  if (typeof requestedSubnet === 'string' && requestedSubnet !== '') app = setRegionalSubnet(ctx, app, requestedSubnet);
  else if (requestedSubnet === '') app = setRegionalSubnet(ctx, app, undefined);
  // Moving to another plan while integrated ends the old plan's hold on the subnet.
  lingerDepartedLinks(ctx, held);
  // App Service answers a synchronous create with 200, not 201 (the official example lists 200 and 202 only).
  if (ctx.settings.longRunningOperationMs <= 0) return { status: 200, body: renderApp(ctx, app, call.apiVersion) };
  const finalId = app.id;
  const apiVersion = call.apiVersion;
  const op = ctx.operations.start({
    provider: 'Microsoft.Web',
    location,
    subscriptionId: call.params['sub'] ?? '',
    resourceKey: idKey(app.id),
    durationMs: ctx.settings.longRunningOperationMs,
    complete: () => undefined,
    finalBody: () => {
      const latest = ctx.store.get(finalId);
      return latest === undefined ? undefined : renderApp(ctx, latest, apiVersion);
    },
  });
  const locationUrl = `${ctx.baseUrl()}/subscriptions/${op.subscriptionId}/providers/Microsoft.Web/locations/${op.location}/operationResults/${op.id}?api-version=${call.apiVersion ?? ''}`;
  return { status: 202, headers: { Location: locationUrl, 'Retry-After': retryAfterSeconds(ctx, ctx.operations.remainingMs(op)) } };
}

/** PATCH sites/{n}: merges the given properties; the site model's PATCH carries virtualNetworkSubnetId. */
export function patchApp(call: ArmCall): ArmResult {
  const { ctx } = call;
  call.authorizeLinked(subnetJoin(propertiesOf(objectBody(call))['virtualNetworkSubnetId']));
  let app = requireApp(call);
  const body = objectBody(call);
  const input = deepClone(propertiesOf(body));
  const routing = routingOf(app);
  applyRoutingInput(routing, input, call.apiVersion);
  const requestedSubnet = input['virtualNetworkSubnetId'];
  for (const key of ['siteConfig', 'outboundVnetRouting', 'virtualNetworkSubnetId', 'serverFarmId', ...Object.keys(FLAT_ROUTING)]) delete input[key];
  const tags = tagsOf(body);
  app = {
    ...app,
    ...(tags === undefined ? {} : { tags }),
    properties: { ...app.properties, ...input, outboundVnetRouting: routing, lastModifiedTimeUtc: new Date(ctx.clock.now()).toISOString() },
  };
  ctx.store.put(app);
  if (isRecord(propertiesOf(body)['siteConfig'])) app = mergeSiteConfig(ctx, app, propertiesOf(body)['siteConfig'] as JsonObject, false);
  if (typeof requestedSubnet === 'string' && requestedSubnet !== '') app = setRegionalSubnet(ctx, app, requestedSubnet);
  else if (requestedSubnet === '' || requestedSubnet === null) app = setRegionalSubnet(ctx, app, undefined);
  return { status: 200, body: renderApp(ctx, app, call.apiVersion) };
}

export function getApp(call: ArmCall): ArmResult {
  return { status: 200, body: renderApp(call.ctx, requireApp(call), call.apiVersion) };
}

export function deleteApp(call: ArmCall): ArmResult {
  const app = call.ctx.store.get(siteIdOf(call));
  if (app === undefined) throw notFound(call.params['slot'] === undefined ? SITE_TYPE : SLOT_TYPE, call.params['slot'] ?? call.params['site'] ?? '', call.params['rg']);
  // A site takes its slots with it; their links may linger after them.
  const held = heldLinks([app, ...call.ctx.store.children(app.id, 'slots')]);
  call.ctx.store.deleteTree(app.id);
  lingerDepartedLinks(call.ctx, held);
  return { status: 200 };
}

export function listApps(call: ArmCall): ArmResult {
  const { sub, rg, site } = call.params;
  if (site !== undefined) {
    const { slot: _slot, ...siteParams } = call.params;
    const parent = requireApp({ ...call, params: siteParams });
    return paged(call, call.ctx.store.children(parent.id, 'slots'), (s) => renderApp(call.ctx, s, call.apiVersion));
  }
  const scope = rg === undefined ? `/subscriptions/${sub ?? ''}` : `/subscriptions/${sub ?? ''}/resourceGroups/${rg}`;
  return paged(call, call.ctx.store.ofType(SITE_TYPE, scope), (s) => renderApp(call.ctx, s, call.apiVersion));
}

// ---- config/web ----

function configResponse(ctx: SimulatorContext, app: StoredResource): JsonObject {
  return { id: configIdOf(app), name: 'web', type: CONFIG_TYPE, kind: app.kind ?? 'app', location: app.location, properties: renderSiteConfig(ctx, app) };
}

export function getConfig(call: ArmCall): ArmResult {
  const app = requireApp(call);
  return { status: 200, body: configResponse(call.ctx, app) };
}

export function updateConfig(replace: boolean) {
  return (call: ArmCall): ArmResult => {
    const app = mergeSiteConfig(call.ctx, requireApp(call), propertiesOf(objectBody(call)), replace);
    return { status: 200, body: configResponse(call.ctx, app) };
  };
}

// ---- app settings ----

function settingsResponse(ctx: SimulatorContext, app: StoredResource): JsonObject {
  const stored = ctx.store.get(`${app.id}/config/appsettings`);
  return { id: `${app.id}/config/appsettings`, name: 'appsettings', type: CONFIG_TYPE, kind: app.kind ?? 'app', location: app.location, properties: deepClone(stored?.properties ?? {}) };
}

export function putAppSettings(call: ArmCall): ArmResult {
  const app = requireApp(call);
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(propertiesOf(objectBody(call)))) {
    if (v !== null && typeof v === 'object') throw new ArmHttpError(400, 'BadRequest', `The value of app setting '${k}' must be a string.`, 'web');
    settings[k] = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  call.ctx.store.put({ id: `${app.id}/config/appsettings`, name: 'appsettings', type: CONFIG_TYPE, properties: settings });
  return { status: 200, body: settingsResponse(call.ctx, app) };
}

export function listAppSettings(call: ArmCall): ArmResult {
  return { status: 200, body: settingsResponse(call.ctx, requireApp(call)) };
}

// ---- restart ----

export function restartApp(call: ArmCall): ArmResult {
  const app = requireApp(call);
  call.ctx.restarts.push({ siteId: app.id, at: call.ctx.clock.now(), durationMs: call.ctx.settings.restartDurationMs, reason: 'restart' });
  return { status: 200 };
}
