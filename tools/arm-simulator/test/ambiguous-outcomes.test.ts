/**
 * Ambiguous outcomes (fault kinds applied-then-504 and applied-then-reset): the request is handled and applied, then
 * the client gets ARM's 504 GatewayTimeout or a dropped connection. What the real SDK does with that decides what a
 * migration engine sees: core-rest-pipeline retries a 504 and a reset with exponential backoff whatever the method,
 * so an idempotent PUT/PATCH succeeds unnoticed, a POST action runs twice, and a DELETE answers 404 to its own retry.
 * A perRetry policy records every attempt the SDK makes, so "retried" is observed, not inferred.
 */
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { NetworkManagementClient } from '@azure/arm-network';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../src/index.js';
import { baseWorld, clientOptions, NET, rawRequest, RG, seedGateway, startTestSimulator, staticCredential, SUB, WEB } from '../src/testing.js';

interface Attempt {
  readonly status: number | undefined;
  readonly error?: string;
}

/** Client options that trust the simulator, record every attempt, and optionally turn the SDK's retries off. */
function options(sim: SimulatorHandle, attempts: Attempt[], retries?: number): Record<string, unknown> {
  const recorder: PipelinePolicy = {
    name: 'record-attempts',
    async sendRequest(request, next) {
      try {
        const response = await next(request);
        attempts.push({ status: response.status });
        return response;
      } catch (error) {
        attempts.push({ status: undefined, error: (error as { code?: string }).code ?? String(error) });
        throw error;
      }
    },
  };
  return {
    ...clientOptions(sim),
    additionalPolicies: [{ position: 'perRetry', policy: recorder }],
    ...(retries === undefined ? {} : { retryOptions: { maxRetries: retries } }),
  };
}

const VNET = `${NET}/virtualNetworks/vnet1`;
const PLAN = `${WEB}/serverfarms/plan1`;
const APP = `${WEB}/sites/app1`;
const GATEWAY_TIMEOUT_WEB = "The gateway did not receive a response from 'Microsoft.Web' within the specified time period.";
const GATEWAY_TIMEOUT_NETWORK = "The gateway did not receive a response from 'Microsoft.Network' within the specified time period.";

