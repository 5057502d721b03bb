import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { parseResourceId } from '../domain/resource-id.js';
import { mapLimit } from './map-limit.js';
import { StateConflictError, StateInvalidInputError, statusOf, storageCallOr, toStateError } from './state-errors.js';
import { appKey } from './table-keys.js';
import { queryAll } from './table-paging.js';
import { ETAG_ATTEMPTS, type StoredEntity } from './optimistic-update.js';

/** Which migration may change an app right now. */
export interface AppLease {
  appId: string;
  migrationId: string;
  acquiredTime: string;
  subscriptionId: string;
  resourceGroup: string;
}

export interface AcquireResult {
  acquired: string[];
  heldBy: { appId: string; migrationId: string }[];
}

export interface AppLeaseStore {
  /**
   * Atomically per app: create-if-absent; an existing lease of the same migration counts as acquired; a lease whose
   * migration is no longer active (asked via `isActive`) is taken over with its ETag, so two migrations taking over
   * the same stale lease cannot both win.
   */
  acquire(migrationId: string, appIds: readonly string[], isActive: (migrationId: string) => Promise<boolean>): Promise<AcquireResult>;
  /** Releases only leases held by that migration. */
  release(migrationId: string, appIds: readonly string[]): Promise<void>;
  /** Releases every lease the migration holds; answers how many there were. */
  releaseAll(migrationId: string): Promise<number>;
  holders(appIds: readonly string[]): Promise<AppLease[]>;
  listAll(): Promise<AppLease[]>;
}

/**
 * No two migrations ever touch one app at once. One row per app (RowKey = sha256 of the lower-cased app id, since
 * ARM ids are case-insensitive) in one partition, so listing every lease is a single range read. Leases do not
 * expire by time: a migration can legitimately sit Paused for days; a lease is stale only when its migration has
 * finished, which the caller decides.
 */
const PARTITION = 'leases';
const PARALLEL = 16;
/** A transaction carries at most 100 operations of one partition; a lease row is a few hundred bytes. */
const TRANSACTION_OPS = 100;
const PARALLEL_TRANSACTIONS = 4;

type Claim = { kind: 'acquired' } | { kind: 'held'; migrationId: string };

