import { randomBytes } from 'node:crypto';
import { ArmHttpError, notFound } from '../arm-error.js';
import { deepClone, isRecord, objectBody, propertiesOf, stringProp } from '../arm-helpers.js';
import type { JsonObject } from '../arm-helpers.js';
import { subnetJoin } from '../linked-access.js';
import { nameOf } from '../resource-path.js';
import type { ArmCall, ArmResult, SimulatorContext } from '../router.js';
import type { StoredResource } from '../store.js';
import { subnetPrefixes } from '../network/subnets.js';
import { parseIpv4Cidr } from '../network/cidr.js';
import { appsInSubnet, gatewaysOfVnet, PLAN_TYPE, plansInSubnet, regionalConnectionName, subnetsOfPlan } from './integration-index.js';
import { appsOfPlan, planIdOf } from './plans.js';
import { assertGatewayConnection, gatewayConnectionsOf } from './rules.js';
import { requireApp, requirePlanOf, setRegionalSubnet } from './sites.js';

const CONNECTION_TYPE = 'Microsoft.Web/sites/virtualNetworkConnections';
const SUBNET_ID = /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

const notFoundWeb = (what: string): ArmHttpError => new ArmHttpError(404, 'NotFound', `Cannot find ${what}.`, 'web');

function swiftEntry(ctx: SimulatorContext, ownerId: string, app: StoredResource): JsonObject | undefined {
  const subnetId = app.properties['virtualNetworkSubnetId'];
  if (typeof subnetId !== 'string' || subnetId === '') return undefined;
  const name = regionalConnectionName(ctx.store, subnetId);
  return {
    id: `${ownerId}/virtualNetworkConnections/${name}`,
    name,
    type: CONNECTION_TYPE,
    location: app.location,
    properties: { vnetResourceId: subnetId, certThumbprint: null, certBlob: null, routes: [], resyncRequired: false, dnsServers: null, isSwift: true },
  };
}

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** A route as ARM renders it inside a connection: a proxy resource with its fields under properties (VnetRoute). */
function routeResource(connectionId: string, name: string, fields: JsonObject): JsonObject {
  return { id: `${connectionId}/routes/${name}`, name, type: `${CONNECTION_TYPE}/routes`, properties: fields };
}

/**
 * Routes the point-to-site connection inherits from its VNet's gateway: the on-premises networks behind it. App
 * Service lists them with routeType INHERITED ("Routes inherited from the real Virtual Network routes", VnetRoute in
 * arm-appservice 19.x); they are what the app sent into the tunnel, so a migration must be able to read them.
 */
function inheritedRoutes(ctx: SimulatorContext, connectionId: string, vnetId: unknown): JsonObject[] {
  if (typeof vnetId !== 'string') return [];
  const gateways = new Set(gatewaysOfVnet(ctx.store, vnetId).map((g) => g.id.toLowerCase()));
  return (ctx.onPremises ?? [])
    .filter((site) => gateways.has(site.gatewayId.toLowerCase()))
    .flatMap((site) => site.addressPrefixes.flatMap((prefix: string) => {
      const range = parseIpv4Cidr(prefix);
      return range === undefined
        ? []
        : [routeResource(connectionId, `${site.name}-${dotted(range.start)}`, { startAddress: dotted(range.start), endAddress: dotted(range.end), routeType: 'INHERITED' })];
    }));
}

/** The connection's own routes (stored flat, as the world model reads them), rendered as resources; STATIC unless typed. */
function ownRoutes(connectionId: string, routes: unknown): JsonObject[] {
  if (!Array.isArray(routes)) return [];
  return routes.flatMap((r: unknown, i: number) => {
    if (!isRecord(r)) return [];
    if (isRecord(r['properties'])) return [deepClone(r)];
    return [routeResource(connectionId, stringProp(r, 'name') ?? `route${i}`, { startAddress: r['startAddress'] ?? null, endAddress: r['endAddress'] ?? null, routeType: r['routeType'] ?? 'STATIC' })];
  });
}

/** Inherited routes are rendered, never stored, so a write to the connection cannot freeze a stale copy of them. */
function gatewayEntry(ctx: SimulatorContext, ownerId: string, conn: StoredResource): JsonObject {
  const id = `${ownerId}/virtualNetworkConnections/${conn.name}`;
  return {
    id,
    name: conn.name,
    type: CONNECTION_TYPE,
    location: conn.location,
    properties: {
      ...deepClone(conn.properties),
      routes: [...ownRoutes(id, conn.properties['routes']), ...inheritedRoutes(ctx, id, conn.properties['vnetResourceId'])],
      isSwift: false,
    },
  };
}

