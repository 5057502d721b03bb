import { StateCorruptError, StateInvalidInputError } from './state-errors.js';

/**
 * Large JSON in one entity, split across numbered string properties. A Table string property holds at most 64 KiB
 * (32K UTF-16 code units) and an entity at most 1 MiB with 255 properties, so a few-KB plan fits in one part and
 * a large one spreads over `doc`, `doc_1`, `doc_2`, … with `docParts` saying how many to join.
 */

/** Below 32K code units, so one part is under 64 KiB. */
export const PART_CHARS = 30_000;
/** 16 × 30K code units × 2 bytes ≈ 960 KB: what an entity can carry besides its few small columns. */
export const MAX_PARTS = 16;

export type JsonColumns = Record<string, string | number>;

/** The properties that hold `text` under `name`. Refuses text no single entity can hold. */
export function splitText(name: string, text: string, operation: string): JsonColumns {
  const parts = chunk(text, PART_CHARS);
  if (parts.length > MAX_PARTS) {
    throw new StateInvalidInputError(operation, `the ${name} JSON is ${text.length} characters, more than one row holds (${PART_CHARS * MAX_PARTS})`, {
      characters: text.length,
    });
  }
  const columns: JsonColumns = { [`${name}Parts`]: parts.length };
  parts.forEach((part, i) => (columns[i === 0 ? name : `${name}_${i}`] = part));
  return columns;
}

export function writeJson(name: string, value: unknown, operation: string): JsonColumns {
  return splitText(name, asciiJson(value), operation);
}

/**
 * JSON with every non-ASCII character written as a \uXXXX escape (still JSON, parses to the same value). Azurite
 * 3.35 corrupts multi-byte UTF-8 characters in large request bodies (a 4-byte character came back as two U+FFFD in
 * a ~1 MB write in our tests), and the local host runs on Azurite; ASCII bodies cannot be cut mid-character.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Joins what splitText wrote. `what` names the row in the error if a part is missing. */
export function joinText(entity: Readonly<Record<string, unknown>>, name: string, what: string): string {
  const count = entity[`${name}Parts`];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new StateCorruptError(what, `no '${name}Parts' count`);
  let text = '';
  for (let i = 0; i < count; i++) {
    const part = entity[i === 0 ? name : `${name}_${i}`];
    if (typeof part !== 'string') throw new StateCorruptError(what, `part ${i} of '${name}' is missing`);
    text += part;
  }
  return text;
}

export function readJson<T>(entity: Readonly<Record<string, unknown>>, name: string, what: string): T {
  const text = joinText(entity, name, what);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StateCorruptError(what, `'${name}' is not JSON`, error);
  }
}

/** Splits into pieces of at most `size` code units, never between the two halves of a surrogate pair. */
export function chunk(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}
