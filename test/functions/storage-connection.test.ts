import { ManagedIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { storageConnection } from '../../src/functions/engine-host.js';

describe('the state tables connection, as infra/ deploys the app settings', () => {
  it('uses a connection string when one is set (local: Azurite)', () => {
    expect(storageConnection({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', AzureWebJobsStorage__accountName: 'ignored' })).toBe('UseDevelopmentStorage=true');
  });

  it('uses the identity-based connection (no key anywhere): the account table endpoint and the user-assigned identity', () => {
    const connection = storageConnection({ AzureWebJobsStorage__accountName: 'stmigabc', AzureWebJobsStorage__credential: 'managedidentity', AzureWebJobsStorage__clientId: '11111111-2222-3333-4444-555555555555' });
    expect(connection).toMatchObject({ tableServiceUrl: 'https://stmigabc.table.core.windows.net' });
    expect(typeof connection === 'string' ? undefined : connection.credential).toBeInstanceOf(ManagedIdentityCredential);
  });

  it('prefers an explicit table service URI (other clouds)', () => {
    expect(storageConnection({ AzureWebJobsStorage__tableServiceUri: 'https://st.table.core.chinacloudapi.cn', AzureWebJobsStorage__accountName: 'st' })).toMatchObject({
      tableServiceUrl: 'https://st.table.core.chinacloudapi.cn',
    });
  });

  it('falls back to the local emulator when nothing is set', () => {
    expect(storageConnection({})).toBe('UseDevelopmentStorage=true');
  });
});