describe('ambiguous outcomes: applied, then 504 or a reset, through the real SDK', () => {
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startTestSimulator({ throttling: false });
    baseWorld(sim);
    seedGateway(sim);
    sim.seed([
      { id: APP, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } },
      { id: `${APP}/virtualNetworkConnections/vnet1`, body: { properties: { vnetResourceId: VNET } } },
    ]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const addFault = async (rule: Record<string, unknown>): Promise<void> => {
    const added = await rawRequest(sim, 'POST', '/_simulator/faults', JSON.stringify(rule), {});
    expect(added.status, added.text).toBe(201);
  };
  const lastAudit = (method: string, pathEnd: string) => sim.audit.query({ method }).filter((e) => e.path.endsWith(pathEnd)).at(-1);

  it('applied-then-504 without SDK retries: the caller gets RestError 504 GatewayTimeout, yet the PATCH was applied', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts, 0));
    await addFault({ kind: 'applied-then-504', method: 'PATCH', pathPattern: '/sites/app1$', count: 1 });
    await expect(web.webApps.update(RG, 'app1', { httpsOnly: true })).rejects.toMatchObject({
      statusCode: 504,
      code: 'GatewayTimeout',
      message: GATEWAY_TIMEOUT_WEB,
    });
    expect(attempts.map((a) => a.status)).toEqual([504]);
    expect((await web.webApps.get(RG, 'app1')).httpsOnly).toBe(true);
    expect(lastAudit('PATCH', '/sites/app1')).toMatchObject({ status: 504, errorCode: 'GatewayTimeout', answeredBy: 'policy', handlerStatus: 200 });
  });

  it('on a network long-running PUT: the subnet is created and its operation started, the caller gets 504 naming Microsoft.Network', async () => {
    const attempts: Attempt[] = [];
    const network = new NetworkManagementClient(staticCredential(), SUB, options(sim, attempts, 0));
    await addFault({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/subnets/late$', count: 1 });
    await expect(network.subnets.beginCreateOrUpdateAndWait(RG, 'vnet1', 'late', { addressPrefix: '10.0.2.0/28' }, { updateIntervalInMs: 10 }))
      .rejects.toMatchObject({ statusCode: 504, code: 'GatewayTimeout', message: GATEWAY_TIMEOUT_NETWORK });
    expect(attempts.map((a) => a.status)).toEqual([504]);
    expect(lastAudit('PUT', '/subnets/late')).toMatchObject({ status: 504, handlerStatus: 201 });
    expect((await network.subnets.get(RG, 'vnet1', 'late')).addressPrefix).toBe('10.0.2.0/28');
  });

  it('with the SDK defaults a 504 is retried after a backoff: an applied PUT is applied again and succeeds unnoticed', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts));
    await addFault({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/config/appsettings$', count: 1 });
    const settings = await web.webApps.updateApplicationSettings(RG, 'app1', { properties: { A: '1' } });
    expect(settings.properties).toEqual({ A: '1' });
    expect(attempts.map((a) => a.status)).toEqual([504, 200]);
  });

  it('a POST action applied then retried runs twice: two restarts are recorded for one call', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts));
    const before = sim.restarts.length;
    await addFault({ kind: 'applied-then-504', method: 'POST', pathPattern: '/sites/app1/restart$', count: 1 });
    await web.webApps.restart(RG, 'app1');
    expect(attempts.map((a) => a.status)).toEqual([504, 200]);
    expect(sim.restarts.slice(before).map((r) => r.reason)).toEqual(['restart', 'restart']);
  });

  it('a DELETE applied then retried answers 404: deleteVnetConnection throws although the connection was removed', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts));
    const before = sim.restarts.length;
    await addFault({ kind: 'applied-then-504', method: 'DELETE', pathPattern: '/virtualNetworkConnections/vnet1$', count: 1 });
    await expect(web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1')).rejects.toMatchObject({ statusCode: 404 });
    expect(attempts.map((a) => a.status)).toEqual([504, 404]);
    expect(await web.webApps.listVnetConnections(RG, 'app1')).toEqual([]);
    // Applied once: one disconnect, one restart.
    expect(sim.restarts.slice(before).map((r) => r.reason)).toEqual(['gateway-disconnect']);
  });

  it('applied-then-reset: the SDK retries the dropped connection, so a PUT succeeds and a DELETE answers 404', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts));
    await addFault({ kind: 'applied-then-reset', method: 'PUT', pathPattern: '/virtualNetworkConnections/vnet1$', count: 1 });
    const created = await web.webApps.createOrUpdateVnetConnection(RG, 'app1', 'vnet1', { vnetResourceId: VNET });
    expect(created.vnetResourceId).toBe(VNET);
    expect(attempts.map((a) => a.status ?? a.error)).toEqual([expect.stringMatching(/ECONNRESET|socket hang up/i) as unknown, 200]);
    expect(lastAudit('PUT', '/virtualNetworkConnections/vnet1')).toMatchObject({ status: 200 });
    expect(sim.audit.query({ method: 'PUT' }).filter((e) => e.path.endsWith('/virtualNetworkConnections/vnet1')).at(-2))
      .toMatchObject({ status: 0, answeredBy: 'reset', handlerStatus: 200 });

    attempts.length = 0;
    await addFault({ kind: 'applied-then-reset', method: 'DELETE', pathPattern: '/virtualNetworkConnections/vnet1$', count: 1 });
    await expect(web.webApps.deleteVnetConnection(RG, 'app1', 'vnet1')).rejects.toMatchObject({ statusCode: 404 });
    expect(attempts.map((a) => a.status ?? 'reset')).toEqual(['reset', 404]);
    expect(await web.webApps.listVnetConnections(RG, 'app1')).toEqual([]);
  });

  it('a refused request under applied-then-504 changes nothing and still answers 504', async () => {
    const attempts: Attempt[] = [];
    const web = new WebSiteManagementClient(staticCredential(), SUB, options(sim, attempts, 0));
    await addFault({ kind: 'applied-then-504', method: 'PUT', pathPattern: '/networkConfig/virtualNetwork$', count: 1 });
    // Not delegated-to-Web subnet 'late': App Service refuses the join (400); the gateway still times out first.
    await expect(web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: `${VNET}/subnets/late` }))
      .rejects.toMatchObject({ statusCode: 504, code: 'GatewayTimeout' });
    expect(lastAudit('PUT', '/networkConfig/virtualNetwork')).toMatchObject({ status: 504, handlerStatus: 400 });
    expect((await web.webApps.get(RG, 'app1')).virtualNetworkSubnetId ?? null).toBeNull();
  });
});