export class TableAppLeaseStore implements AppLeaseStore {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async acquire(migrationId: string, appIds: readonly string[], isActive: (migrationId: string) => Promise<boolean>): Promise<AcquireResult> {
    // One question per other migration, however many of its apps we meet.
    const answers = new Map<string, Promise<boolean>>();
    const active = (holder: string): Promise<boolean> => {
      let answer = answers.get(holder);
      if (answer === undefined) answers.set(holder, (answer = isActive(holder)));
      return answer;
    };
    // A fleet's first acquire finds no lease: 100 creates per transaction instead of one request per app. A batch
    // with any lease already there fails as a whole (409) and is claimed app by app, as before.
    const acquired: Claim = { kind: 'acquired' };
    const batches = await mapLimit(chunks(unique(appIds), TRANSACTION_OPS), PARALLEL_TRANSACTIONS, async (batch): Promise<{ appId: string; claim: Claim }[]> =>
      (await this.#createAll(migrationId, batch))
        ? batch.map((appId) => ({ appId, claim: acquired }))
        : mapLimit(batch, PARALLEL, async (appId) => ({ appId, claim: await this.#claim(migrationId, appId, active) })),
    );
    const result: AcquireResult = { acquired: [], heldBy: [] };
    for (const { appId, claim } of batches.flat()) {
      if (claim.kind === 'acquired') result.acquired.push(appId);
      else result.heldBy.push({ appId, migrationId: claim.migrationId });
    }
    return result;
  }

  async release(migrationId: string, appIds: readonly string[]): Promise<void> {
    await mapLimit(unique(appIds), PARALLEL, (appId) => this.#release(migrationId, appId));
  }

  async releaseAll(migrationId: string): Promise<number> {
    // Only this migration's rows, and only their app ids. Each is released on its own, ETag-conditional: a transaction
    // cannot delete on a condition, and once the migration has ended another may take a lease over at any time.
    const rows = await queryAll(this.#table, odata`PartitionKey eq ${PARTITION} and migrationId eq ${migrationId}`, `list the leases of migration ${migrationId}`, ['appId']);
    await mapLimit(rows, PARALLEL, (row) => this.#release(migrationId, String(row['appId'])));
    return rows.length;
  }

  async holders(appIds: readonly string[]): Promise<AppLease[]> {
    const leases = await mapLimit(unique(appIds), PARALLEL, async (appId) => {
      const row = await this.#read(appId, `read the lease of ${appId}`);
      return row === undefined ? undefined : toLease(row);
    });
    return leases.filter((l): l is AppLease => l !== undefined);
  }

  async listAll(): Promise<AppLease[]> {
    return (await queryAll(this.#table, odata`PartitionKey eq ${PARTITION}`, 'list app leases')).map(toLease);
  }

  /** Creates every app's lease in one transaction; false when one of them existed already (nothing was written). */
  async #createAll(migrationId: string, appIds: readonly string[]): Promise<boolean> {
    const operation = `lease ${appIds.length} apps for migration ${migrationId}`;
    const actions = appIds.map((appId): TransactionAction => ['create', { partitionKey: PARTITION, rowKey: appKey(appId), ...newLease(migrationId, appId, operation) }]);
    if (actions.length === 1) return false; // one app: the per-app claim is the same single request
    return storageCallOr(operation, 409, () => this.#table.submitTransaction(actions).then(() => true), () => false);
  }

  async #claim(migrationId: string, appId: string, isActive: (migrationId: string) => Promise<boolean>): Promise<Claim> {
    const operation = `lease ${appId} for migration ${migrationId}`;
    const lease = newLease(migrationId, appId, operation);
    const entity = { partitionKey: PARTITION, rowKey: appKey(appId), ...lease };
    for (let attempt = 1; attempt <= ETAG_ATTEMPTS; attempt++) {
      const created = await storageCallOr(operation, 409, () => this.#table.createEntity(entity).then(() => true), () => false);
      if (created) return { kind: 'acquired' };
      const current = await this.#read(appId, operation);
      if (current === undefined) continue; // released in between: try to create again
      const holder = String(current['migrationId']);
      if (holder === migrationId) return { kind: 'acquired' };
      if (await isActive(holder)) return { kind: 'held', migrationId: holder };
      try {
        await this.#table.updateEntity(entity, 'Replace', { etag: current.etag });
        return { kind: 'acquired' };
      } catch (error) {
        // 412: someone else took it over or released it first; 404: released. Look again.
        if (statusOf(error) !== 412 && statusOf(error) !== 404) throw toStateError(error, operation);
      }
    }
    throw new StateConflictError(operation, ETAG_ATTEMPTS);
  }

  async #release(migrationId: string, appId: string): Promise<void> {
    const operation = `release the lease of ${appId} held by migration ${migrationId}`;
    for (let attempt = 1; attempt <= ETAG_ATTEMPTS; attempt++) {
      const current = await this.#read(appId, operation);
      if (current === undefined || current['migrationId'] !== migrationId) return;
      try {
        await this.#table.deleteEntity(PARTITION, appKey(appId), { etag: current.etag });
        return;
      } catch (error) {
        if (statusOf(error) === 404) return;
        if (statusOf(error) !== 412) throw toStateError(error, operation);
      }
    }
    throw new StateConflictError(operation, ETAG_ATTEMPTS);
  }

  #read(appId: string, operation: string): Promise<StoredEntity | undefined> {
    return storageCallOr(operation, 404, () => this.#table.getEntity<Record<string, unknown>>(PARTITION, appKey(appId)), () => undefined);
  }
}

function newLease(migrationId: string, appId: string, operation: string): AppLease {
  const parsed = parseResourceId(appId);
  if (parsed.kind !== 'site' && parsed.kind !== 'slot') {
    throw new StateInvalidInputError(operation, `'${appId}' is a ${parsed.kind} id, not an app (site or slot) id`, { appId });
  }
  return { appId, migrationId, acquiredTime: new Date().toISOString(), subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup };
}

function toLease(row: StoredEntity): AppLease {
  const text = (name: string): string => String(row[name]);
  return {
    appId: text('appId'),
    migrationId: text('migrationId'),
    acquiredTime: text('acquiredTime'),
    subscriptionId: text('subscriptionId'),
    resourceGroup: text('resourceGroup'),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The same app named twice (in any casing) is one lease. */
function unique(appIds: readonly string[]): string[] {
  const seen = new Set<string>();
  return appIds.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
