import type { TableClient } from '@azure/data-tables';
import type { AppNetworkSnapshot } from '../domain/migration-model.js';
import { readJson, writeJson } from './json-columns.js';
import { disallowedSnapshotPaths } from './snapshot-guard.js';
import { SnapshotRefusedError, StateCorruptError, storageCallOr } from './state-errors.js';
import { appKey, idKey } from './table-keys.js';

export interface SnapshotStore {
  /** Write once: the first snapshot of an app in a migration wins; returns the stored one. */
  putOnce(migrationId: string, snapshot: AppNetworkSnapshot): Promise<AppNetworkSnapshot>;
  get(migrationId: string, appId: string): Promise<AppNetworkSnapshot | undefined>;
}

/**
 * PartitionKey = migration id, RowKey = app key. Written with insert (never upsert): a retried snapshot step runs
 * after the first change may already have happened, and must not replace the "before" picture with an "after".
 */
export class TableSnapshotStore implements SnapshotStore {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async putOnce(migrationId: string, snapshot: AppNetworkSnapshot): Promise<AppNetworkSnapshot> {
    const disallowed = disallowedSnapshotPaths(snapshot);
    if (disallowed.length > 0) throw new SnapshotRefusedError(String((snapshot as { appId?: unknown }).appId), disallowed);
    const operation = `store the network snapshot of ${snapshot.appId} for migration ${migrationId}`;
    const partitionKey = idKey(migrationId, 'migration');
    const rowKey = appKey(snapshot.appId);
    const entity = { partitionKey, rowKey, appId: snapshot.appId, ...writeJson('doc', snapshot, operation) };
    const inserted = await storageCallOr(operation, 409, () => this.#table.createEntity(entity).then(() => true), () => false);
    if (inserted) return snapshot;
    const stored = await this.get(migrationId, snapshot.appId);
    if (stored === undefined) throw new StateCorruptError(`The snapshot of '${snapshot.appId}' in migration '${migrationId}'`, 'it conflicted on insert but cannot be read');
    return stored;
  }

  async get(migrationId: string, appId: string): Promise<AppNetworkSnapshot | undefined> {
    const operation = `read the network snapshot of ${appId} for migration ${migrationId}`;
    const entity = await storageCallOr(
      operation,
      404,
      () => this.#table.getEntity<Record<string, unknown>>(idKey(migrationId, 'migration'), appKey(appId)),
      () => undefined,
    );
    return entity === undefined ? undefined : readJson<AppNetworkSnapshot>(entity, 'doc', `snapshot of ${appId}`);
  }
}
