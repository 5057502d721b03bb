import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../src/localhost/azurite.js';

describe('startAzurite', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('serves the Table API to @azure/data-tables on a free port', async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'Probe', { allowInsecureConnection: true });
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    const entity = await table.getEntity<{ value: number }>('p', 'r');
    expect(entity.value).toBe(42);
  });
});
