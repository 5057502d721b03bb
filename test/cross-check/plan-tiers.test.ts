/**
 * Every App Service plan tier, asked of both sides: the planner (assessApp) must plan a migration exactly when the
 * simulator, which enforces App Service's rules independently, accepts both ends of the move for an app on that
 * tier: a gateway-based connection (the state the app is in) and a join to a subnet delegated to
 * Microsoft.Web/serverFarms (the state this tool moves it to).
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessApp } from '../../src/domain/eligibility.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { NET, RG, SUB, WEB, clientOptions, seedGateway, startTestSimulator, staticCredential } from '@vnet-migrator/arm-simulator/testing.js';

/** Tier as ARM reports it, with a SKU name of that tier. */
const TIERS: readonly (readonly [tier: string, sku: string])[] = [
  ['Free', 'F1'],
  ['Shared', 'D1'],
  ['Basic', 'B1'],
  ['Standard', 'S1'],
  ['Premium', 'P1'],
  ['PremiumV2', 'P1v2'],
  ['PremiumV3', 'P1v3'],
  ['PremiumV4', 'P1v4'],
  ['Premium0V3', 'P0v3'],
  ['PremiumMV3', 'P1mv3'],
  ['ElasticPremium', 'EP1'],
  ['Dynamic', 'Y1'],
  ['FlexConsumption', 'FC1'],
  ['Isolated', 'I1'],
  ['IsolatedV2', 'I1v2'],
];

const VNET = `${NET}/virtualNetworks/vnet1`;

describe('plan tiers: the planner agrees with the simulator', () => {
  let sim: SimulatorHandle;
  let web: WebSiteManagementClient;

  beforeAll(async () => {
    sim = await startTestSimulator({ longRunningOperationMs: 0 });
    web = new WebSiteManagementClient(staticCredential(), SUB, clientOptions(sim));
    sim.seed([{ id: VNET, body: { location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } } }]);
    seedGateway(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** What App Service says to each end of the move for an app on a fresh plan of `tier`: undefined when accepted. */
  async function simulatorAnswers(index: number, tier: string, sku: string): Promise<{ gateway?: string; regional?: string }> {
    const plan = `${WEB}/serverfarms/plan-${index}`;
    const subnet = `${VNET}/subnets/int-${index}`;
    sim.seed([
      { id: plan, body: { location: 'westeurope', sku: { name: sku, tier }, properties: {} } },
      {
        id: subnet,
        body: { properties: { addressPrefix: `10.0.${index + 1}.0/26`, delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }] } },
      },
      { id: `${WEB}/sites/gw-${index}`, body: { location: 'westeurope', properties: { serverFarmId: plan } } },
      { id: `${WEB}/sites/rg-${index}`, body: { location: 'westeurope', properties: { serverFarmId: plan } } },
    ]);
    const refusal = (error: unknown) => (error as { statusCode?: number }).statusCode?.toString() ?? String(error);
    const gateway = await web.webApps.createOrUpdateVnetConnection(RG, `gw-${index}`, 'vnet1', { vnetResourceId: VNET }).then(() => undefined, refusal);
    const regional = await web.webApps
      .createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, `rg-${index}`, { subnetResourceId: subnet })
      .then(() => undefined, refusal);
    return { ...(gateway === undefined ? {} : { gateway }), ...(regional === undefined ? {} : { regional }) };
  }

  it.each(TIERS.map(([tier, sku], index) => ({ tier, sku, index })))('$tier ($sku)', async ({ tier, sku, index }) => {
    const answers = await simulatorAnswers(index, tier, sku);
    const decision = assessApp({
      app: { id: `${WEB}/sites/gw-${index}`, location: 'westeurope', slots: [], regionalSubnetId: null, gatewayVnetIds: [VNET] },
      plan: { id: `${WEB}/serverfarms/plan-${index}`, sku: { name: sku, tier } },
      vnets: [{ id: VNET, location: 'westeurope', peerings: [] }],
    });
    const simulatorAllowsMove = answers.gateway === undefined && answers.regional === undefined;
    expect({ tier, planned: decision.outcome === 'migrate' }, `simulator: ${JSON.stringify(answers)}; planner: ${decision.message}`).toEqual({
      tier,
      planned: simulatorAllowsMove,
    });
    if (!simulatorAllowsMove) expect(decision.reason).toBe('unsupported-sku');
  });

  it('covers both answers: some tiers are planned and some refused', async () => {
    // Guards the table above against a simulator that accepts or refuses everything.
    const answers = await Promise.all([simulatorAnswers(100, 'PremiumV3', 'P1v3'), simulatorAnswers(101, 'Free', 'F1')]);
    expect(answers[0]).toEqual({});
    expect(answers[1]).toEqual({ gateway: '400', regional: '400' });
  });
});
