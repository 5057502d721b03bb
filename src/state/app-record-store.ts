import { odata, type TableClient, type TableTransaction } from '@azure/data-tables';
import type { ErrorRecord } from '../domain/errors.js';
import { APP_OUTCOMES, type AppOutcome, type AppPhase, type MigrationSummary } from '../domain/migration-model.js';
import type { AppMigration } from '../domain/plan-builder.js';
import { MAX_PARTS, readJson, writeJson } from './json-columns.js';
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
  /** The planner's per-app plan. Left out of listings (`list`), which carry its `strategy` alone. */
  plan?: AppMigration;
  strategy?: AppMigration['strategy'];
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
 * A migration's records spread over one partition per plan group, `<migration key>~<group 6 digits>`, row key
 * `<group 6 digits>-<order 6 digits>`: a group is one partition, and the whole migration lists in plan order as one
 * range over its group partitions (`<key>~0` up to `<key>~:`; digits sort before ':' and letters). The group's
 * header is row `header` of its partition. Index rows `app_<sha256 of the lower-cased app id>` point an app id at its
 * record (partition and row key); they live in 256 partitions `<key>~i<first 2 hex digits>` and are written after
 * the records, so the index never points nowhere (a put cut short is put again by its retried activity).
 *
 * Why not one partition per migration, the layout before (records and index rows in partition `<key>`): at 10,000
 * apps that partition held 20,000 rows. Azure serves one partition at up to 2,000 entities per second, and Azurite
 * finds a row in time linear in its partition's size (LokiJS filters the partition for the row key; 90 % of its CPU
 * while planning 10,000 apps, bench/state-scale.ts), so every read and write of a moving app cost a scan of them all.
 * Migrations stored in that layout are still read: `get`, `update`, `list`, `listGroup` and `outcomes` fall back to it.
 */
const RECORDS_FROM = '0';
const RECORDS_TO = ':';
const HEADER_ROW = 'header';
const TRANSACTION_OPS = 100;
/** A transaction carries at most 4 MB; stay well below, counting UTF-16 bytes. */
const TRANSACTION_BYTES = 3_000_000;
const PARALLEL_TRANSACTIONS = 8;

/** One transaction: a partition's rows, at most 100 operations and 4 MB. */
interface Batch {
  readonly actions: TableTransaction['actions'];
  bytes: number;
}

/** Where an app's record row is. */
interface RecordRow {
  readonly partition: string;
  readonly rowKey: string;
}

const migrationKey = (migrationId: string): string => idKey(migrationId, 'migration');
const positionKey = (groupIndex: number, order: number): string => `${pad(groupIndex, 6)}-${pad(order, 6)}`;
const groupPartition = (migrationId: string, groupIndex: number): string => `${migrationKey(migrationId)}~${pad(groupIndex, 6)}`;
const indexPartition = (migrationId: string, appId: string): string => `${migrationKey(migrationId)}~i${appKey(appId).slice(0, 2)}`;
const indexKey = (appId: string): string => `app_${appKey(appId)}`;
const recordRows = odata`RowKey ge ${RECORDS_FROM} and RowKey lt ${RECORDS_TO}`;
const recordRange = (migrationId: string): string =>
  `${odata`PartitionKey ge ${`${migrationKey(migrationId)}~${RECORDS_FROM}`} and PartitionKey lt ${`${migrationKey(migrationId)}~${RECORDS_TO}`}`} and ${recordRows}`;
/** The layout before: every record and index row of the migration in partition `<key>`. */
const legacyRange = (migrationId: string): string => `${odata`PartitionKey eq ${migrationKey(migrationId)}`} and ${recordRows}`;

/**
 * What a listing reads: the record without its plan (a page of 100 apps was ~430 KB with the plans, most of it
 * steps nobody listing apps looks at). Records written before the plan had its own columns carry it in `doc`.
 */
const LISTED_COLUMNS = ['docParts', ...Array.from({ length: MAX_PARTS }, (_, i) => (i === 0 ? 'doc' : `doc_${i}`))];

/** Row locations remembered per store; far more than one fleet's apps, and forgotten all at once beyond that. */
const REMEMBERED_ROWS = 100_000;

export class TableAppRecordStore implements AppRecordStore {
  readonly #table: TableClient;
  /**
   * `<migration key>\n<lower-cased app id>` → its record row. An app's position never changes once stored, so the
   * index row need not be read again for every get and update of the app (half the point reads of a moving app).
   */
  readonly #rows = new Map<string, RecordRow>();

  constructor(table: TableClient) {
    this.#table = table;
  }

