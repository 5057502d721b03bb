import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { MAX_PARTS, PART_CHARS, asciiJson, chunk, joinText, splitText } from './json-columns.js';
import { mapLimit } from './map-limit.js';
import { ETAG_ATTEMPTS } from './optimistic-update.js';
import { StateConflictError, StateCorruptError, StateInvalidInputError, statusOf, storageCall, storageCallOr, toStateError } from './state-errors.js';
import { idKey, pad, prefixEnd } from './table-keys.js';
import { queryAll } from './table-paging.js';

export interface DocumentStore {
  /** Replaces the whole document; readers see the old one or the new one, never a mix. */
  put(kind: string, id: string, value: unknown): Promise<void>;
  get<T>(kind: string, id: string): Promise<T | undefined>;
  delete(kind: string, id: string): Promise<void>;
}

/**
 * Large JSON documents (a discovered inventory of thousands of apps, a dry-run plan) split across rows of one
 * partition `<kind>~<id>`. A document can be many MB, more than one transaction (4 MB) carries, so a put writes
 * its parts under a fresh version (`v_<ms 15 digits><random>_<part>`) and only then points the `head` row at that
 * version; older versions' rows are deleted afterwards. A reader that finds the head moved under it reads again.
 * Rows of a version whose head write never happened (a crash) are removed by the next put or delete.
 */
const HEAD = 'head';
const VERSION_PREFIX = 'v_';
/** A part may end one code unit short (never splitting a surrogate pair), so a row takes one less per part. */
const ROW_CHARS = (PART_CHARS - 1) * MAX_PARTS;
const PARALLEL = 4;
const READ_ATTEMPTS = 3;
const KIND = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

export class TableDocumentStore implements DocumentStore {
  readonly #table: TableClient;

  constructor(table: TableClient) {
    this.#table = table;
  }

  async put(kind: string, id: string, value: unknown): Promise<void> {
    const operation = `store ${kind} document ${id}`;
    const partitionKey = partitionOf(kind, id);
    const version = `${pad(Date.now(), 15)}${randomBytes(4).toString('hex')}`;
    const rows = chunk(asciiJson(value), ROW_CHARS);
    await mapLimit(rows, PARALLEL, (text, i) =>
      storageCall(operation, () =>
        this.#table.upsertEntity({ partitionKey, rowKey: `${VERSION_PREFIX}${version}_${pad(i, 6)}`, ...splitText('doc', text, operation) }, 'Replace'),
      ),
    );
    const current = await this.#moveHead(partitionKey, version, rows.length, operation);
    // Versions older than the head are garbage: replaced, or a put that never reached its head write.
    await this.#removeVersions(partitionKey, (v) => v < current, operation);
  }

  async get<T>(kind: string, id: string): Promise<T | undefined> {
    const operation = `read ${kind} document ${id}`;
    const partitionKey = partitionOf(kind, id);
    for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
      const head = await storageCallOr(operation, 404, () => this.#table.getEntity<{ version: string; rows: number }>(partitionKey, HEAD), () => undefined);
      if (head === undefined) return undefined;
      const prefix = `${VERSION_PREFIX}${head.version}_`;
      const rows = await queryAll(this.#table, odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`, operation);
      if (rows.length !== head.rows) continue; // a newer put replaced this version while we read
      const text = rows.map((row) => joinText(row, 'doc', `${kind} document ${id}`)).join('');
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new StateCorruptError(`The ${kind} document '${id}'`, 'it is not JSON', error);
      }
    }
    throw new StateCorruptError(`The ${kind} document '${id}'`, `its head names rows that were not there on ${READ_ATTEMPTS} reads`);
  }

  async delete(kind: string, id: string): Promise<void> {
    const operation = `delete ${kind} document ${id}`;
    const partitionKey = partitionOf(kind, id);
    await storageCallOr(operation, 404, () => this.#table.deleteEntity(partitionKey, HEAD), () => undefined);
    await this.#removeVersions(partitionKey, () => true, operation);
  }

  /**
   * Points the head at `version` unless a later put already moved it further (two concurrent puts: the one that
   * started last wins, by its version's time); ETag-conditional, so two puts cannot both think they won.
   * Returns the version the head names afterwards.
   */
  async #moveHead(partitionKey: string, version: string, rows: number, operation: string): Promise<string> {
    const head = { partitionKey, rowKey: HEAD, version, rows };
    for (let attempt = 1; attempt <= ETAG_ATTEMPTS; attempt++) {
      const current = await storageCallOr(operation, 404, () => this.#table.getEntity<{ version: string }>(partitionKey, HEAD), () => undefined);
      if (current !== undefined && current.version >= version) return current.version;
      try {
        if (current === undefined) await this.#table.createEntity(head);
        else await this.#table.updateEntity(head, 'Replace', { etag: current.etag });
        return version;
      } catch (error) {
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw toStateError(error, operation);
      }
    }
    throw new StateConflictError(operation, ETAG_ATTEMPTS);
  }

  async #removeVersions(partitionKey: string, remove: (version: string) => boolean, operation: string): Promise<void> {
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${VERSION_PREFIX} and RowKey lt ${prefixEnd(VERSION_PREFIX)}`;
    const rows = await queryAll(this.#table, filter, operation, ['RowKey']);
    const stale = rows.map((r) => r.rowKey ?? '').filter((rowKey) => remove(rowKey.slice(VERSION_PREFIX.length).split('_')[0] ?? ''));
    await mapLimit(stale, PARALLEL, (rowKey) => storageCallOr(operation, 404, () => this.#table.deleteEntity(partitionKey, rowKey), () => undefined));
  }
}

function partitionOf(kind: string, id: string): string {
  if (!KIND.test(kind)) throw new StateInvalidInputError(`store a document of kind '${kind}'`, 'a kind is a letter then up to 63 letters, digits or hyphens', { kind });
  return `${kind}~${idKey(id, `${kind} document`)}`;
}
