/**
 * Validates an untrusted JSON value against a zod schema with work and output bounded by the schema, not by the
 * request. zod checks a list's length only after parsing every element, and collects every issue: 10 MB of bad
 * items took 24 s and answered hundreds of MB. So, in order, each step cheap enough to refuse before the next:
 *
 * 1. a size guard walks the value along the schema's JSON Schema (the one the OpenAPI document publishes) and
 *    refuses lists and strings over their maxItems / maxLength before any element is parsed;
 * 2. the items of the top-level lists are parsed one by one, yielding to the event loop between chunks (so
 *    /api/health keeps answering) and stopping after `maxIssues` problems;
 * 3. only then is the whole value parsed, with the cross-field checks, giving the typed result.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import type { FieldErrorList, ProblemFieldError } from './problem.js';

export type Validated<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FieldErrorList };

/** Problems collected before validation stops: enough to fix a generator, few enough to stay fast. */
export const DEFAULT_MAX_ISSUES = 100;
/** Items parsed between two yields to the event loop. */
const CHUNK = 100;

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly maxItems?: number;
  readonly maxLength?: number;
  readonly maxProperties?: number;
};

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let found = jsonSchemas.get(schema);
  if (found === undefined) {
    found = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
    jsonSchemas.set(schema, found);
  }
  return found;
}

class IssueSink {
  readonly shown: ProblemFieldError[] = [];
  count = 0;
  constructor(readonly max: number) {}
  get full(): boolean {
    return this.count >= this.max;
  }
  add(path: string, message: string): void {
    this.count += 1;
    this.shown.push({ path, message });
  }
  list(exact: boolean): FieldErrorList {
    return { shown: this.shown, count: this.count, exact };
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

function accepts(schema: JsonSchema, type: string): boolean {
  if (schema.type === undefined) return true;
  const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

/** Step 1: lengths only, along the schema; types and everything else are zod's job. */
function guardSizes(schema: JsonSchema, value: unknown, path: string, sink: IssueSink): void {
  if (sink.full) return;
  const type = jsonType(value);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) {
    const match = alternatives.find((alternative) => accepts(alternative, type));
    if (match !== undefined) guardSizes(match, value, path, sink);
    return;
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) sink.add(path, `must be at most ${schema.maxLength} characters (got ${value.length})`);
    return;
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      sink.add(path, `must have at most ${schema.maxItems} items (got ${value.length})`);
      return;
    }
    const items = schema.items;
    if (items !== undefined) value.forEach((item, index) => guardSizes(items, item, `${path}/${index}`, sink));
    return;
  }
  if (type !== 'object') return;
  const entries = Object.entries(value as Record<string, unknown>);
  if (schema.maxProperties !== undefined && entries.length > schema.maxProperties) {
    sink.add(path, `must have at most ${schema.maxProperties} properties (got ${entries.length})`);
    return;
  }
  for (const [key, child] of entries) {
    const keyPath = `${path}/${escapePointer(key)}`;
    if (schema.propertyNames?.maxLength !== undefined && key.length > schema.propertyNames.maxLength) {
      sink.add(keyPath, `names must be at most ${schema.propertyNames.maxLength} characters (got ${key.length})`);
      continue;
    }
    const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (childSchema !== undefined) guardSizes(childSchema, child, keyPath, sink);
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${escapePointer(String(p))}`).join('');
}

function addIssues(sink: IssueSink, issues: readonly z.core.$ZodIssue[], prefix: string): void {
  for (const issue of issues) {
    if (sink.full) return;
    sink.add(`${prefix}${pointer(issue.path)}` || '/', issue.message);
  }
}

/** The element schemas of an object schema's list fields (through .default() and .optional()). */
function topLevelLists(schema: z.ZodType): [string, z.core.$ZodType][] {
  if (!(schema instanceof z.ZodObject)) return [];
  const lists: [string, z.core.$ZodType][] = [];
  for (const [key, field] of Object.entries<z.core.$ZodType>(schema.shape)) {
    let inner: z.core.$ZodType = field;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap();
    if (inner instanceof z.ZodArray) lists.push([key, inner.element]);
  }
  return lists;
}

export async function validateBounded<Schema extends z.ZodType>(schema: Schema, value: unknown, maxIssues = DEFAULT_MAX_ISSUES): Promise<Validated<z.output<Schema>>> {
  const sink = new IssueSink(maxIssues);
  guardSizes(jsonSchemaOf(schema), value, '', sink);
  if (sink.count > 0) return { ok: false, errors: sink.list(!sink.full) };

  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    let parsed = 0;
    for (const [key, element] of topLevelLists(schema)) {
      const items = record[key];
      if (!Array.isArray(items)) continue;
      for (const [index, item] of items.entries()) {
        const result = z.safeParse(element, item);
        if (!result.success) addIssues(sink, result.error.issues, `/${escapePointer(key)}/${index}`);
        if (sink.full) return { ok: false, errors: sink.list(false) };
        parsed += 1;
        if (parsed % CHUNK === 0) await yieldToEventLoop();
      }
    }
    // Cross-field checks (duplicates, references) only mean something once every item is well formed.
    if (sink.count > 0) return { ok: false, errors: sink.list(true) };
  }

  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  addIssues(sink, result.error.issues, '');
  return { ok: false, errors: sink.list(!sink.full) };
}
