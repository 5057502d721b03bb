import { createHash } from 'node:crypto';
import { odata, type TableClient, type TableTransaction } from '@azure/data-tables';
import type { ErrorRecord } from '../domain/errors.js';
import type { FleetControl, MigrationStatus, MigrationSummary } from '../domain/migration-model.js';
import type { MigrationRequest } from '../domain/migration-request.js';
import { ACTIVE_STATUSES, IllegalTransitionError, canTransition } from './migration-status.js';
import { readJson, writeJson } from './json-columns.js';
import { updateWithEtag, type StoredEntity } from './optimistic-update.js';
import { IdempotencyKeyInUseError, MigrationExistsError, StateRecordNotFoundError, statusOf, storageCallOr, toStateError } from './state-errors.js';
import { idKey, invertedTimeKey, prefixEnd } from './table-keys.js';
import { queryAll, queryPage, type Page, type PageRequest } from './table-paging.js';
import type { ScheduleState } from '../domain/migration-batches.js';

export interface MigrationRecord {
  id: string;
  status: MigrationStatus;
  control: FleetControl;
  createdTime: string;
  lastUpdatedTime: string;
  request: MigrationRequest;
  idempotencyKey?: string;
  /** Live counts. */
  summary: MigrationSummary;
  plan?: { groups: number; migrate: number; skip: number; blocked: number };
  gatewayReport?: unknown;
  advice?: unknown;
  error?: ErrorRecord;
  breaker?: { trippedTime: string; failures: number };
  /** Scheduled migrations: batches, queue and window, as the fleet last recorded them. */
  schedule?: ScheduleState;
}

export interface MigrationListOptions extends PageRequest {
  readonly status?: MigrationStatus;
}

export interface MigrationStore {
  /** Throws MigrationExistsError if the id is taken, IdempotencyKeyInUseError if the key is. */
  create(record: Omit<MigrationRecord, 'lastUpdatedTime'>): Promise<MigrationRecord>;
  get(id: string): Promise<MigrationRecord | undefined>;
  /**
   * Read-modify-write with ETag optimistic concurrency; `change` may run more than once (it sees the latest record
   * each time) and returns the fields to change, or undefined to change nothing. Enforces canTransition when the
   * status changes; id, createdTime and idempotencyKey never change. Sets lastUpdatedTime.
   */
  update(id: string, change: (current: MigrationRecord) => Partial<MigrationRecord> | undefined): Promise<MigrationRecord>;
  /** Newest first. */
  list(options: MigrationListOptions): Promise<Page<MigrationRecord>>;
  findByIdempotencyKey(key: string): Promise<MigrationRecord | undefined>;
  /** Pending, Running or Paused. */
  active(): Promise<MigrationRecord[]>;
}

/**
 * Every migration lives in one partition, so that creating one is a single transaction over three rows: the record
 * (row key `m_<inverted created time>_<id>`, so a plain range query lists newest first), an id row pointing at it
 * (`id_<id>`), and the idempotency key row (`key_<sha256>`), which makes "one migration per key" atomic even when
 * two POSTs race. A fleet runs tens to thousands of migrations, far below one partition's throughput.
 */
const PARTITION = 'migrations';
const RECORD_PREFIX = 'm_';
const idRow = (id: string): string => `id_${idKey(id, 'migration')}`;
const keyRow = (key: string): string => `key_${createHash('sha256').update(key, 'utf8').digest('hex')}`;
const recordRange = odata`PartitionKey eq ${PARTITION} and RowKey ge ${RECORD_PREFIX} and RowKey lt ${prefixEnd(RECORD_PREFIX)}`;

export class TableMigrationStore implements MigrationStore {
  readonly #table: TableClient;
  /** id → record row key; it never changes once created. */
  readonly #rowKeys = new Map<string, string>();

  constructor(table: TableClient) {
    this.#table = table;
  }

  async create(input: Omit<MigrationRecord, 'lastUpdatedTime'>): Promise<MigrationRecord> {
    const operation = `create migration ${input.id}`;
    const record: MigrationRecord = { ...input, lastUpdatedTime: new Date().toISOString() };
    const rowKey = `${RECORD_PREFIX}${invertedTimeKey(record.createdTime, operation)}_${idKey(record.id, 'migration')}`;
    const actions: TableTransaction['actions'] = [
      ['create', { partitionKey: PARTITION, rowKey: idRow(record.id), migrationId: record.id, recordRowKey: rowKey }],
      ['create', toEntity(rowKey, record, operation)],
    ];
    if (record.idempotencyKey !== undefined) {
      actions.push(['create', { partitionKey: PARTITION, rowKey: keyRow(record.idempotencyKey), idempotencyKey: record.idempotencyKey, migrationId: record.id }]);
    }
    try {
      await this.#table.submitTransaction(actions);
    } catch (error) {
      if (statusOf(error) !== 409) throw toStateError(error, operation);
      throw await this.#whichConflict(record, operation);
    }
    this.#rowKeys.set(record.id, rowKey);
    return record;
  }

