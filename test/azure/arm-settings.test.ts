import { describe, expect, it } from 'vitest';
import { InvalidArmSettingsError, readArmSettings } from '../../src/azure/arm-settings.js';

const PRINCIPAL = { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' };

function refusal(env: Record<string, string>): InvalidArmSettingsError {
  try {
    readArmSettings(env);
  } catch (error) {
    if (error instanceof InvalidArmSettingsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('readArmSettings', () => {
  it.each([
    [{ ARM_ENDPOINT: 'http://localhost:7443' }, /ARM_ENDPOINT must be an https URL/],
    [{ AZURE_CLIENT_SECRET: 's' }, /AZURE_TENANT_ID is required.*AZURE_CLIENT_ID is required/],
    [{ ...PRINCIPAL, AZURE_AUTHORITY_HOST: 'not a url' }, /AZURE_AUTHORITY_HOST/],
  ])('refuses %j with a message naming the setting', (env, message) => {
    expect(() => readArmSettings(env)).toThrowError(InvalidArmSettingsError);
    expect(() => readArmSettings(env)).toThrowError(message);
  });

  it('refuses with a stable code, not retryable, every problem listed and where to fix them', () => {
    const error = refusal({ ARM_ENDPOINT: 'http://localhost:7443', AZURE_AUTHORITY_HOST: 'ftp://login' });
    expect(error.code).toBe('InvalidArmSettings');
    expect(error.retryable).toBe(false);
    expect(error.details).toStrictEqual({
      problems: [
        'ARM_ENDPOINT must be an https URL (the Azure SDK sends tokens over https only)',
        'AZURE_AUTHORITY_HOST must be an https URL (the Azure SDK sends tokens over https only)',
      ],
    });
    expect(error.message).toBe(
      'The ARM settings are invalid: ARM_ENDPOINT must be an https URL (the Azure SDK sends tokens over https only); ' +
        'AZURE_AUTHORITY_HOST must be an https URL (the Azure SDK sends tokens over https only). ' +
        'Fix them in the app settings (local.settings.json locally).',
    );
    expect(refusal({ AZURE_CLIENT_SECRET: 's', AZURE_TENANT_ID: 't' }).details).toStrictEqual({ problems: ['AZURE_CLIENT_ID is required with AZURE_CLIENT_SECRET'] });
  });

  it('defaults to public Azure with the managed identity when no secret is set', () => {
    expect(readArmSettings({})).toStrictEqual({ endpoint: 'https://management.azure.com' });
  });

  it('treats a setting left empty (as local.settings.json templates do) as not set', () => {
    expect(readArmSettings({ ARM_ENDPOINT: '', AZURE_CLIENT_SECRET: '', AZURE_AUTHORITY_HOST: '' })).toStrictEqual({ endpoint: 'https://management.azure.com' });
    expect(readArmSettings({ ...PRINCIPAL, AZURE_AUTHORITY_HOST: '' }).servicePrincipal).toStrictEqual({ tenantId: 't', clientId: 'c', clientSecret: 's' });
  });

  it('drops every trailing slash from the endpoint, nothing else', () => {
    expect(readArmSettings({ ARM_ENDPOINT: 'https://localhost:7443//' }).endpoint).toBe('https://localhost:7443');
    expect(readArmSettings({ ARM_ENDPOINT: 'https://arm.example/base/' }).endpoint).toBe('https://arm.example/base');
  });

  it('reads a service principal with its authority host', () => {
    expect(readArmSettings({ ...PRINCIPAL, AZURE_AUTHORITY_HOST: 'https://login.example' })).toStrictEqual({
      endpoint: 'https://management.azure.com',
      servicePrincipal: { tenantId: 't', clientId: 'c', clientSecret: 's', authorityHost: 'https://login.example' },
    });
  });
});
