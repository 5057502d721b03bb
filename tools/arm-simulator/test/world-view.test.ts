import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { createVerificationWorld } from '../src/world/reachability.js';
import { baseWorld, clientOptions, seedGateway, NET, RG, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

describe('world view from the server state', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0 });
    baseWorld(sim);
    seedGateway(sim);
    sim.seed([
      { id: `${WEB}/sites/legacy`, body: { location: 'westeurope', properties: { serverFarmId: `${WEB}/serverfarms/plan1` } } },
      { id: `${WEB}/sites/legacy/virtualNetworkConnections/vnet1`, body: { properties: { vnetResourceId: `${NET}/virtualNetworks/vnet1` } } },
    ]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('carries sites, gateway connections, VNets and gateways as stored', () => {
    const view = sim.worldView();
    expect(view.sites.map((s) => s.id)).toEqual([`${WEB}/sites/legacy`]);
    expect(view.vnetConnections?.[`${WEB}/sites/legacy`]?.[0]?.properties.vnetResourceId).toBe(`${NET}/virtualNetworks/vnet1`);
    expect(view.virtualNetworks[0]?.properties.subnets?.map((s) => s.name)).toEqual(['apps', 'GatewaySubnet']);
    expect(view.virtualNetworkGateways?.map((g) => g.id)).toEqual([`${NET}/virtualNetworkGateways/gw1`]);
  });

  it('a gateway disconnect becomes a restart window the verification world sees', async () => {
    const client = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
    const before = sim.clock.now();
    await client.webApps.deleteVnetConnection(RG, 'legacy', 'vnet1');
    const view = sim.worldView();
    const until = view.restartingUntil?.[`${WEB}/sites/legacy`] ?? 0;
    expect(until - before).toBeGreaterThanOrEqual(sim.settings.restartDurationMs);
    const world = createVerificationWorld(view);
    expect(world.isRestarting(`${WEB}/sites/legacy`, until - 1)).toBe(true);
    expect(world.isRestarting(`${WEB}/sites/legacy`, until + 1)).toBe(false);
    expect(view.vnetConnections?.[`${WEB}/sites/legacy`]).toBeUndefined();
  });
});
