import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { TableAppLeaseStore, type AppLeaseStore } from './app-lease-store.js';
import { TableAppRecordStore, type AppRecordStore } from './app-record-store.js';
import { TableAuditLog, type AuditLog } from './audit-log.js';
import { TableDocumentStore, type DocumentStore } from './document-store.js';
import { TableMigrationStore, type MigrationStore } from './migration-store.js';
import { TableSnapshotStore, type SnapshotStore } from './snapshot-store.js';
import { StateInvalidInputError, storageCall } from './state-errors.js';

export interface StateTables {
  migrations: MigrationStore;
  apps: AppRecordStore;
  snapshots: SnapshotStore;
  audit: AuditLog;
  leases: AppLeaseStore;
  documents: DocumentStore;
}

export interface StateTablesOptions {
  /** Prepended to every table name, so several deployments can share one storage account. Default 'Migrator'. */
  readonly tablePrefix?: string;
}

/** Table names: 3-63 letters and digits, starting with a letter; the longest suffix is 10 characters. */
const PREFIX = /^[A-Za-z][A-Za-z0-9]{0,52}$/;
const SUFFIXES = ['Migrations', 'Apps', 'Snapshots', 'Audit', 'Leases', 'Documents'] as const;
type TableSuffix = (typeof SUFFIXES)[number];

/** Creating tables is a round trip per table; once per process per account and prefix is enough. */
const opened = new Map<string, Promise<StateTables>>();

/** An identity-based connection: the account's table endpoint and the credential (in Azure, the managed identity). */
export interface TableServiceEndpoint {
  readonly tableServiceUrl: string;
  readonly credential: TokenCredential;
}

/**
 * Creates the tables if missing (once per process per connection + prefix) and returns the stores. `connection` is a
 * connection string (Azurite, or an account that allows keys) or an identity-based endpoint.
 */
export async function openStateTables(connection: string | TableServiceEndpoint, options: StateTablesOptions = {}): Promise<StateTables> {
  const prefix = options.tablePrefix ?? 'Migrator';
  if (!PREFIX.test(prefix)) {
    throw new StateInvalidInputError('open the state tables', `table prefix '${prefix}' must be a letter followed by up to 52 letters or digits`, { prefix });
  }
  const cacheKey = `${prefix}\n${typeof connection === 'string' ? connection : connection.tableServiceUrl}`;
  let tables = opened.get(cacheKey);
  if (tables === undefined) {
    tables = createTables(connection, prefix);
    opened.set(cacheKey, tables);
    // A failed open (storage down) must not stick: the next call tries again.
    tables.catch(() => opened.delete(cacheKey));
  }
  return tables;
}

function tableClient(connection: string | TableServiceEndpoint, table: string): TableClient {
  if (typeof connection !== 'string') return new TableClient(connection.tableServiceUrl, table, connection.credential);
  // Azurite and other local emulators speak plain HTTP; the SDK refuses it unless told, and the key is public.
  const allowInsecureConnection = /(^|;)\s*(DefaultEndpointsProtocol=http|TableEndpoint=http:|UseDevelopmentStorage=true)/i.test(connection);
  return TableClient.fromConnectionString(connection, table, { allowInsecureConnection });
}

async function createTables(connection: string | TableServiceEndpoint, prefix: string): Promise<StateTables> {
  const clients = Object.fromEntries(SUFFIXES.map((suffix) => [suffix, tableClient(connection, `${prefix}${suffix}`)])) as Record<TableSuffix, TableClient>;
  await Promise.all(SUFFIXES.map((suffix) => storageCall(`create table ${prefix}${suffix}`, () => clients[suffix].createTable())));
  return {
    migrations: new TableMigrationStore(clients.Migrations),
    apps: new TableAppRecordStore(clients.Apps),
    snapshots: new TableSnapshotStore(clients.Snapshots),
    audit: new TableAuditLog(clients.Audit),
    leases: new TableAppLeaseStore(clients.Leases),
    documents: new TableDocumentStore(clients.Documents),
  };
}
