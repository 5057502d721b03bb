/**
 * Table Storage caps a string property at 64 KiB (32K UTF-16 units) and an entity at 1 MiB. Long JSON texts are
 * split across numbered properties `${prefix}0..n` with `${prefix}n` holding the count.
 */
export const CHUNK_LENGTH = 30_000;
/** 15 chunks of 30,000 UTF-16 units stay under the 1 MiB entity limit with room for the other properties. */
export const MAX_CHUNKS = 15;
export const MAX_TEXT_LENGTH = CHUNK_LENGTH * MAX_CHUNKS;
/**
 * The largest JSON value (input, output, result, event data, custom status) the engine accepts. The head row
 * holds up to three of them (input, output, custom status) within the 1 MiB entity limit (UTF-16: 2 bytes per
 * unit), and a history row wraps one value in its event's other fields.
 */
export const MAX_VALUE_LENGTH = 150_000;

export class ValueTooLargeError extends Error {
  readonly code = 'ValueTooLarge';
  readonly retryable = false;
  constructor(what: string, length: number) {
    super(
      `${what} is ${length} characters of JSON; the local host stores at most ${MAX_TEXT_LENGTH} per row in Table Storage. ` +
        'Pass a reference (a blob URL, a key) instead of the data itself.',
    );
    this.name = 'ValueTooLargeError';
  }
}

export function packText(prefix: string, text: string, what = 'A value'): Record<string, string | number> {
  if (text.length > MAX_TEXT_LENGTH) throw new ValueTooLargeError(what, text.length);
  const properties: Record<string, string | number> = {};
  let count = 0;
  for (let offset = 0; offset < text.length || count === 0; offset += CHUNK_LENGTH) {
    properties[`${prefix}${count}`] = text.slice(offset, offset + CHUNK_LENGTH);
    count += 1;
  }
  properties[`${prefix}n`] = count;
  return properties;
}

export function unpackText(entity: Readonly<Record<string, unknown>>, prefix: string): string | undefined {
  const count = entity[`${prefix}n`];
  if (typeof count !== 'number') return undefined;
  let text = '';
  for (let index = 0; index < count; index++) {
    const part = entity[`${prefix}${index}`];
    text += typeof part === 'string' ? part : '';
  }
  return text;
}

/** Rough wire size of an entity, to keep a transaction under the 4 MiB batch limit. */
export function approximateSize(entity: Readonly<Record<string, unknown>>): number {
  let size = 200;
  for (const [key, value] of Object.entries(entity)) size += key.length * 2 + (typeof value === 'string' ? value.length * 2 : 32);
  return size;
}
