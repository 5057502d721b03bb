import type { TableClient } from '@azure/data-tables';
import { StateInvalidInputError, storageCall } from './state-errors.js';
import type { StoredEntity } from './optimistic-update.js';

export const DEFAULT_PAGE_SIZE = 100;
/** Table Storage answers at most 1,000 entities a request. */
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  readonly top?: number;
  readonly continuationToken?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly continuationToken?: string;
}

/**
 * One page of a query, in key order, with the service's own continuation token (opaque to callers). A filtered
 * page may hold fewer than `top` items and still have a token: follow tokens until there is none.
 */
export async function queryPage(table: TableClient, filter: string, request: PageRequest, operation: string, select?: string[]): Promise<Page<StoredEntity>> {
  const top = request.top ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
    throw new StateInvalidInputError(operation, `top must be an integer in 1..${MAX_PAGE_SIZE}`, { top });
  }
  const token = request.continuationToken;
  if (token !== undefined && !isContinuationToken(token)) {
    throw new StateInvalidInputError(operation, 'the continuation token is not one this service gave out', { continuationToken: token.slice(0, 200) });
  }
  return storageCall(operation, async () => {
    const pages = table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter, ...(select === undefined ? {} : { select }) } })
      .byPage({ maxPageSize: top, ...(token === undefined ? {} : { continuationToken: token }) });
    const page = (await pages.next()).value as (StoredEntity[] & { continuationToken?: string }) | undefined;
    if (page === undefined) return { items: [] };
    return { items: [...page], ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  });
}

/** Every entity a query matches, following continuation tokens. */
export async function queryAll(table: TableClient, filter: string, operation: string, select?: string[]): Promise<StoredEntity[]> {
  return storageCall(operation, async () => {
    const all: StoredEntity[] = [];
    for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter, ...(select === undefined ? {} : { select }) } })) {
      all.push(entity);
    }
    return all;
  });
}

/** The SDK's tokens are base64 of a JSON object naming the next partition and row key. */
function isContinuationToken(token: string): boolean {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'nextPartitionKey' in parsed;
  } catch {
    return false;
  }
}
