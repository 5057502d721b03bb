import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmClients, type ArmClients } from '../../src/azure/arm-clients.js';
import { createArmCredential } from '../../src/azure/arm-credential.js';
import { ArmAuthorizationFailedError, ArmOperationFailedError, ArmResourceNotFoundError, ArmThrottledError, ArmUnreachableError } from '../../src/azure/arm-errors.js';
import { readArmSettings } from '../../src/azure/arm-settings.js';
import { armFailure } from '../support/arm-failure.js';
import { freePort } from '@vnet-migrator/functions-localhost/azurite.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { baseWorld, NET, RG, startTestSimulator, staticCredential, SUB, WEB } from '@vnet-migrator/arm-simulator/testing.js';

const SUBNET = `${NET}/virtualNetworks/vnet1/subnets/apps`;
const PLAN = `${WEB}/serverfarms/plan1`;


describe('ARM access against the simulator', () => {
  let sim: SimulatorHandle;
  let arm: ArmClients;

  beforeAll(async () => {
    sim = await startTestSimulator();
    arm = createArmClients(staticCredential(), SUB, { endpoint: sim.url, caPem: sim.caPem });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("surfaces App Service's own error text and code, never 'Unexpected status code'", async () => {
    baseWorld(sim, { delegated: false });
    sim.seed([{ id: `${WEB}/sites/app1`, body: { location: 'westeurope', properties: { serverFarmId: PLAN } } }]);
    const error = await armFailure('connect app1 to subnet apps', () =>
      arm.web.webApps.createOrUpdateSwiftVirtualNetworkConnectionWithCheck(RG, 'app1', { subnetResourceId: SUBNET }),
    );
    expect(error).toBeInstanceOf(ArmOperationFailedError);
    expect(error.message).toBe(
      'connect app1 to subnet apps failed: Subnet apps in VNET vnet1 is missing a delegation to Microsoft.Web/serverFarms. ' +
        'Please add the delegation and try again. (400 BadRequest SubnetMissingDelegation)',
    );
    expect(error.message).not.toContain('Unexpected status code');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ statusCode: 400, armCode: 'BadRequest', extendedCode: 'SubnetMissingDelegation' });
  });

  it("keeps Microsoft.Network's code (a subnet in use cannot be deleted)", async () => {
    sim.reset();
    baseWorld(sim);
    sim.seed([{ id: `${WEB}/sites/app2`, body: { location: 'westeurope', properties: { serverFarmId: PLAN, virtualNetworkSubnetId: SUBNET } } }]);
    const error = await armFailure('delete subnet apps', () => arm.network.subnets.beginDeleteAndWait(RG, 'vnet1', 'apps'));
    expect(error).toBeInstanceOf(ArmOperationFailedError);
    expect(error.details).toMatchObject({ statusCode: 400, armCode: 'InUseSubnetCannotBeDeleted' });
    expect(error.message).toMatch(/^delete subnet apps failed: .*in use/i);
  });

  it('names a missing resource as not found', async () => {
    const error = await armFailure('read app nope', () => arm.web.webApps.get(RG, 'nope'));
    expect(error).toBeInstanceOf(ArmResourceNotFoundError);
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ statusCode: 404 });
  });

  it('treats a 429 without Retry-After (which the SDK does not retry) as throttling, retryable', async () => {
    sim.faults.add({ kind: 'http429', method: 'GET', pathPattern: '/sites/app2$', count: 1 });
    const error = await armFailure('read app app2', () => arm.web.webApps.get(RG, 'app2'));
    expect(error).toBeInstanceOf(ArmThrottledError);
    expect(error.retryable).toBe(true);
  });

  it('reports an unreachable endpoint as retryable', async () => {
    const closed = `https://127.0.0.1:${await freePort()}`;
    const offline = createArmClients(staticCredential(), SUB, { endpoint: closed, caPem: sim.caPem });
    const error = await armFailure('read app app2', () => offline.web.webApps.get(RG, 'app2', { requestOptions: { timeout: 2000 } }));
    expect(error).toBeInstanceOf(ArmUnreachableError);
    expect(error.retryable).toBe(true);
  }, 120_000);
});

describe('ARM identity and RBAC', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator({
      scenario: {
        name: 'rbac',
        resources: [],
        rbac: {
          enabled: true,
          roles: [{ name: 'Plan reader', actions: ['Microsoft.Web/serverfarms/read'] }],
          assignments: [{ principalId: 'reader-app', roleName: 'Plan reader', scope: `/subscriptions/${SUB}` }],
        },
      },
    });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('gets a token from the configured authority with a service principal and is denied with the missing action named', async () => {
    const settings = readArmSettings({
      ARM_ENDPOINT: `${sim.url}/`,
      AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555',
      AZURE_CLIENT_ID: 'reader-app',
      AZURE_CLIENT_SECRET: 'not-a-real-secret',
      AZURE_AUTHORITY_HOST: sim.url,
    });
    expect(settings.endpoint).toBe(sim.url);
    const arm = createArmClients(createArmCredential(settings, { caPem: sim.caPem }), SUB, { endpoint: settings.endpoint, caPem: sim.caPem });
    const error = await armFailure('read app app1', () => arm.web.webApps.get(RG, 'app1'));
    expect(error).toBeInstanceOf(ArmAuthorizationFailedError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("'Microsoft.Web/sites/read'");
    expect(error.message).toContain('reader-app');
  });
});
