import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createArmCredential } from '../../src/azure/arm-credential.js';

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
