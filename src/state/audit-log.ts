import { createHash } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { readJson, writeJson } from './json-columns.js';
import { storageCallOr } from './state-errors.js';
import { appKey, idKey, timeKey } from './table-keys.js';
import { queryPage, type Page, type PageRequest } from './table-paging.js';

/** One change made (or attempted) to an app. */
export interface AuditEntry {
  appId: string;
  migrationId: string;
  time: string;
  /** e.g. 'disconnect-gateway'. */
  action: string;
  before?: unknown;
  after?: unknown;
  outcome: 'applied' | 'already-applied' | 'failed';
  message?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Across migrations, oldest first. */
  listForApp(appId: string, options?: PageRequest): Promise<Page<AuditEntry>>;
  /** Oldest first. */
  listForMigration(migrationId: string, options?: PageRequest): Promise<Page<AuditEntry>>;
}

/**
 * Append-only: rows are only ever inserted. Each entry is written twice, once in its app's partition
 * (`app_<sha256 of the lower-cased id>`, the history across migrations) and once in its migration's
 * (`migration_<id>`). Row key: `<entry time, ms, 15 digits>_<sha256 of the entry>`, so rows sort by time and two
 * different entries in the same millisecond both survive. The uniquifier is the entry's own hash rather than a
 * random one on purpose: an append retried after a partial failure lands on the same keys and is not doubled
 * (a 409 on insert means "already there"); only an entry identical in every field, to the millisecond, collapses
 * into one.
 */
const appPartition = (appId: string): string => `app_${appKey(appId)}`;
const migrationPartition = (migrationId: string): string => `migration_${idKey(migrationId, 'migration')}`;

export class TableAuditLog implements AuditLog {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async append(entry: AuditEntry): Promise<void> {
    const operation = `append audit entry ${entry.action} for ${entry.appId}`;
    const rowKey = `${timeKey(entry.time, operation)}_${createHash('sha256').update(JSON.stringify(entry), 'utf8').digest('hex')}`;
    const columns = {
      appId: entry.appId,
      migrationId: entry.migrationId,
      time: entry.time,
      action: entry.action,
      outcome: entry.outcome,
      ...writeJson('doc', entry, operation),
    };
    // Two partitions cannot share a transaction: if the second insert fails, appending the same entry again
    // finds the first row there (409, ignored) and writes the missing one.
    for (const partitionKey of [migrationPartition(entry.migrationId), appPartition(entry.appId)]) {
      await storageCallOr(operation, 409, () => this.#table.createEntity({ partitionKey, rowKey, ...columns }), () => undefined);
    }
  }

  listForApp(appId: string, options: PageRequest = {}): Promise<Page<AuditEntry>> {
    return this.#list(appPartition(appId), options, `list the audit trail of ${appId}`);
  }

  listForMigration(migrationId: string, options: PageRequest = {}): Promise<Page<AuditEntry>> {
    return this.#list(migrationPartition(migrationId), options, `list the audit trail of migration ${migrationId}`);
  }

  async #list(partitionKey: string, options: PageRequest, operation: string): Promise<Page<AuditEntry>> {
    const page = await queryPage(this.#table, odata`PartitionKey eq ${partitionKey}`, options, operation);
    return { ...page, items: page.items.map((e) => readJson<AuditEntry>(e, 'doc', `audit row ${e.rowKey ?? ''}`)) };
  }
}
