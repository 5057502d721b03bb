/**
 * The plan subnet limit (2 regional subnets per App Service plan), asked of both sides: for an app of a plan that
 * already uses some subnets, the planner (applyPlanSubnetLimit) must let it move exactly when the simulator, which
 * applies App Service's rule independently, lets it join the subnet the planner would use. Joining a subnet the
 * plan already uses never counts against the limit; a new one does.
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlanSubnetLimit, type EligibilityDecision } from '../../src/domain/eligibility.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { NET, RG, SUB, WEB, clientOptions, startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';

const PLAN = `${WEB}/serverfarms/plan1`;
const vnetId = (vnet: string) => `${NET}/virtualNetworks/${vnet}`;
const subnetId = (vnet: string) => `${vnetId(vnet)}/subnets/int`;
const VNETS = ['v1', 'v2', 'v3'];

describe('plan subnet limit: the planner agrees with the simulator', () => {
  let sim: SimulatorHandle;
  let web: WebSiteManagementClient;

  beforeEach(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0 });
    web = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
    sim.seed([
      { id: PLAN, body: { location: 'westeurope', sku: { name: 'P1v3', tier: 'PremiumV3' }, properties: {} } },
      ...VNETS.flatMap((vnet, i) => [
        { id: vnetId(vnet), body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: [`10.${i}.0.0/16`] } } } },
        {
          id: subnetId(vnet),
          body: { properties: { addressPrefix: `10.${i}.1.0/26`, delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } },
        },
      ]),
    ]);
  });
  afterEach(async () => {
    await sim.stop();
  });

  it.each([
    { inUse: [], joins: 'v1', moves: true },
    { inUse: ['v1'], joins: 'v1', moves: true },
    { inUse: ['v1'], joins: 'v2', moves: true },
    { inUse: ['v1', 'v2'], joins: 'v1', moves: true },
    { inUse: ['v1', 'v2'], joins: 'v2', moves: true },
    { inUse: ['v1', 'v2'], joins: 'v3', moves: false },
  ])('plan using $inUse, app joining $joins: moves $moves', async ({ inUse, joins, moves }) => {
    sim.seed(inUse.map((vnet, i) => ({ id: `${WEB}/sites/existing-${i}`, body: { location: 'westeurope', properties: { serverFarmId: PLAN, virtualNetworkSubnetId: subnetId(vnet) } } })));
    sim.seed([{ id: `${WEB}/sites/mover`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } }]);

    const eligible: EligibilityDecision = {
      appId: `${WEB}/sites/mover`,
      eligible: true,
      outcome: 'migrate',
      reason: 'eligible',
      strategy: 'direct',
      targetVnetId: vnetId(joins),
      message: '',
      details: {},
    };
    const [planned] = applyPlanSubnetLimit(PLAN, [eligible], inUse.map(subnetId));
    const joined = await web.webApps.update(RG, 'mover', { virtualNetworkSubnetId: subnetId(joins) }).then(
      () => 'joined',
      (error: { statusCode?: number }) => `refused ${error.statusCode}`,
    );

    expect({ planner: planned?.reason, simulator: joined }).toEqual(
      moves ? { planner: 'eligible', simulator: 'joined' } : { planner: 'plan-subnet-limit', simulator: 'refused 409' },
    );
  });
});