/** Gateway-based connections plus the regional one: one list, as App Service shows both forms. */
function connectionsOfApp(ctx: SimulatorContext, app: StoredResource): JsonObject[] {
  const swift = swiftEntry(ctx, app.id, app);
  return [...gatewayConnectionsOf(ctx, app).map((c) => gatewayEntry(ctx, app.id, c)), ...(swift === undefined ? [] : [swift])];
}

export function listAppConnections(call: ArmCall): ArmResult {
  return { status: 200, body: connectionsOfApp(call.ctx, requireApp(call)) };
}

export function getAppConnection(call: ArmCall): ArmResult {
  const app = requireApp(call);
  const name = (call.params['vnet'] ?? '').toLowerCase();
  const found = connectionsOfApp(call.ctx, app).find((c) => String(c['name']).toLowerCase() === name);
  if (found === undefined) throw notFoundWeb(`Vnet with name ${call.params['vnet'] ?? ''} for app ${app.name}`);
  return { status: 200, body: found };
}

/**
 * PUT sites/{n}/virtualNetworkConnections/{vnet}: a subnet id (or isSwift) is the legacy way to ask for regional
 * integration; a VNet id asks for a gateway-based (point-to-site) connection.
 */
export function putAppConnection(call: ArmCall): ArmResult {
  const { ctx } = call;
  const props = propertiesOf(objectBody(call));
  const target = stringProp(props, 'vnetResourceId');
  // Only the regional form joins a subnet; a gateway-based connection names a VNet, and no public evidence shows
  // ARM asking for a linked action on it, so none is modelled.
  if (target !== undefined && (props['isSwift'] === true || SUBNET_ID.test(target))) call.authorizeLinked(subnetJoin(target));
  const app = requireApp(call);
  if (target === undefined) throw new ArmHttpError(400, 'BadRequest', 'The parameter vnetResourceId is required.', 'web');
  if (props['isSwift'] === true || SUBNET_ID.test(target)) {
    const updated = setRegionalSubnet(ctx, app, target);
    return { status: 200, body: swiftEntry(ctx, updated.id, updated) };
  }
  const vnetName = call.params['vnet'] ?? nameOf(target);
  const existing = ctx.store.get(`${app.id}/virtualNetworkConnections/${vnetName}`);
  if (existing === undefined) assertGatewayConnection(ctx, app, requirePlanOf(ctx, app), target);
  const conn: StoredResource = {
    id: `${app.id}/virtualNetworkConnections/${existing?.name ?? vnetName}`,
    name: existing?.name ?? vnetName,
    type: CONNECTION_TYPE,
    ...(app.location === undefined ? {} : { location: app.location }),
    properties: {
      vnetResourceId: target,
      certThumbprint: existing?.properties['certThumbprint'] ?? randomBytes(20).toString('hex').toUpperCase(),
      certBlob: existing?.properties['certBlob'] ?? randomBytes(96).toString('base64'),
      routes: Array.isArray(props['routes']) ? props['routes'] : (existing?.properties['routes'] ?? []),
      resyncRequired: false,
      dnsServers: typeof props['dnsServers'] === 'string' ? props['dnsServers'] : (existing?.properties['dnsServers'] ?? null),
    },
  };
  ctx.store.put(conn);
  return { status: 200, body: gatewayEntry(ctx, app.id, conn) };
}

export function patchAppConnection(call: ArmCall): ArmResult {
  const app = requireApp(call);
  const conn = call.ctx.store.get(`${app.id}/virtualNetworkConnections/${call.params['vnet'] ?? ''}`);
  if (conn === undefined) throw notFoundWeb(`Vnet with name ${call.params['vnet'] ?? ''} for app ${app.name}`);
  const props = propertiesOf(objectBody(call));
  const merged: StoredResource = {
    ...conn,
    properties: {
      ...conn.properties,
      ...(Array.isArray(props['routes']) ? { routes: props['routes'] } : {}),
      ...(typeof props['dnsServers'] === 'string' ? { dnsServers: props['dnsServers'] } : {}),
    },
  };
  call.ctx.store.put(merged);
  return { status: 200, body: gatewayEntry(call.ctx, app.id, merged) };
}

