import { randomUUID } from 'node:crypto';
import { ArmHttpError, invalidRequestContent } from './arm-error.js';
import type { ArmCall, ArmResult } from './router.js';

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object; ARM rejects a PUT without one. */
export function objectBody(call: ArmCall): JsonObject {
  if (call.body === undefined) return {};
  if (!isRecord(call.body)) throw invalidRequestContent('the request body must be a JSON object');
  return call.body;
}

export function propertiesOf(body: JsonObject): JsonObject {
  const p = body['properties'];
  if (p === undefined || p === null) return {};
  if (!isRecord(p)) throw invalidRequestContent("'properties' must be a JSON object");
  return p;
}

export function stringProp(obj: JsonObject, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function boolProp(obj: JsonObject, key: string): boolean | undefined {
  const v = obj[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function tagsOf(body: JsonObject): Record<string, string> | undefined {
  const tags = body['tags'];
  if (tags === undefined || tags === null) return undefined;
  if (!isRecord(tags)) throw invalidRequestContent("'tags' must be a JSON object");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) out[k] = String(v);
  return out;
}

/** 'West Europe' and 'westeurope' are the same region to ARM. */
export function sameLocation(a: string | undefined, b: string | undefined): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}

export function normalizeLocation(location: string | undefined): string {
  return (location ?? '').replace(/\s+/g, '').toLowerCase();
}

export function requireLocation(body: JsonObject, envelope: 'network' | 'web'): string {
  const location = stringProp(body, 'location');
  if (location === undefined || location.trim() === '') {
    throw new ArmHttpError(400, 'LocationRequired', 'The location property is required for this definition.', envelope === 'web' ? 'arm' : 'network');
  }
  return location;
}

export function newEtag(): string {
  return `W/"${randomUUID()}"`;
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A page of a list, with an absolute nextLink carrying $skipToken (the SDK's pagers follow it as given). Only the
 * page's items are rendered.
 */
export function paged<T>(call: ArmCall, items: readonly T[], render: (item: T) => unknown = (item) => item): ArmResult {
  const size = Math.max(1, call.ctx.settings.pageSize);
  const skip = Number.parseInt(call.query.get('$skipToken') ?? '0', 10);
  const start = Number.isFinite(skip) && skip > 0 ? skip : 0;
  const value = items.slice(start, start + size).map(render);
  const body: JsonObject = { value };
  if (start + size < items.length) {
    const next = new URL(`${call.ctx.baseUrl()}${call.path}`);
    for (const [k, v] of call.query) if (k !== '$skipToken') next.searchParams.set(k, v);
    next.searchParams.set('$skipToken', String(start + size));
    body['nextLink'] = next.toString();
  }
  return { status: 200, body };
}
