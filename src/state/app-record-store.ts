import { odata, type TableClient, type TableTransaction } from '@azure/data-tables';
import type { ErrorRecord } from '../domain/errors.js';
import { APP_OUTCOMES, type AppOutcome, type AppPhase, type MigrationSummary } from '../domain/migration-model.js';
import type { AppMigration } from '../domain/plan-builder.js';
import { readJson, writeJson } from './json-columns.js';
import { mapLimit } from './map-limit.js';
import { updateWithEtag, type StoredEntity } from './optimistic-update.js';
import { StateInvalidInputError, StateRecordNotFoundError, storageCall, storageCallOr } from './state-errors.js';
import { appKey, idKey, pad } from './table-keys.js';
import { queryAll, queryPage, type Page, type PageRequest } from './table-paging.js';

export interface AppRecord {
  migrationId: string;
  appId: string;
  planId: string;
  groupIndex: number;
  /** Order within the group. */
  order: number;
  phase: AppPhase;
  outcome: AppOutcome;
  reasonCode?: string;
  message?: string;
  subnetId?: string;
  downtimeSeconds?: number;
  startedTime?: string;
  /** When the gateway disconnect was first sent: the start of the app's downtime window. */
  disconnectStartedTime?: string;
  finishedTime?: string;
  needsAttention?: boolean;
  difference?: string[];
  hostName?: string;
  scmHostName?: string;
  /** The planner's per-app plan. */
  plan?: AppMigration;
  latency?: { before?: Record<string, number>; after?: Record<string, number> };
  advice?: string[];
  error?: ErrorRecord;
}

export interface AppListOptions extends PageRequest {
  readonly outcome?: AppOutcome;
}

export interface AppRecordStore {
  /** Upserts in transactions; putting the same records again changes nothing. An app keeps its position. */
  putMany(records: AppRecord[]): Promise<void>;
  get(migrationId: string, appId: string): Promise<AppRecord | undefined>;
  /** ETag read-modify-write; `change` may run more than once. Identity and position never change. */
  update(migrationId: string, appId: string, change: (current: AppRecord) => Partial<AppRecord>): Promise<AppRecord>;
  /** In `order`. */
  listGroup(migrationId: string, groupIndex: number): Promise<AppRecord[]>;
  /** Stable order: group, then order. */
  list(migrationId: string, options: AppListOptions): Promise<Page<AppRecord>>;
  summarize(migrationId: string): Promise<MigrationSummary>;
  /** Id and outcome of every app, in plan order: a narrow read, no record JSON. */
  outcomes(migrationId: string): Promise<{ appId: string; outcome: AppOutcome }[]>;
  /** Plan group headers (any JSON), one row each beside the migration's records, in transactions; a re-put replaces them. */
  putGroups(migrationId: string, headers: readonly unknown[]): Promise<void>;
  /** One plan group's header: a point read. */
  getGroup<T>(migrationId: string, groupIndex: number): Promise<T | undefined>;
}

/**
 * One partition per migration. Record rows are keyed `<group 6 digits>-<order 6 digits>`, so a group is one range
 * query and the whole migration lists in plan order. Index rows `app_<sha256 of the lower-cased app id>` point an
 * app id at its record row; both are written in the same transaction, so the index never points nowhere. Rows
 * `group_<6 digits>` hold the plan group headers, so a group orchestration reads its own with one point read.
 * Digits sort before letters: the record range is ['0', ':').
 */
const RECORDS_FROM = '0';
const RECORDS_TO = ':';
const TRANSACTION_OPS = 100;
/** A transaction carries at most 4 MB; stay well below, counting UTF-16 bytes. */
const TRANSACTION_BYTES = 3_000_000;
const PARALLEL_TRANSACTIONS = 4;

/** One transaction: a partition's rows, at most 100 operations and 4 MB. */
interface Batch {
  readonly actions: TableTransaction['actions'];
  bytes: number;
}

const positionKey = (groupIndex: number, order: number): string => `${pad(groupIndex, 6)}-${pad(order, 6)}`;
const groupKey = (groupIndex: number): string => `group_${pad(groupIndex, 6)}`;
const indexKey = (appId: string): string => `app_${appKey(appId)}`;
const recordRange = (partition: string): string => odata`PartitionKey eq ${partition} and RowKey ge ${RECORDS_FROM} and RowKey lt ${RECORDS_TO}`;

/** Row keys remembered per store; far more than one fleet's apps, and forgotten all at once beyond that. */
const REMEMBERED_ROW_KEYS = 100_000;