/** Removing a gateway-based connection restarts the app (recorded for the world model's downtime). */
export function deleteAppConnection(call: ArmCall): ArmResult {
  const { ctx } = call;
  const app = requireApp(call);
  const name = call.params['vnet'] ?? '';
  const conn = ctx.store.get(`${app.id}/virtualNetworkConnections/${name}`);
  if (conn !== undefined) {
    ctx.store.deleteTree(conn.id);
    ctx.restarts.push({ siteId: app.id, at: ctx.clock.now(), durationMs: ctx.settings.restartDurationMs, reason: 'gateway-disconnect' });
    return { status: 200 };
  }
  const swift = swiftEntry(ctx, app.id, app);
  if (swift !== undefined && String(swift['name']).toLowerCase() === name.toLowerCase()) {
    setRegionalSubnet(ctx, app, undefined);
    return { status: 200 };
  }
  throw notFoundWeb(`Vnet with name ${name} for app ${app.name}`);
}

// ---- gateways/primary ----

function gatewayResponse(ownerId: string, vnetName: string, gatewayName: string, vpnPackageUri: unknown): JsonObject {
  return {
    id: `${ownerId}/virtualNetworkConnections/${vnetName}/gateways/${gatewayName}`,
    name: gatewayName,
    type: `${ownerId.includes('/serverfarms/') ? PLAN_TYPE : 'Microsoft.Web/sites'}/virtualNetworkConnections/gateways`,
    properties: { vnetName, vpnPackageUri: vpnPackageUri ?? null },
  };
}

export function getAppConnectionGateway(call: ArmCall): ArmResult {
  const app = requireApp(call);
  const conn = call.ctx.store.get(`${app.id}/virtualNetworkConnections/${call.params['vnet'] ?? ''}`);
  if (conn === undefined) throw notFoundWeb(`Vnet with name ${call.params['vnet'] ?? ''} for app ${app.name}`);
  return { status: 200, body: gatewayResponse(app.id, conn.name, call.params['gateway'] ?? 'primary', conn.properties['vpnPackageUri']) };
}

export function putAppConnectionGateway(call: ArmCall): ArmResult {
  const app = requireApp(call);
  const conn = call.ctx.store.get(`${app.id}/virtualNetworkConnections/${call.params['vnet'] ?? ''}`);
  if (conn === undefined) throw notFoundWeb(`Vnet with name ${call.params['vnet'] ?? ''} for app ${app.name}`);
  const props = propertiesOf(objectBody(call));
  const updated: StoredResource = { ...conn, properties: { ...conn.properties, vpnPackageUri: props['vpnPackageUri'] ?? conn.properties['vpnPackageUri'] ?? null } };
  call.ctx.store.put(updated);
  return { status: 200, body: gatewayResponse(app.id, conn.name, call.params['gateway'] ?? 'primary', updated.properties['vpnPackageUri']) };
}

// ---- networkConfig/virtualNetwork (regional) ----

function swiftResponse(app: StoredResource): JsonObject {
  const subnetId = app.properties['virtualNetworkSubnetId'];
  return {
    id: `${app.id}/networkConfig/virtualNetwork`,
    name: 'virtualNetwork',
    type: 'Microsoft.Web/sites/networkConfig',
    location: app.location,
    properties: { subnetResourceId: typeof subnetId === 'string' && subnetId !== '' ? subnetId : null, swiftSupported: true },
  };
}

export function getSwift(call: ArmCall): ArmResult {
  return { status: 200, body: swiftResponse(requireApp(call)) };
}

export function putSwift(call: ArmCall): ArmResult {
  const subnetId = stringProp(propertiesOf(objectBody(call)), 'subnetResourceId');
  call.authorizeLinked(subnetJoin(subnetId));
  const app = requireApp(call);
  if (subnetId === undefined || subnetId === '') throw new ArmHttpError(400, 'BadRequest', 'The parameter subnetResourceId is required.', 'web');
  return { status: 200, body: swiftResponse(setRegionalSubnet(call.ctx, app, subnetId)) };
}

export function deleteSwift(call: ArmCall): ArmResult {
  const app = requireApp(call);
  setRegionalSubnet(call.ctx, app, undefined);
  return { status: 200 };
}

// ---- plan views ----

function requirePlan(call: ArmCall): StoredResource {
  const plan = call.ctx.store.get(planIdOf(call));
  if (plan === undefined) throw notFound(PLAN_TYPE, call.params['plan'] ?? '', call.params['rg']);
  return plan;
}

/** The plan's connections: each VNet its apps reach, gateway-based or regional, once. */
function planConnections(ctx: SimulatorContext, plan: StoredResource): JsonObject[] {
  const byName = new Map<string, JsonObject>();
  for (const app of appsOfPlan(ctx, plan.id)) {
    for (const entry of connectionsOfApp(ctx, app)) {
      const name = String(entry['name']);
      if (!byName.has(name.toLowerCase())) {
        byName.set(name.toLowerCase(), { ...entry, id: `${plan.id}/virtualNetworkConnections/${name}`, type: `${PLAN_TYPE}/virtualNetworkConnections` });
      }
    }
  }
  return [...byName.values()];
}

