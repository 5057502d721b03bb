import { describe, expect, it } from 'vitest';
import { azuriteConnectionString, freePort, startAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { StateStorageUnavailableError } from '../../src/state/state-errors.js';
import { openStateTables } from '../../src/state/state-tables.js';

describe('state storage failures', () => {
  it('reports storage nobody listens on as StateStorageUnavailable (retryable), and opens once storage is back', async () => {
    const port = await freePort();
    const connectionString = azuriteConnectionString('127.0.0.1', port);
    const down = openStateTables(connectionString, { tablePrefix: 'Down' });
    await expect(down).rejects.toBeInstanceOf(StateStorageUnavailableError);
    await expect(down).rejects.toMatchObject({ code: 'StateStorageUnavailable', retryable: true });

    // The failed open is not cached: once storage listens, the same call succeeds.
    const azurite = await startAzurite({ port });
    try {
      const tables = await openStateTables(connectionString, { tablePrefix: 'Down' });
      expect(await tables.migrations.get('m-1')).toBeUndefined();
    } finally {
      await azurite.stop();
    }
  });

  it('refuses a table prefix that cannot start a table name', async () => {
    await expect(openStateTables('UseDevelopmentStorage=true', { tablePrefix: '1bad' })).rejects.toMatchObject({ code: 'StateInvalidInput' });
  });
});
