/**
 * Linked authorization over real HTTPS: writes that join a subnet (site/slot PUT and PATCH with
 * virtualNetworkSubnetId, networkConfig/virtualNetwork, a swift virtualNetworkConnections entry) need
 * Microsoft.Network/virtualNetworks/subnets/join/action on the subnet; subnet writes need the join action of the NSG,
 * route table or NAT gateway they attach. A refusal is ARM's 403 LinkedAuthorizationFailed and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RbacConfig } from '../src/contract.js';
import type { SimulatorHandle } from '../src/index.js';
import { createRbacPolicy } from '../src/policy/rbac.js';
import { baseWorld, NET, RG, rawRequest, startTestSimulator, SUB, WEB } from '../src/testing.js';

const WEB_API = '?api-version=2025-05-01';
const NET_API = '?api-version=2025-05-01';
const RG_SCOPE = `/subscriptions/${SUB}/resourceGroups/${RG}`;
const APP = `${WEB}/sites/app1`;
const APPS_SUBNET = `${NET}/virtualNetworks/vnet1/subnets/apps`;
const OTHER_SUBNET = `${NET}/virtualNetworks/vnet1/subnets/other`;
const NSG = `${NET}/networkSecurityGroups/nsg1`;
const ROUTES = `${NET}/routeTables/rt1`;
const JOIN = 'Microsoft.Network/virtualNetworks/subnets/join/action';

const rbac: RbacConfig = {
  enabled: true,
  roles: [
    { name: 'Subnet Joiner', actions: [JOIN] },
    { name: 'Subnet Writer', actions: ['Microsoft.Network/virtualNetworks/subnets/write', 'Microsoft.Network/virtualNetworks/subnets/read'] },
    { name: 'NSG Joiner', actions: ['Microsoft.Network/networkSecurityGroups/join/action'] },
    { name: 'VNet Writer', actions: ['Microsoft.Network/virtualNetworks/write'] },
  ],
  assignments: [
    { principalId: 'web-only', roleName: 'Website Contributor', scope: RG_SCOPE },
    { principalId: 'web-and-join', roleName: 'Website Contributor', scope: RG_SCOPE },
    // The join is granted on one subnet only: a scope check, not a blanket switch.
    { principalId: 'web-and-join', roleName: 'Subnet Joiner', scope: APPS_SUBNET },
    { principalId: 'net-only', roleName: 'Subnet Writer', scope: RG_SCOPE },
    { principalId: 'net-only', roleName: 'VNet Writer', scope: RG_SCOPE },
    { principalId: 'net-nsg', roleName: 'Subnet Writer', scope: RG_SCOPE },
    { principalId: 'net-nsg', roleName: 'NSG Joiner', scope: NSG },
  ],
};

function bearerFor(oid: string): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ oid, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { Authorization: `Bearer e30.${payload}.` };
}

interface ArmErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

function linkedMessage(principal: string, action: string, scope: string, missing: readonly (readonly [string, string])[]): string {
  return (
    `The client '${principal}' with object id '${principal}' has permission to perform action '${action}' on scope '${scope}'; ` +
    `however, it does not have permission to perform action(s) '${missing.map(([a]) => a).join(',')}' ` +
    `on the linked scope(s) '${missing.map(([, s]) => s).join(',')}' (respectively) or the linked scope(s) are invalid.`
  );
}

describe('linked authorization (RBAC mode)', () => {
  let sim: SimulatorHandle;
  const call = (principal: string, method: string, path: string, body?: unknown): ReturnType<typeof rawRequest> =>
    rawRequest(sim, method, path, body === undefined ? undefined : JSON.stringify(body), { ...bearerFor(principal), 'Content-Type': 'application/json' });
  const subnetOfApp = (): unknown => sim.store.get(APP)?.properties['virtualNetworkSubnetId'] ?? null;

  beforeAll(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0, scenario: { name: 'linked', throttling: false, rbac, resources: [] } });
    baseWorld(sim);
    sim.seed([
      { id: OTHER_SUBNET, body: { properties: { addressPrefix: '10.0.2.0/26', delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } } },
      { id: APP, body: { location: 'West Europe', properties: { serverFarmId: `${WEB}/serverfarms/plan1` } } },
      { id: NSG, body: { location: 'westeurope', properties: { securityRules: [] } } },
      { id: ROUTES, body: { location: 'westeurope', properties: { routes: [] } } },
    ]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('a site PATCH joining a subnet without the join action is 403 LinkedAuthorizationFailed and changes nothing', async () => {
    const denied = await call('web-only', 'PATCH', `${APP}${WEB_API}`, { properties: { httpsOnly: true, virtualNetworkSubnetId: APPS_SUBNET } });
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({
      error: { code: 'LinkedAuthorizationFailed', message: linkedMessage('web-only', 'Microsoft.Web/sites/write', APP, [[JOIN, APPS_SUBNET]]) },
    });
    // Nothing half-applied: neither the other property nor the join.
    expect(sim.store.get(APP)?.properties['httpsOnly']).toBe(false);
    expect(subnetOfApp()).toBeNull();
    const audit = sim.audit.query({ principalId: 'web-only', status: 403 });
    expect(audit.at(-1)).toMatchObject({ method: 'PATCH', errorCode: 'LinkedAuthorizationFailed' });
  });

  it('the join action granted on the subnet itself is enough; on another subnet it is refused naming that subnet', async () => {
    const joined = await call('web-and-join', 'PATCH', `${APP}${WEB_API}`, { properties: { httpsOnly: true, virtualNetworkSubnetId: APPS_SUBNET } });
    expect(joined.status).toBe(200);
    expect(subnetOfApp()).toBe(APPS_SUBNET);
    expect(sim.store.get(APP)?.properties['httpsOnly']).toBe(true);

    const elsewhere = await call('web-and-join', 'PATCH', `${APP}${WEB_API}`, { properties: { virtualNetworkSubnetId: OTHER_SUBNET } });
    expect(elsewhere.status).toBe(403);
    expect((elsewhere.json() as ArmErrorBody).error.message).toBe(linkedMessage('web-and-join', 'Microsoft.Web/sites/write', APP, [[JOIN, OTHER_SUBNET]]));
    expect(subnetOfApp()).toBe(APPS_SUBNET);
  });

  it('ARM checks the body, not the change: re-sending the current subnet needs the join; leaving or omitting it does not', async () => {
    expect(subnetOfApp()).toBe(APPS_SUBNET);
    const resend = await call('web-only', 'PUT', `${APP}${WEB_API}`, { location: 'West Europe', properties: { serverFarmId: `${WEB}/serverfarms/plan1`, virtualNetworkSubnetId: APPS_SUBNET } });
    expect(resend.status).toBe(403);
    expect((resend.json() as ArmErrorBody).error.code).toBe('LinkedAuthorizationFailed');

    const omitted = await call('web-only', 'PUT', `${APP}${WEB_API}`, { location: 'West Europe', properties: { serverFarmId: `${WEB}/serverfarms/plan1`, clientAffinityEnabled: false } });
    expect(omitted.status).toBe(200);
    expect(subnetOfApp()).toBe(APPS_SUBNET);

    const leave = await call('web-only', 'PATCH', `${APP}${WEB_API}`, { properties: { virtualNetworkSubnetId: '' } });
    expect(leave.status).toBe(200);
    expect(subnetOfApp()).toBeNull();
  });

  it('networkConfig/virtualNetwork PUT and PATCH, a swift virtualNetworkConnections PUT and a slot PUT need the join too', async () => {
    const swift = await call('web-only', 'PUT', `${APP}/networkConfig/virtualNetwork${WEB_API}`, { properties: { subnetResourceId: APPS_SUBNET } });
    expect(swift.status).toBe(403);
    expect((swift.json() as ArmErrorBody).error.message).toBe(
      linkedMessage('web-only', 'Microsoft.Web/sites/networkConfig/write', `${APP}/networkConfig/virtualNetwork`, [[JOIN, APPS_SUBNET]]),
    );
    const swiftPatch = await call('web-only', 'PATCH', `${APP}/networkConfig/virtualNetwork${WEB_API}`, { properties: { subnetResourceId: APPS_SUBNET } });
    expect(swiftPatch.status).toBe(403);

    const connection = await call('web-only', 'PUT', `${APP}/virtualNetworkConnections/legacy${WEB_API}`, { properties: { vnetResourceId: APPS_SUBNET } });
    expect(connection.status).toBe(403);
    expect((connection.json() as ArmErrorBody).error.message).toContain(`on the linked scope(s) '${APPS_SUBNET}'`);

    const slot = await call('web-only', 'PUT', `${APP}/slots/staging${WEB_API}`, { location: 'West Europe', properties: { virtualNetworkSubnetId: APPS_SUBNET } });
    expect(slot.status).toBe(403);
    expect((slot.json() as ArmErrorBody).error.message).toContain(`'Microsoft.Web/sites/slots/write' on scope '${APP}/slots/staging'`);
    expect(sim.store.get(`${APP}/slots/staging`)).toBeUndefined();
    expect(subnetOfApp()).toBeNull();

    const allowed = await call('web-and-join', 'PUT', `${APP}/networkConfig/virtualNetwork${WEB_API}`, { properties: { subnetResourceId: APPS_SUBNET } });
    expect(allowed.status).toBe(200);
    expect(subnetOfApp()).toBe(APPS_SUBNET);
    expect((await call('web-and-join', 'DELETE', `${APP}/networkConfig/virtualNetwork${WEB_API}`)).status).toBe(200);
  });

  it('the linked check comes before the provider: a missing subnet without the join is 403, not SubnetNotFound', async () => {
    const missing = `${NET}/virtualNetworks/vnet1/subnets/missing`;
    const denied = await call('web-only', 'PATCH', `${APP}${WEB_API}`, { properties: { virtualNetworkSubnetId: missing } });
    expect(denied.status).toBe(403);
    expect((denied.json() as ArmErrorBody).error.code).toBe('LinkedAuthorizationFailed');
  });

  it('a subnet write attaching an NSG and a route table needs both join actions, listed respectively; one granted, the other named', async () => {
    const subnet = `${NET}/virtualNetworks/vnet1/subnets/guarded`;
    const body = { properties: { addressPrefix: '10.0.3.0/26', networkSecurityGroup: { id: NSG }, routeTable: { id: ROUTES } } };
    const both = await call('net-only', 'PUT', `${subnet}${NET_API}`, body);
    expect(both.status).toBe(403);
    expect(both.json()).toEqual({
      error: {
        code: 'LinkedAuthorizationFailed',
        message: linkedMessage('net-only', 'Microsoft.Network/virtualNetworks/subnets/write', subnet, [
          ['Microsoft.Network/networkSecurityGroups/join/action', NSG],
          ['Microsoft.Network/routeTables/join/action', ROUTES],
        ]),
      },
    });
    const one = await call('net-nsg', 'PUT', `${subnet}${NET_API}`, body);
    expect(one.status).toBe(403);
    expect((one.json() as ArmErrorBody).error.message).toContain(`action(s) 'Microsoft.Network/routeTables/join/action' on the linked scope(s) '${ROUTES}' (respectively)`);
    expect(sim.store.get(subnet)).toBeUndefined();

    const nsgOnly = await call('net-nsg', 'PUT', `${subnet}${NET_API}`, { properties: { addressPrefix: '10.0.3.0/26', networkSecurityGroup: { id: NSG } } });
    expect(nsgOnly.status).toBe(201);
    expect(sim.store.get(subnet)?.properties['networkSecurityGroup']).toEqual({ id: NSG });
  });

  it('a VNet PUT with inline subnets attaching an NSG needs the NSG join; with RBAC off nothing is checked', async () => {
    const body = { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.9.0.0/16'] }, subnets: [{ name: 'a', properties: { addressPrefix: '10.9.0.0/24', networkSecurityGroup: { id: NSG } } }] } };
    const denied = await call('net-only', 'PUT', `${NET}/virtualNetworks/vnet2${NET_API}`, body);
    expect(denied.status).toBe(403);
    expect((denied.json() as ArmErrorBody).error.message).toBe(
      linkedMessage('net-only', 'Microsoft.Network/virtualNetworks/write', `${NET}/virtualNetworks/vnet2`, [['Microsoft.Network/networkSecurityGroups/join/action', NSG]]),
    );
    expect(sim.store.get(`${NET}/virtualNetworks/vnet2`)).toBeUndefined();

    sim.setPolicies([]);
    try {
      expect((await call('net-only', 'PUT', `${NET}/virtualNetworks/vnet2${NET_API}`, body)).status).toBe(201);
      expect(sim.store.children(`${NET}/virtualNetworks/vnet2`, 'subnets')).toHaveLength(1);
    } finally {
      sim.setPolicies([createRbacPolicy(rbac)]);
    }
  });
});
