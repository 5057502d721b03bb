/** Shared by the state tests: one in-memory Azurite per test file, a fresh table prefix per test, plain fixtures. */
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll } from 'vitest';
import { MigrationRequestSchema, type MigrationRequest } from '../../src/domain/migration-request.js';
import type { MigrationSummary } from '../../src/domain/migration-model.js';
import { startAzurite, type RunningAzurite } from '@vnet-migrator/functions-localhost/azurite.js';
import { openStateTables, type StateTables } from '../../src/state/state-tables.js';
import type { MigrationRecord } from '../../src/state/migration-store.js';

export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
export const appId = (name: string, resourceGroup = 'rg-app'): string =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${name}`;

export const EMPTY_SUMMARY: MigrationSummary = { total: 0, succeeded: 0, rolledBack: 0, failed: 0, skipped: 0, pending: 0, inProgress: 0 };
export const REQUEST: MigrationRequest = MigrationRequestSchema.parse({ scope: { subscriptionIds: [SUBSCRIPTION] } });

export function newMigration(id: string, overrides: Partial<MigrationRecord> = {}): Omit<MigrationRecord, 'lastUpdatedTime'> {
  return { id, status: 'Pending', control: 'run', createdTime: new Date().toISOString(), request: REQUEST, summary: EMPTY_SUMMARY, ...overrides };
}

/**
 * Starts Azurite for the calling file; `open()` gives stores over tables no other test has touched, `table(suffix)`
 * a plain client of one of the tables the last `open()` made (to write rows as an earlier build laid them out).
 */
export function useStateTables(): { open: () => Promise<StateTables>; table: (suffix: string) => TableClient } {
  let azurite: RunningAzurite | undefined;
  let counter = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  return {
    open: () => {
      if (azurite === undefined) throw new Error('Azurite has not started');
      return openStateTables(azurite.connectionString, { tablePrefix: `T${++counter}` });
    },
    table: (suffix) => {
      if (azurite === undefined) throw new Error('Azurite has not started');
      return TableClient.fromConnectionString(azurite.connectionString, `T${counter}${suffix}`, { allowInsecureConnection: true });
    },
  };
}
