import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmCredential } from '../../src/azure/arm-credential.js';
import type { SimulatorHandle } from '@vnet-migrator/arm-simulator/index.js';
import { startTestSimulator } from '@vnet-migrator/arm-simulator/testing.js';

describe('createArmCredential', () => {
  it('uses the managed identity (DefaultAzureCredential) when no service principal is configured', () => {
    expect(createArmCredential({ endpoint: 'https://management.azure.com' })).toBeInstanceOf(DefaultAzureCredential);
  });

  it('uses the configured service principal with its secret', () => {
    const credential = createArmCredential({
      endpoint: 'https://management.azure.com',
      servicePrincipal: { tenantId: '11111111-2222-3333-4444-555555555555', clientId: 'migrator', clientSecret: 'not-a-real-secret' },
    });
    expect(credential).toBeInstanceOf(ClientSecretCredential);
  });
});

describe('createArmCredential with an authority MSAL does not know', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('gets its token from that authority alone (no instance discovery at login.microsoftonline.com, which an isolated network cannot reach)', async () => {
    const credential = createArmCredential(
      {
        endpoint: sim.url,
        servicePrincipal: { tenantId: '11111111-2222-3333-4444-555555555555', clientId: 'migrator', clientSecret: 'not-a-real-secret', authorityHost: sim.url },
      },
      { caPem: sim.caPem },
    );
    const token = await credential.getToken('https://management.azure.com/.default');
    expect(token?.token.split('.')).toHaveLength(3);
  });
});