  async putMany(records: AppRecord[]): Promise<void> {
    const operation = 'store app records';
    checkUnique(records, operation);
    const recordBatches = new Batches();
    const indexBatches = new Batches();
    for (const record of records) {
      const partition = groupPartition(record.migrationId, record.groupIndex);
      const rowKey = positionKey(record.groupIndex, record.order);
      recordBatches.add(['upsert', toEntity(partition, rowKey, record, operation), 'Replace']);
      const index = { partitionKey: indexPartition(record.migrationId, record.appId), rowKey: indexKey(record.appId), appId: record.appId, recordPartition: partition, recordRowKey: rowKey };
      indexBatches.add(['upsert', index, 'Replace']);
    }
    const submit = (batch: Batch): Promise<unknown> => storageCall(operation, () => this.#table.submitTransaction(batch.actions));
    await mapLimit(recordBatches.all, PARALLEL_TRANSACTIONS, submit);
    await mapLimit(indexBatches.all, PARALLEL_TRANSACTIONS, submit);
    for (const record of records) {
      this.#remember(record.migrationId, record.appId, { partition: groupPartition(record.migrationId, record.groupIndex), rowKey: positionKey(record.groupIndex, record.order) });
    }
  }

  async get(migrationId: string, appId: string): Promise<AppRecord | undefined> {
    const operation = `read app record ${appId} of migration ${migrationId}`;
    const row = await this.#locate(migrationId, appId, operation);
    if (row === undefined) return undefined;
    const entity = await storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(row.partition, row.rowKey), () => undefined);
    return entity === undefined ? undefined : fromEntity(entity);
  }