export class TableAppRecordStore implements AppRecordStore {
  readonly #table: TableClient;
  /**
   * `<partition>\n<lower-cased app id>` → record row key. An app's position never changes once stored, so the index
   * row need not be read again for every get and update of the app (half the point reads of a moving app).
   */
  readonly #rowKeys = new Map<string, string>();

  constructor(table: TableClient) {
    this.#table = table;
  }

  async putMany(records: AppRecord[]): Promise<void> {
    const operation = 'store app records';
    checkUnique(records, operation);
    const batches: Batch[] = [];
    const openBatch = new Map<string, Batch>();
    for (const record of records) {
      const partition = idKey(record.migrationId, 'migration');
      const rowKey = positionKey(record.groupIndex, record.order);
      const entity = toEntity(partition, rowKey, record, operation);
      const index = { partitionKey: partition, rowKey: indexKey(record.appId), appId: record.appId, recordRowKey: rowKey };
      const bytes = approximateBytes(entity);
      let batch = openBatch.get(partition);
      if (batch === undefined || batch.actions.length + 2 > TRANSACTION_OPS || batch.bytes + bytes > TRANSACTION_BYTES) {
        batch = { actions: [], bytes: 0 };
        batches.push(batch);
        openBatch.set(partition, batch);
      }
      batch.actions.push(['upsert', entity, 'Replace'], ['upsert', index, 'Replace']);
      batch.bytes += bytes;
    }
    await mapLimit(batches, PARALLEL_TRANSACTIONS, (batch) => storageCall(operation, () => this.#table.submitTransaction(batch.actions)));
    for (const record of records) this.#remember(idKey(record.migrationId, 'migration'), record.appId, positionKey(record.groupIndex, record.order));
  }

  async get(migrationId: string, appId: string): Promise<AppRecord | undefined> {
    const operation = `read app record ${appId} of migration ${migrationId}`;
    const partition = idKey(migrationId, 'migration');
    const rowKey = await this.#rowKeyOf(partition, appId, operation);
    if (rowKey === undefined) return undefined;
    const entity = await storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(partition, rowKey), () => undefined);
    return entity === undefined ? undefined : fromEntity(entity);
  }

  async update(migrationId: string, appId: string, change: (current: AppRecord) => Partial<AppRecord>): Promise<AppRecord> {
    const operation = `update app record ${appId} of migration ${migrationId}`;
    const partition = idKey(migrationId, 'migration');
    const notFound = (): Error => new StateRecordNotFoundError(`The record of app '${appId}' in migration '${migrationId}'`, { migrationId, appId });
    const rowKey = await this.#rowKeyOf(partition, appId, operation);
    if (rowKey === undefined) throw notFound();
    return updateWithEtag(this.#table, partition, rowKey, operation, (stored) => {
      const current = fromEntity(stored);
      const next: AppRecord = {
        ...current,
        ...change(current),
        migrationId: current.migrationId,
        appId: current.appId,
        groupIndex: current.groupIndex,
        order: current.order,
      };
      return { entity: toEntity(partition, rowKey, next, operation), result: next };
    }, notFound);
  }

