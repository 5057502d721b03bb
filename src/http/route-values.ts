/**
 * Route values, parsed strictly before any storage is touched: a malformed id is the caller's mistake (400), not
 * an unknown resource (404), and never reaches a table key.
 */
import type { HttpRequest } from '@azure/functions';
import { parseResourceId, formatResourceId } from '../domain/resource-id.js';
import { InvalidQueryError } from './api-errors.js';
import { clip } from './problem.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Migration ids are the GUIDs POST /api/migrations hands out. */
export function migrationIdOf(request: HttpRequest): string {
  const id = request.params['id'] ?? '';
  if (!GUID.test(id)) throw new InvalidQueryError(`'${clip(id, 60)}' is not a migration id; migration ids are GUIDs, as POST /api/migrations answers them.`);
  return id.toLowerCase();
}

/**
 * The app id of /api/apps/{appId}/...: an ARM site or slot id, URL-encoded as one segment. The local host decodes
 * route values; Azure's host leaves %2F encoded, so a value still holding '%' is decoded here (an ARM id never
 * contains '%', so decoding twice cannot change a real id).
 */
export function appIdOf(request: HttpRequest): string {
  let value = request.params['appId'] ?? '';
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      throw new InvalidQueryError(`The app id '${clip(value, 100)}' is not URL-encoded correctly; encode the whole ARM id with encodeURIComponent.`);
    }
  }
  if (value.length > 1024) throw new InvalidQueryError(`The app id is ${value.length} characters; ARM ids are at most 1024.`);
  let parsed;
  try {
    parsed = parseResourceId(value);
  } catch (error) {
    throw new InvalidQueryError(`${clip(error instanceof Error ? error.message : String(error), 400)} Pass a site or slot id, URL-encoded.`);
  }
  if (parsed.kind !== 'site' && parsed.kind !== 'slot') throw new InvalidQueryError(`Expected a site or slot id, got a ${parsed.kind} id.`);
  return formatResourceId(parsed);
}
