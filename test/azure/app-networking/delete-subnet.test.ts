/**
 * deleteSubnetIfUnused, the rollback's subnet clean-up, against the simulator with the real SDK clients: what keeps
 * a subnet (IP configurations, a plan whose apps still use it, a refusal that stays after the purge), what it asks
 * of ARM and no more (the purge only after an in-use refusal, and only for that subnet), a delete answered 5xx read
 * back, a lingering link of a plan that is gone or whose apps moved to another subnet, and a caller that gave up
 * mid-way. Each test starts from the demo world as seeded (the same setup as the other app-networking tests).
 */
import { describe, expect, it } from 'vitest';
import { deleteSubnetIfUnused } from '../../../src/azure/app-networking/index.js';
import type { RequestPolicy } from '@vnet-migrator/arm-simulator/contract.js';
import { createDelegatedSubnet, instantDemoWorldForEachTest, setupClients, thrown, VNET_APPS_WE } from './support.js';

const LINUX_SUBNET = `${VNET_APPS_WE}/subnets/snet-integration-linux`;
const LINGER_MS = 3_600_000;

describe('deleteSubnetIfUnused', () => {
  const world = instantDemoWorldForEachTest();
  const requests = (method: string, pathContains: string): number => world.sim.audit.query({ method, pathContains }).length;

  /** Moves the Linux app (the one app on snet-integration-linux) to `subnetId`, or off regional integration, with the SDK alone. */
  async function moveLinuxApp(subnetId: string | null): Promise<void> {
    const { web } = setupClients(world.sim);
    if (subnetId === null) await web.webApps.deleteSwiftVirtualNetwork('rg-web-we', 'linux-regional-we');
    else await web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck('rg-web-we', 'linux-regional-we', { subnetResourceId: subnetId });
  }

  it('deletes an unused subnet with one DELETE, and asks App Service to purge nothing', async () => {
    const subnet = await createDelegatedSubnet(world.sim, 'snet-unused', '10.10.8.0/26');
    expect(await deleteSubnetIfUnused(subnet, world.opts)).toEqual({ deleted: true });
    expect(requests('DELETE', '/subnets/snet-unused')).toBe(1);
    expect(requests('POST', '/purgeUnusedVirtualNetworkIntegration')).toBe(0);
  });

  it('keeps a subnet with IP configurations in it (here the VPN gateway in GatewaySubnet), and says so', async () => {
    const gatewaySubnet = `${VNET_APPS_WE}/subnets/GatewaySubnet`;
    expect(await deleteSubnetIfUnused(gatewaySubnet, world.opts)).toEqual({ deleted: false, reason: 'subnet GatewaySubnet is used by 1 IP configuration(s)' });
    expect(requests('DELETE', '/subnets/GatewaySubnet')).toBe(0);
  });

  it('a delete refused for another reason than a lingering link is thrown with ARM\'s text, and nothing is purged', async () => {
    const subnet = await createDelegatedSubnet(world.sim, 'snet-locked', '10.10.8.0/26');
    world.sim.faults.add({ kind: 'permanent', method: 'DELETE', pathPattern: '/subnets/snet-locked$', message: 'The subnet is locked by policy.', count: 1 });
    const error = await thrown(() => deleteSubnetIfUnused(subnet, world.opts));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/^delete integration subnet snet-locked in VNet vnet-apps-we failed: The subnet is locked by policy\./);
    expect(requests('POST', '/purgeUnusedVirtualNetworkIntegration')).toBe(0);
  });

  it('a delete answered 5xx is read back: applied counts as deleted, not applied is thrown retryable', async () => {
    const subnet = await createDelegatedSubnet(world.sim, 'snet-flaky', '10.10.8.0/26');
    world.sim.faults.add({ kind: 'http500', method: 'DELETE', pathPattern: '/subnets/snet-flaky$', count: 1 });
    expect(await thrown(() => deleteSubnetIfUnused(subnet, world.opts))).toMatchObject({ retryable: true });
    expect(await setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-flaky')).toMatchObject({ name: 'snet-flaky' });
    world.sim.faults.add({ kind: 'applied-then-504', method: 'DELETE', pathPattern: '/subnets/snet-flaky$', count: 1 });
    expect(await deleteSubnetIfUnused(subnet, world.opts)).toEqual({ deleted: true });
    await expect(setupClients(world.sim).network.subnets.get('rg-network-we', 'vnet-apps-we', 'snet-flaky')).rejects.toMatchObject({ statusCode: 404 });
  });

  it("a lingering link of a plan whose apps moved to another subnet does not keep the subnet", async () => {
    world.sim.settings.serviceAssociationLinkLingerMs = LINGER_MS;
    const other = await createDelegatedSubnet(world.sim, 'snet-moved-to', '10.10.8.0/26');
    await moveLinuxApp(other);
    expect(await deleteSubnetIfUnused(LINUX_SUBNET, world.opts)).toEqual({ deleted: true });
  });

  it('a lingering link of a plan that is gone does not keep the subnet', async () => {
    world.sim.settings.serviceAssociationLinkLingerMs = LINGER_MS;
    await moveLinuxApp(null);
    const { web } = setupClients(world.sim);
    for (const app of ['linux-regional-we', 'linux-public-we']) await web.webApps.delete('rg-web-we', app);
    await web.appServicePlans.delete('rg-web-we', 'plan-linux-we');
    expect(await deleteSubnetIfUnused(LINUX_SUBNET, world.opts)).toEqual({ deleted: true });
  });

  it("the purge is for this subnet only: another subnet's lingering link stays", async () => {
    world.sim.settings.serviceAssociationLinkLingerMs = LINGER_MS;
    const first = await createDelegatedSubnet(world.sim, 'snet-first', '10.10.8.0/26');
    const second = await createDelegatedSubnet(world.sim, 'snet-second', '10.10.9.0/26');
    await moveLinuxApp(first);
    await moveLinuxApp(second);
    await moveLinuxApp(null);
    expect(await deleteSubnetIfUnused(first, world.opts)).toEqual({ deleted: true });
    expect(requests('POST', '/purgeUnusedVirtualNetworkIntegration')).toBe(1);
    await expect(setupClients(world.sim).network.subnets.beginDeleteAndWait('rg-network-we', 'vnet-apps-we', 'snet-second', { updateIntervalInMs: 5 })).rejects.toMatchObject({
      code: 'InUseSubnetCannotBeDeleted',
    });
  });

  it.each([
    ["the plan's VNet connections", '/serverfarms/plan-linux-we/virtualNetworkConnections$', false],
    ["the VNet's location, before the purge", '/virtualNetworks/vnet-apps-we$', true],
    ['the purge', '/purgeUnusedVirtualNetworkIntegration$', true],
  ])('a caller that gave up while waiting for %s gets no answer: its abort signal goes with that call', async (_, pathPattern, appLeft) => {
    world.sim.settings.serviceAssociationLinkLingerMs = LINGER_MS;
    if (appLeft) await moveLinuxApp(null);
    world.sim.faults.add({ kind: 'hang', pathPattern });
    const aborted = { ...world.opts, abortSignal: AbortSignal.timeout(500) };
    await expect(deleteSubnetIfUnused(LINUX_SUBNET, aborted)).rejects.toThrow();
  }, 20_000);
});

describe('deleteSubnetIfUnused when the subnet stays in use after the purge', () => {
  // A simulator of its own: this test replaces its request policies.
  const world = instantDemoWorldForEachTest();

  it('keeps it and gives both answers: the refusal, and that App Service was asked to purge', async () => {
    const subnet = await createDelegatedSubnet(world.sim, 'snet-held', '10.10.8.0/26');
    // Something App Service does not know of holds the subnet: every delete is refused as in use.
    const held: RequestPolicy = {
      evaluate: (info) =>
        info.method === 'DELETE' && /\/subnets\/snet-held$/i.test(info.path)
          ? { kind: 'respond', status: 400, body: { error: { code: 'InUseSubnetCannotBeDeleted', message: 'Subnet snet-held is in use and cannot be deleted.' } } }
          : { kind: 'pass' },
    };
    world.sim.setPolicies([held]);
    const result = await deleteSubnetIfUnused(subnet, world.opts);
    expect(result).toEqual({
      deleted: false,
      reason:
        'delete integration subnet snet-held in VNet vnet-apps-we failed: Subnet snet-held is in use and cannot be deleted. (400 InUseSubnetCannotBeDeleted) App Service was asked to purge unused virtual network integrations, and the subnet is still in use.',
    });
  });
});