  async get(id: string): Promise<MigrationRecord | undefined> {
    const operation = `read migration ${id}`;
    const rowKey = await this.#rowKeyOf(id, operation);
    if (rowKey === undefined) return undefined;
    const entity = await storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(PARTITION, rowKey), () => undefined);
    return entity === undefined ? undefined : fromEntity(entity);
  }

  async update(id: string, change: (current: MigrationRecord) => Partial<MigrationRecord> | undefined): Promise<MigrationRecord> {
    const operation = `update migration ${id}`;
    const notFound = (): Error => new StateRecordNotFoundError(`Migration '${id}'`, { migrationId: id });
    const rowKey = await this.#rowKeyOf(id, operation);
    if (rowKey === undefined) throw notFound();
    return updateWithEtag(this.#table, PARTITION, rowKey, operation, (stored) => {
      const current = fromEntity(stored);
      const changes = change(current);
      if (changes === undefined) return { result: current };
      if (changes.status !== undefined && !canTransition(current.status, changes.status)) {
        throw new IllegalTransitionError(id, current.status, changes.status);
      }
      const next: MigrationRecord = {
        ...current,
        ...changes,
        id: current.id,
        createdTime: current.createdTime,
        ...(current.idempotencyKey === undefined ? {} : { idempotencyKey: current.idempotencyKey }),
        lastUpdatedTime: new Date().toISOString(),
      };
      return { entity: toEntity(rowKey, next, operation), result: next };
    }, notFound);
  }

  async list(options: MigrationListOptions): Promise<Page<MigrationRecord>> {
    const filter = options.status === undefined ? recordRange : `${recordRange} and ${odata`status eq ${options.status}`}`;
    const page = await queryPage(this.#table, filter, options, 'list migrations');
    return { ...page, items: page.items.map(fromEntity) };
  }

  async findByIdempotencyKey(key: string): Promise<MigrationRecord | undefined> {
    const operation = 'find migration by idempotency key';
    const row = await storageCallOr(operation, 404, () => this.#table.getEntity<{ migrationId: string }>(PARTITION, keyRow(key)), () => undefined);
    return row === undefined ? undefined : this.get(row.migrationId);
  }

  async active(): Promise<MigrationRecord[]> {
    const statuses = ACTIVE_STATUSES.map((s) => odata`status eq ${s}`).join(' or ');
    const entities = await queryAll(this.#table, `${recordRange} and (${statuses})`, 'list active migrations');
    return entities.map(fromEntity);
  }

  async #rowKeyOf(id: string, operation: string): Promise<string | undefined> {
    const known = this.#rowKeys.get(id);
    if (known !== undefined) return known;
    const row = await storageCallOr(operation, 404, () => this.#table.getEntity<{ recordRowKey: string }>(PARTITION, idRow(id)), () => undefined);
    if (row === undefined) return undefined;
    this.#rowKeys.set(id, row.recordRowKey);
    return row.recordRowKey;
  }

  /** A 409 on create: the id row or the idempotency key row was there already. */
  async #whichConflict(record: MigrationRecord, operation: string): Promise<Error> {
    if ((await this.#rowKeyOf(record.id, operation)) !== undefined || record.idempotencyKey === undefined) return new MigrationExistsError(record.id);
    const key = record.idempotencyKey;
    const holder = await storageCallOr(operation, 404, () => this.#table.getEntity<{ migrationId: string }>(PARTITION, keyRow(key)), () => undefined);
    return new IdempotencyKeyInUseError(key, holder?.migrationId);
  }
}

/** Status is a column so listings can filter on it; the record itself is one JSON document. */
function toEntity(rowKey: string, record: MigrationRecord, operation: string): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  return { partitionKey: PARTITION, rowKey, id: record.id, status: record.status, createdTime: record.createdTime, ...writeJson('doc', record, operation) };
}

function fromEntity(entity: StoredEntity): MigrationRecord {
  return readJson<MigrationRecord>(entity, 'doc', `migration row ${entity.rowKey ?? ''}`);
}
