import { setTimeout as delay } from 'node:timers/promises';
import type { TableClient, TableEntity, TableEntityResult } from '@azure/data-tables';
import { StateConflictError, statusOf, storageCallOr, toStateError } from './state-errors.js';

/**
 * Each round on a contended row has one winner, so N simultaneous writers need up to N rounds without back-off;
 * the growing random back-off below spreads them out so that a few dozen writers on one row all land.
 */
export const ETAG_ATTEMPTS = 20;

export type StoredEntity = TableEntityResult<Record<string, unknown>>;

export interface Revision<R> {
  /** The whole new entity (it replaces the stored one), or undefined to write nothing. */
  readonly entity?: TableEntity<Record<string, unknown>>;
  readonly result: R;
}

/**
 * Read-modify-write of one row with its ETag: the write only lands if nobody wrote in between (412 otherwise), and
 * then we read again and re-apply the change, so concurrent writers never lose each other's changes.
 */
export async function updateWithEtag<R>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  operation: string,
  revise: (current: StoredEntity) => Revision<R>,
  notFound: () => Error,
): Promise<R> {
  for (let attempt = 1; attempt <= ETAG_ATTEMPTS; attempt++) {
    const current = await storageCallOr(operation, 404, () => table.getEntity<Record<string, unknown>>(partitionKey, rowKey), () => undefined);
    if (current === undefined) throw notFound();
    const { entity, result } = revise(current);
    if (entity === undefined) return result;
    try {
      await table.updateEntity(entity, 'Replace', { etag: current.etag });
      return result;
    } catch (error) {
      if (statusOf(error) !== 412) throw toStateError(error, operation);
      // Spread the losers out a little so they do not collide again in lock-step.
      await delay(Math.floor(Math.random() * Math.min(10 * attempt, 100)));
    }
  }
  throw new StateConflictError(operation, ETAG_ATTEMPTS);
}