  async update(migrationId: string, appId: string, change: (current: AppRecord) => Partial<AppRecord>): Promise<AppRecord> {
    const operation = `update app record ${appId} of migration ${migrationId}`;
    const notFound = (): Error => new StateRecordNotFoundError(`The record of app '${appId}' in migration '${migrationId}'`, { migrationId, appId });
    const row = await this.#locate(migrationId, appId, operation);
    if (row === undefined) throw notFound();
    return updateWithEtag(this.#table, row.partition, row.rowKey, operation, (stored) => {
      const current = fromEntity(stored);
      const next: AppRecord = {
        ...current,
        ...change(current),
        migrationId: current.migrationId,
        appId: current.appId,
        groupIndex: current.groupIndex,
        order: current.order,
      };
      return { entity: toEntity(row.partition, row.rowKey, next, operation), result: next };
    }, notFound);
  }

  async listGroup(migrationId: string, groupIndex: number): Promise<AppRecord[]> {
    const operation = `list group ${groupIndex} of migration ${migrationId}`;
    const rows = odata`RowKey ge ${`${pad(groupIndex, 6)}-`} and RowKey lt ${`${pad(groupIndex, 6)}.`}`;
    const entities = await queryAll(this.#table, `${odata`PartitionKey eq ${groupPartition(migrationId, groupIndex)}`} and ${rows}`, operation);
    const found = entities.length > 0 ? entities : await queryAll(this.#table, `${odata`PartitionKey eq ${migrationKey(migrationId)}`} and ${rows}`, operation);
    return found.map(fromEntity);
  }

  async list(migrationId: string, options: AppListOptions): Promise<Page<AppRecord>> {
    const operation = `list app records of migration ${migrationId}`;
    const outcome = options.outcome === undefined ? '' : ` and ${odata`outcome eq ${options.outcome}`}`;
    // Pages of the layout before carry a mark in their token, so the next page queries that layout again.
    const legacy = options.continuationToken !== undefined && isLegacyToken(options.continuationToken);
    const page = await queryPage(this.#table, `${legacy ? legacyRange(migrationId) : recordRange(migrationId)}${outcome}`, options, operation, LISTED_COLUMNS);
    if (!legacy && options.continuationToken === undefined && page.items.length === 0 && page.continuationToken === undefined) {
      const older = await queryPage(this.#table, `${legacyRange(migrationId)}${outcome}`, options, operation, LISTED_COLUMNS);
      return { items: older.items.map(fromEntity), ...(older.continuationToken === undefined ? {} : { continuationToken: markLegacy(older.continuationToken) }) };
    }
    return { items: page.items.map(fromEntity), ...(page.continuationToken === undefined ? {} : { continuationToken: legacy ? markLegacy(page.continuationToken) : page.continuationToken }) };
  }

  async summarize(migrationId: string): Promise<MigrationSummary> {
    return summarizeOutcomes(await this.outcomes(migrationId));
  }

  async outcomes(migrationId: string): Promise<{ appId: string; outcome: AppOutcome }[]> {
    const operation = `read the outcomes of migration ${migrationId}`;
    const select = ['appId', 'outcome'];
    let rows = await queryAll(this.#table, recordRange(migrationId), operation, select);
    if (rows.length === 0) rows = await queryAll(this.#table, legacyRange(migrationId), operation, select);
    return rows.map((row) => ({ appId: String(row['appId']), outcome: row['outcome'] as AppOutcome }));
  }

  async putGroups(migrationId: string, headers: readonly unknown[]): Promise<void> {
    const operation = `store the plan groups of migration ${migrationId}`;
    // Each in its own group's partition: one upsert each, several at a time.
    await mapLimit(headers, PARALLEL_TRANSACTIONS, (header, groupIndex) =>
      storageCall(operation, () => this.#table.upsertEntity({ partitionKey: groupPartition(migrationId, groupIndex), rowKey: HEADER_ROW, ...writeJson('doc', header, operation) }, 'Replace')),
    );
  }

  async getGroup<T>(migrationId: string, groupIndex: number): Promise<T | undefined> {
    const operation = `read plan group ${groupIndex} of migration ${migrationId}`;
    const partition = groupPartition(migrationId, groupIndex);
    const entity = await storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(partition, HEADER_ROW), () => undefined);
    return entity === undefined ? undefined : readJson<T>(entity, 'doc', `plan group row ${partition}/${HEADER_ROW}`);
  }

  /** The app's index row, or the layout before's (in the migration's own partition, naming a row of it). */
  async #locate(migrationId: string, appId: string, operation: string): Promise<RecordRow | undefined> {
    const known = this.#rows.get(`${migrationKey(migrationId)}\n${appId.toLowerCase()}`);
    if (known !== undefined) return known;
    const read = (partition: string): Promise<{ recordPartition?: string; recordRowKey: string } | undefined> =>
      storageCallOr(operation, 404, () => this.#table.getEntity<{ recordPartition?: string; recordRowKey: string }>(partition, indexKey(appId)), () => undefined);
    const index = (await read(indexPartition(migrationId, appId))) ?? (await read(migrationKey(migrationId)));
    if (index === undefined) return undefined;
    const row = { partition: index.recordPartition ?? migrationKey(migrationId), rowKey: index.recordRowKey };
    this.#remember(migrationId, appId, row);
    return row;
  }

  #remember(migrationId: string, appId: string, row: RecordRow): void {
    if (this.#rows.size >= REMEMBERED_ROWS) this.#rows.clear();
    this.#rows.set(`${migrationKey(migrationId)}\n${appId.toLowerCase()}`, row);
  }
}

/** Operations grouped into transactions: one partition each, at most 100 operations and 4 MB. */
class Batches {
  readonly all: Batch[] = [];
  readonly #open = new Map<string, Batch>();

  add(action: TableTransaction['actions'][number]): void {
    const entity = action[1];
    const bytes = approximateBytes(entity);
    let batch = this.#open.get(entity.partitionKey);
    if (batch === undefined || batch.actions.length + 1 > TRANSACTION_OPS || batch.bytes + bytes > TRANSACTION_BYTES) {
      batch = { actions: [], bytes: 0 };
      this.all.push(batch);
      this.#open.set(entity.partitionKey, batch);
    }
    batch.actions.push(action);
    batch.bytes += bytes;
  }
}

/** The SDK's tokens are base64 of JSON naming the next partition and row; it reads those two and ignores the rest. */
function tokenJson(token: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const markLegacy = (token: string): string => Buffer.from(JSON.stringify({ ...tokenJson(token), legacyLayout: true }), 'utf8').toString('base64');
const isLegacyToken = (token: string): boolean => tokenJson(token)?.['legacyLayout'] === true;

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

/**
 * Outcome and phase are columns so listings filter on them; the record is one JSON document (`doc`) and its plan
 * another (`plan`), so a listing can leave the plan out.
 */
function toEntity(partitionKey: string, rowKey: string, record: AppRecord, operation: string): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  const { plan, ...rest } = record;
  const strategy = plan?.strategy ?? record.strategy;
  return {
    partitionKey,
    rowKey,
    appId: record.appId,
    appKey: record.appId.toLowerCase(),
    groupIndex: record.groupIndex,
    order: record.order,
    phase: record.phase,
    outcome: record.outcome,
    ...writeJson('doc', strategy === undefined ? rest : { ...rest, strategy }, operation),
    ...(plan === undefined ? {} : writeJson('plan', plan, operation)),
  };
}

function fromEntity(entity: StoredEntity): AppRecord {
  const what = `app record row ${entity.partitionKey ?? ''}/${entity.rowKey ?? ''}`;
  const record = readJson<AppRecord>(entity, 'doc', what);
  return typeof entity['planParts'] === 'number' ? { ...record, plan: readJson<AppMigration>(entity, 'plan', what) } : record;
}

function approximateBytes(entity: Record<string, unknown>): number {
  let bytes = 200;
  for (const [name, value] of Object.entries(entity)) bytes += name.length * 2 + (typeof value === 'string' ? value.length * 2 : 16);
  return bytes;
}