  async listGroup(migrationId: string, groupIndex: number): Promise<AppRecord[]> {
    const partition = idKey(migrationId, 'migration');
    const from = `${pad(groupIndex, 6)}-`;
    const filter = odata`PartitionKey eq ${partition} and RowKey ge ${from} and RowKey lt ${`${pad(groupIndex, 6)}.`}`;
    const entities = await queryAll(this.#table, filter, `list group ${groupIndex} of migration ${migrationId}`);
    return entities.map(fromEntity);
  }

  async list(migrationId: string, options: AppListOptions): Promise<Page<AppRecord>> {
    const range = recordRange(idKey(migrationId, 'migration'));
    const filter = options.outcome === undefined ? range : `${range} and ${odata`outcome eq ${options.outcome}`}`;
    const page = await queryPage(this.#table, filter, options, `list app records of migration ${migrationId}`);
    return { ...page, items: page.items.map(fromEntity) };
  }

  async summarize(migrationId: string): Promise<MigrationSummary> {
    return summarizeOutcomes(await this.outcomes(migrationId));
  }

  async outcomes(migrationId: string): Promise<{ appId: string; outcome: AppOutcome }[]> {
    const rows = await queryAll(this.#table, recordRange(idKey(migrationId, 'migration')), `read the outcomes of migration ${migrationId}`, ['appId', 'outcome']);
    return rows.map((row) => ({ appId: String(row['appId']), outcome: row['outcome'] as AppOutcome }));
  }

  async putGroups(migrationId: string, headers: readonly unknown[]): Promise<void> {
    const operation = `store the plan groups of migration ${migrationId}`;
    const partitionKey = idKey(migrationId, 'migration');
    const batches: Batch[] = [];
    headers.forEach((header, groupIndex) => {
      const entity = { partitionKey, rowKey: groupKey(groupIndex), ...writeJson('doc', header, operation) };
      const bytes = approximateBytes(entity);
      let batch = batches.at(-1);
      if (batch === undefined || batch.actions.length + 1 > TRANSACTION_OPS || batch.bytes + bytes > TRANSACTION_BYTES) batches.push((batch = { actions: [], bytes: 0 }));
      batch.actions.push(['upsert', entity, 'Replace']);
      batch.bytes += bytes;
    });
    await mapLimit(batches, PARALLEL_TRANSACTIONS, (batch) => storageCall(operation, () => this.#table.submitTransaction(batch.actions)));
  }

  async getGroup<T>(migrationId: string, groupIndex: number): Promise<T | undefined> {
    const operation = `read plan group ${groupIndex} of migration ${migrationId}`;
    const partitionKey = idKey(migrationId, 'migration');
    const entity = await storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(partitionKey, groupKey(groupIndex)), () => undefined);
    return entity === undefined ? undefined : readJson<T>(entity, 'doc', `plan group row ${partitionKey}/${groupKey(groupIndex)}`);
  }

  async #rowKeyOf(partition: string, appId: string, operation: string): Promise<string | undefined> {
    const known = this.#rowKeys.get(`${partition}\n${appId.toLowerCase()}`);
    if (known !== undefined) return known;
    const index = await storageCallOr(operation, 404, () => this.#table.getEntity<{ recordRowKey: string }>(partition, indexKey(appId)), () => undefined);
    if (index !== undefined) this.#remember(partition, appId, index.recordRowKey);
    return index?.recordRowKey;
  }

  #remember(partition: string, appId: string, rowKey: string): void {
    if (this.#rowKeys.size >= REMEMBERED_ROW_KEYS) this.#rowKeys.clear();
    this.#rowKeys.set(`${partition}\n${appId.toLowerCase()}`, rowKey);
  }
}

export function summarizeOutcomes(rows: readonly { outcome: AppOutcome }[]): MigrationSummary {
  const counts = Object.fromEntries(APP_OUTCOMES.map((o) => [o, 0])) as Record<AppOutcome, number>;
  for (const row of rows) {
    if (row.outcome in counts) counts[row.outcome]++;
  }
  return {
    total: rows.length,
    succeeded: counts.succeeded,
    rolledBack: counts.rolledBack,
    failed: counts.failed,
    skipped: counts.skipped,
    pending: counts.pending,
    inProgress: counts.inProgress,
  };
}

/** One transaction may not touch a row twice, and two apps in one position would overwrite each other. */
function checkUnique(records: readonly AppRecord[], operation: string): void {
  const apps = new Set<string>();
  const positions = new Set<string>();
  for (const r of records) {
    const app = `${r.migrationId}\n${r.appId.toLowerCase()}`;
    const position = `${r.migrationId}\n${positionKey(r.groupIndex, r.order)}`;
    if (apps.has(app)) throw new StateInvalidInputError(operation, `app '${r.appId}' appears twice`, { appId: r.appId });
    if (positions.has(position)) {
      throw new StateInvalidInputError(operation, `two apps share group ${r.groupIndex} order ${r.order}`, { groupIndex: r.groupIndex, order: r.order });
    }
    apps.add(app);
    positions.add(position);
  }
}

/** Outcome and phase are columns so listings filter on them; the record itself is one JSON document. */
function toEntity(partitionKey: string, rowKey: string, record: AppRecord, operation: string): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  return {
    partitionKey,
    rowKey,
    appId: record.appId,
    appKey: record.appId.toLowerCase(),
    groupIndex: record.groupIndex,
    order: record.order,
    phase: record.phase,
    outcome: record.outcome,
    ...writeJson('doc', record, operation),
  };
}

function fromEntity(entity: StoredEntity): AppRecord {
  return readJson<AppRecord>(entity, 'doc', `app record row ${entity.partitionKey ?? ''}/${entity.rowKey ?? ''}`);
}

function approximateBytes(entity: Record<string, unknown>): number {
  let bytes = 200;
  for (const [name, value] of Object.entries(entity)) bytes += name.length * 2 + (typeof value === 'string' ? value.length * 2 : 16);
  return bytes;
}
