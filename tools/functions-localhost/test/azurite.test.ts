import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../src/azurite.js';

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

describe('startAzurite with a data folder', () => {
  it('keeps what was written just before stop() across a restart', async () => {
    const location = mkdtempSync(join(tmpdir(), 'azurite-data-'));
    try {
      const first = await startAzurite({ location });
      const table = TableClient.fromConnectionString(first.connectionString, 'Durable', { allowInsecureConnection: true });
      await table.createTable();
      await table.upsertEntity({ partitionKey: 'p', rowKey: 'last-write', value: 'kept' });
      await first.stop();

      const second = await startAzurite({ location, port: first.port });
      try {
        const again = TableClient.fromConnectionString(second.connectionString, 'Durable', { allowInsecureConnection: true });
        expect((await again.getEntity<{ value: string }>('p', 'last-write')).value).toBe('kept');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(location, { recursive: true, force: true });
    }
  });
});

describe('startAzurite in its own process group', () => {
  it('guards against outliving us while it runs, and drops the guard once stopped (hosts started by tests pile up none)', async () => {
    const listenersBefore = process.listenerCount('exit');
    const azurite = await startAzurite({ detached: true });
    try {
      expect(process.listenerCount('exit')).toBe(listenersBefore + 1);
    } finally {
      await azurite.stop();
    }
    expect(process.listenerCount('exit')).toBe(listenersBefore);
  });
});