function requirePlanConnection(call: ArmCall): { plan: StoredResource; connection: JsonObject } {
  const plan = requirePlan(call);
  const name = (call.params['vnet'] ?? '').toLowerCase();
  const connection = planConnections(call.ctx, plan).find((c) => String(c['name']).toLowerCase() === name);
  if (connection === undefined) throw notFoundWeb(`Vnet with name ${call.params['vnet'] ?? ''} for App Service plan ${plan.name}`);
  return { plan, connection };
}

export function listPlanConnections(call: ArmCall): ArmResult {
  return { status: 200, body: planConnections(call.ctx, requirePlan(call)) };
}

export function getPlanConnection(call: ArmCall): ArmResult {
  return { status: 200, body: requirePlanConnection(call).connection };
}

export function listPlanConnectionRoutes(call: ArmCall): ArmResult {
  const { plan, connection } = requirePlanConnection(call);
  const props = isRecord(connection['properties']) ? connection['properties'] : {};
  const routes = Array.isArray(props['routes']) ? props['routes'] : [];
  return {
    status: 200,
    body: routes.map((r: unknown, i: number) => {
      const route = isRecord(r) ? r : {};
      const name = stringProp(route, 'name') ?? `route${i}`;
      const rp = isRecord(route['properties']) ? route['properties'] : route;
      return { id: `${plan.id}/virtualNetworkConnections/${String(connection['name'])}/routes/${name}`, name, type: `${PLAN_TYPE}/virtualNetworkConnections/routes`, properties: { startAddress: rp['startAddress'], endAddress: rp['endAddress'] ?? null, routeType: rp['routeType'] ?? 'STATIC' } };
    }),
  };
}

export function getPlanConnectionGateway(call: ArmCall): ArmResult {
  const { plan, connection } = requirePlanConnection(call);
  const props = isRecord(connection['properties']) ? connection['properties'] : {};
  if (props['isSwift'] === true) throw notFoundWeb(`gateway ${call.params['gateway'] ?? ''} for Vnet ${String(connection['name'])}`);
  return { status: 200, body: gatewayResponse(plan.id, String(connection['name']), call.params['gateway'] ?? 'primary', props['vpnPackageUri']) };
}


// ---- plan virtualNetworkIntegrations (regional integration as the plan sees it) ----

/** Addresses a subnet offers after Azure's five reserved ones. */
function usableAddresses(subnet: StoredResource | undefined): number {
  if (subnet === undefined) return 0;
  const widest = subnetPrefixes(subnet.properties).map(parseIpv4Cidr).filter((r) => r !== undefined).sort((a, b) => a.prefixLength - b.prefixLength)[0];
  return widest === undefined ? 0 : Math.max(0, widest.end - widest.start + 1 - 5);
}

function planIntegrations(ctx: SimulatorContext, plan: StoredResource): JsonObject[] {
  return subnetsOfPlan(ctx.store, plan.id).map((subnetId) => {
    const plans = plansInSubnet(ctx.store, subnetId);
    // One address per plan instance, for every plan sharing the subnet.
    const used = plans.reduce((sum, p) => {
      const capacity = ctx.store.get(p)?.sku?.['capacity'];
      return sum + (typeof capacity === 'number' ? capacity : 1);
    }, 0);
    const sites = appsInSubnet(ctx.store, subnetId).map((a) => a.id);
    return {
      id: `${plan.id}/virtualNetworkIntegrations/${regionalConnectionName(ctx.store, subnetId)}`,
      name: regionalConnectionName(ctx.store, subnetId),
      type: `${PLAN_TYPE}/virtualNetworkIntegrations`,
      properties: {
        subnetResourceId: subnetId,
        subnetIpAllocation: { subnetIpAddressesAvailable: Math.max(0, usableAddresses(ctx.store.get(subnetId)) - used), subnetIpAddressesUsed: used },
        resourceAllocation: { connectedServerFarmsId: plans, connectedSitesId: sites },
      },
    };
  });
}

export function listPlanIntegrations(call: ArmCall): ArmResult {
  return { status: 200, body: { value: planIntegrations(call.ctx, requirePlan(call)) } };
}

export function getPlanIntegration(call: ArmCall): ArmResult {
  const plan = requirePlan(call);
  const name = (call.params['integration'] ?? '').toLowerCase();
  const found = planIntegrations(call.ctx, plan).find((i) => String(i['name']).toLowerCase() === name);
  if (found === undefined) throw notFoundWeb(`virtual network integration ${call.params['integration'] ?? ''} for App Service plan ${plan.name}`);
  return { status: 200, body: found };
}
