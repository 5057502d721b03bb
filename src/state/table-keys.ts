import { createHash } from 'node:crypto';
import { StateInvalidInputError } from './state-errors.js';

/**
 * Table keys may not hold '/', '\', '#', '?' or control characters, and are at most 1 KiB; ARM ids contain '/'.
 * Ids we choose (migration ids, document ids) are base64url-encoded: reversible and order-free. App ids are hashed
 * after lower-casing, because ARM compares them case-insensitively and they can be up to 1 KiB long; the id itself
 * is always kept in a column, so a key never has to be decoded.
 */

const MAX_ENCODED_ID = 256;

/** base64url of a caller-chosen id. */
export function idKey(id: string, what: string): string {
  if (id.length === 0 || id.length > MAX_ENCODED_ID) {
    throw new StateInvalidInputError(`store ${what}`, `the ${what} id must be 1-${MAX_ENCODED_ID} characters`, { id: id.slice(0, 300) });
  }
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The case-insensitive identity of an app (ARM id) as a key: sha256 hex of the lower-cased id. */
export function appKey(appId: string): string {
  return createHash('sha256').update(appId.toLowerCase(), 'utf8').digest('hex');
}

export function pad(value: number, width: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= 10 ** width) {
    throw new StateInvalidInputError('build a row key', `${value} is not an integer in 0..${10 ** width - 1}`, { value });
  }
  return String(value).padStart(width, '0');
}

/** Milliseconds since the epoch, fixed width, so row keys sort by time. */
export function timeKey(isoTime: string, operation: string): string {
  return pad(epochOf(isoTime, operation), 15);
}

/** Sorts newest first: later times give smaller keys. */
export function invertedTimeKey(isoTime: string, operation: string): string {
  return pad(10 ** 15 - 1 - epochOf(isoTime, operation), 15);
}

function epochOf(isoTime: string, operation: string): number {
  const ms = Date.parse(isoTime);
  if (!Number.isFinite(ms) || ms < 0) throw new StateInvalidInputError(operation, `'${isoTime}' is not an ISO time`, { time: isoTime });
  return ms;
}

/** The first key after every key that starts with `prefix` (for range queries `ge prefix and lt end`). */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
