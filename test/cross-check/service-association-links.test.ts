/**
 * The subnet's service association link beyond the apps' own state, as a migration engine meets it through the real
 * SDK clients (configured the product's way, src/azure/arm-clients.ts, and read through toArmError):
 * - the join lease: a second app joining the same subnet inside `subnetJoinLeaseMs` is refused with 409 and
 *   ExtendedCode 70006 "Failed to acquire ServiceAssociationLinkLease...", nothing applied;
 * - the lingering link: after the plan's last app leaves, the link stays `serviceAssociationLinkLingerMs`, the subnet
 *   cannot be deleted, and POST .../locations/{l}/purgeUnusedVirtualNetworkIntegration clears it.
 * A manual clock steps simulated time exactly (long-running operations are synchronous here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { armFailure } from '../support/arm-failure.js';
import { ManualClock } from '@vnet-migrator/arm-simulator/clock.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { createRbacPolicy } from '@vnet-migrator/arm-simulator/policy/rbac.js';
import { parseScenario } from '@vnet-migrator/arm-simulator/scenario/schema.js';
import { baseWorld, NET, rawRequest, RG, startTestSimulator, staticCredential, SUB, WEB } from '@vnet-migrator/arm-simulator/testing.js';

const SUBNET = `${NET}/virtualNetworks/vnet1/subnets/apps`;
const PLAN = `${WEB}/serverfarms/plan1`;
const LEASE_MESSAGE = 'Failed to acquire ServiceAssociationLinkLease. Another thread or instance may be holding it.';
const PURGE = `/subscriptions/${SUB}/providers/Microsoft.Web/locations/westeurope/purgeUnusedVirtualNetworkIntegration?api-version=2024-04-01`;

function bearerFor(oid: string): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ oid, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
  return { Authorization: `Bearer e30.${payload}.` };
}


describe('service association links: join lease and lingering link', () => {
  let sim: SimulatorHandle | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  async function start(settings: { subnetJoinLeaseMs?: number; serviceAssociationLinkLingerMs?: number }): Promise<{ sim: SimulatorHandle; clock: ManualClock; arm: ArmClients }> {
    const clock = new ManualClock(Date.now());
    const started = await startTestSimulator({ clock, longRunningOperationMs: 0, throttling: false, ...settings });
    sim = started;
    baseWorld(started);
    started.seed(['app1', 'app2'].map((name) => ({ id: `${WEB}/sites/${name}`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } })));
    return { sim: started, clock, arm: createArmClients(staticCredential(), SUB, { endpoint: started.url, caPem: started.caPem }) };
  }

  it('scenarios carry both settings (default 0: off), validated like the others', async () => {
    expect(parseScenario({ name: 's', resources: [], subnetJoinLeaseMs: 30_000, serviceAssociationLinkLingerMs: 600_000 })).toMatchObject({ subnetJoinLeaseMs: 30_000 });
    expect(() => parseScenario({ name: 's', resources: [], subnetJoinLeaseMs: -1 })).toThrow(/subnetJoinLeaseMs/);
    sim = await startTestSimulator({ scenario: { name: 's', resources: [], subnetJoinLeaseMs: 30_000, serviceAssociationLinkLingerMs: 600_000 } });
    expect(sim.settings).toMatchObject({ subnetJoinLeaseMs: 30_000, serviceAssociationLinkLingerMs: 600_000 });
    await sim.stop();
    sim = await startTestSimulator({ scenario: { name: 's', resources: [], subnetJoinLeaseMs: 30_000 }, subnetJoinLeaseMs: 5 });
    expect(sim.settings).toMatchObject({ subnetJoinLeaseMs: 5, serviceAssociationLinkLingerMs: 0 });
  });

  it('a second app joining the subnet inside the lease gets 409 with ExtendedCode 70006, nothing applied; after the window it joins', async () => {
    const { clock, arm } = await start({ subnetJoinLeaseMs: 60_000 });
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    clock.advance(59_000);

    const refused = await armFailure('connect app2 to subnet apps', () =>
      arm.web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app2', { subnetResourceId: SUBNET }),
    );
    expect(refused.details).toMatchObject({ statusCode: 409, armCode: 'Conflict', extendedCode: '70006' });
    expect(refused.message).toBe(`connect app2 to subnet apps failed: ${LEASE_MESSAGE} (409 Conflict 70006)`);
    expect((await arm.web.webApps.get(RG, 'app2')).virtualNetworkSubnetId ?? null).toBeNull();

    // Every form of regional join is the same join: all refused alike.
    const forms: [string, () => Promise<unknown>][] = [
      ['PATCH site', () => arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET })],
      ['PATCH networkConfig', () => arm.web.webApps.updateSwiftVirtualNetworkConnectionWithCheck(RG, 'app2', { subnetResourceId: SUBNET })],
      ['PUT swift connection', () => arm.web.webApps.createOrUpdateVnetConnection(RG, 'app2', 'swift', { vnetResourceId: SUBNET, isSwift: true })],
    ];
    for (const [form, call] of forms) {
      expect((await armFailure(form, call)).details, form).toMatchObject({ statusCode: 409, extendedCode: '70006' });
    }
    // Site PUT is long-running: the SDK's poller throws a RestError with App Service's code and message but no
    // parsed details, so toArmError has no extendedCode there; the body still carries ExtendedCode 70006.
    const put = await armFailure('PUT site', () => arm.web.webApps.createOrUpdate(RG, 'app2', { location: 'westeurope', serverFarmId: PLAN, virtualNetworkSubnetId: SUBNET }));
    expect(put.details).toMatchObject({ statusCode: 409, armCode: 'Conflict' });
    expect(put.message).toContain(LEASE_MESSAGE);
    const raw = await rawRequest(sim as SimulatorHandle, 'PUT', `${WEB}/sites/app2?api-version=2025-05-01`, JSON.stringify({ location: 'westeurope', properties: { serverFarmId: PLAN, virtualNetworkSubnetId: SUBNET } }));
    expect(raw.status).toBe(409);
    expect(raw.json()).toMatchObject({ Code: 'Conflict', Message: LEASE_MESSAGE, Details: [{ Message: LEASE_MESSAGE }, { Code: 'Conflict' }, { ErrorEntity: { ExtendedCode: '70006' } }] });
    expect((await arm.web.webApps.get(RG, 'app2')).virtualNetworkSubnetId ?? null).toBeNull();

    // The holder itself may leave and join again inside its own lease.
    await arm.web.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    await arm.web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET });
    clock.advance(59_999);
    expect((await armFailure('connect app2', () => arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET }))).details).toMatchObject({ extendedCode: '70006' });

    clock.advance(1);
    const joined = await arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET });
    expect(joined.virtualNetworkSubnetId).toBe(SUBNET);
  });

  it('with the lease off (default) two joins of one subnet at the same instant both succeed', async () => {
    const { arm } = await start({});
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    expect((await arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET })).virtualNetworkSubnetId).toBe(SUBNET);
  });

  it('a link lingers after the last app leaves: the subnet shows it and cannot be deleted until it expires', async () => {
    const { clock, arm } = await start({ serviceAssociationLinkLingerMs: 600_000 });
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    await arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: '' });

    const subnet = await arm.network.subnets.get(RG, 'vnet1', 'apps');
    expect(subnet.serviceAssociationLinks?.map((l) => l.link)).toEqual([PLAN]);
    const refused = await armFailure('delete subnet apps', () => arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps'));
    expect(refused.details).toMatchObject({ statusCode: 400, armCode: 'InUseSubnetCannotBeDeleted' });
    // Network still holds the delegation the link relies on.
    expect((await armFailure('undelegate subnet apps', () => arm.network.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'apps', { addressPrefix: '10.0.1.0/26', delegations: [] }))).details)
      .toMatchObject({ armCode: 'SubnetDelegationsCannotChangeWhenSubnetUsedByResource' });

    clock.advance(599_999);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toHaveLength(1);
    clock.advance(1);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toEqual([]);
    await arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps', { updateIntervalInMs: 10 });
    await expect(arm.network.subnets.get(RG, 'vnet1', 'apps')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('deleting the last app of the plan leaves the link lingering too; joining again takes the live link back', async () => {
    const { arm } = await start({ serviceAssociationLinkLingerMs: 600_000 });
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.delete(RG, 'app1');
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks?.map((l) => l.link)).toEqual([PLAN]);
    await arm.web.webApps.update(RG, 'app2', { virtualNetworkSubnetId: SUBNET });
    // The plan is back through app2: purging finds nothing unused, the link stays while app2 is there.
    expect((await rawRequest(sim as SimulatorHandle, 'POST', PURGE, JSON.stringify({ subnetResourceId: SUBNET }))).status).toBe(200);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks?.map((l) => l.link)).toEqual([PLAN]);
  });

  it('purgeUnusedVirtualNetworkIntegration clears the lingering link in its location; then the subnet can be deleted', async () => {
    const { sim: s, arm } = await start({ serviceAssociationLinkLingerMs: 600_000 });
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    expect((await armFailure('delete subnet apps', () => arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps'))).details).toMatchObject({ armCode: 'InUseSubnetCannotBeDeleted' });

    // Another location, or another subnet, purges nothing here.
    const elsewhere = await rawRequest(s, 'POST', PURGE.replace('westeurope', 'northeurope'), JSON.stringify({ subnetResourceId: SUBNET }));
    expect(elsewhere.status).toBe(200);
    expect((await rawRequest(s, 'POST', PURGE, JSON.stringify({ subnetResourceId: `${NET}/virtualNetworks/vnet1/subnets/other` }))).status).toBe(200);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toHaveLength(1);

    // Only Contributor-like roles may purge: the action is Microsoft.Web/locations/purgeUnusedVirtualNetworkIntegration/action.
    s.setPolicies([createRbacPolicy({
      enabled: true,
      roles: [],
      assignments: [
        { principalId: 'web-only', roleName: 'Website Contributor', scope: `/subscriptions/${SUB}` },
        { principalId: 'migrator', roleName: 'Contributor', scope: `/subscriptions/${SUB}` },
      ],
    })]);
    const denied = await rawRequest(s, 'POST', PURGE, JSON.stringify({ subnetResourceId: SUBNET }), bearerFor('web-only'));
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'AuthorizationFailed', message: expect.stringContaining("'Microsoft.Web/locations/purgeUnusedVirtualNetworkIntegration/action' over scope '/subscriptions/") as unknown } });

    const purged = await rawRequest(s, 'POST', PURGE, JSON.stringify({ subnetResourceId: SUBNET }), bearerFor('migrator'));
    expect(purged.status).toBe(200);
    expect(purged.json()).toBe('Purged unused virtual network integration');
    s.setPolicies([]);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toEqual([]);
    await arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps', { updateIntervalInMs: 10 });
    await expect(arm.network.subnets.get(RG, 'vnet1', 'apps')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('without a body the purge clears every lingering link of the subscription in that location', async () => {
    const { sim: s, arm } = await start({ serviceAssociationLinkLingerMs: 600_000 });
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    expect((await rawRequest(s, 'POST', PURGE)).status).toBe(200);
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toEqual([]);
  });

  it('with lingering off (default) the link goes with the last app, as before', async () => {
    const { arm } = await start({});
    await arm.web.webApps.update(RG, 'app1', { virtualNetworkSubnetId: SUBNET });
    await arm.web.webApps.deleteSwiftVirtualNetwork(RG, 'app1');
    expect((await arm.network.subnets.get(RG, 'vnet1', 'apps')).serviceAssociationLinks ?? []).toEqual([]);
    await arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps', { updateIntervalInMs: 10 });
  });
});
