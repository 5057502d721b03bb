import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SERVICE_ERROR_POLICY_NAME } from '../../src/azure/app-service-error-policy.js';
import { createArmClients } from '../../src/azure/arm-clients.js';
import { ArmOperationFailedError, ArmUnreachableError } from '../../src/azure/arm-errors.js';
import { toArmError } from '../../src/azure/to-arm-error.js';
import { WEB_API_VERSION } from '../../src/azure/web-api-version.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { baseWorld, RG, startTestSimulator, staticCredential, SUB, WEB } from '@vnet-migrator/arm-simulator/testing.js';

async function failure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    return toArmError(error, 'read app1');
  }
  throw new Error('expected the call to fail');
}

describe('createArmClients', () => {
  it('names the endpoint without trailing slashes, for the requests sent by hand', () => {
    expect(createArmClients(staticCredential(), SUB, { endpoint: 'https://management.azure.com//' }).endpoint).toBe('https://management.azure.com');
  });

  it("reads App Service's error envelope on the Microsoft.Web client (the policy is in its pipeline)", () => {
    const { web } = createArmClients(staticCredential(), SUB, { endpoint: 'https://management.azure.com' });
    expect(web.pipeline.getOrderedPolicies().map((p) => p.name)).toContain(APP_SERVICE_ERROR_POLICY_NAME);
  });
});

describe('createArmClients against the simulator', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator();
    baseWorld(sim);
    sim.seed([{ id: `${WEB}/sites/app1`, body: { location: 'westeurope', properties: { serverFarmId: `${WEB}/serverfarms/plan1` } } }]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('trusts the CA it is given, for both clients, and only then', async () => {
    const trusted = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem });
    expect((await trusted.web.webApps.get(RG, 'app1')).name).toBe('app1');
    expect((await trusted.network.virtualNetworks.get(RG, 'vnet1')).name).toBe('vnet1');
    const untrusted = createArmClients(staticCredential(), SUB, { endpoint: sim.url, retryOptions: { maxRetries: 0 } });
    const error = await failure(() => untrusted.web.webApps.get(RG, 'app1'));
    expect(error).toBeInstanceOf(ArmUnreachableError);
    expect(error.message).toMatch(/certificate/i);
  });

  it("sends the Microsoft.Web api-version it is given, else the SDK's own", async () => {
    const versionOf = async (webApiVersion?: string): Promise<string | undefined> => {
      sim.audit.clear();
      const arm = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem, ...(webApiVersion === undefined ? {} : { webApiVersion }) });
      await arm.web.webApps.get(RG, 'app1');
      return sim.audit.query().at(-1)?.apiVersion;
    };
    expect(await versionOf('2024-04-01')).toBe('2024-04-01');
    expect(await versionOf()).toBe(WEB_API_VERSION);
  });

  it("gives the SDK's retries the caller's schedule: with none, a 503 reaches the caller at once", async () => {
    const noRetries = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem, retryOptions: { maxRetries: 0 } });
    sim.faults.add({ kind: 'http503', method: 'GET', pathPattern: '/sites/app1$', count: 1 });
    const error = await failure(() => noRetries.web.webApps.get(RG, 'app1'));
    expect(error).toBeInstanceOf(ArmOperationFailedError);
    expect(error.details).toMatchObject({ statusCode: 503 });
    // The SDK's own retries (the default) carry the same fault.
    const retrying = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem, retryOptions: { retryDelayInMs: 10 } });
    sim.faults.add({ kind: 'http503', method: 'GET', pathPattern: '/sites/app1$', count: 1 });
    expect((await retrying.web.webApps.get(RG, 'app1')).name).toBe('app1');
  });
});
