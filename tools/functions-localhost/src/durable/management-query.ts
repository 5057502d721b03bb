import type { RuntimeStatus } from './contract.js';
import { invalidRequest } from './management-http.js';

/**
 * Strict readers for the management API's query-string parameters. The extension silently ignores values it
 * cannot parse; a local host that answers 400 instead surfaces a typo before it reaches Azure.
 */

const RUNTIME_STATUSES: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Suspended',
];

/** Query keys are matched case-insensitively, as the extension does. */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw invalidRequest(`Query parameter '${name}' must be true or false, not '${value}'.`);
}

export function dateParam(query: URLSearchParams, name: string): Date | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw invalidRequest(`Query parameter '${name}' must be an ISO 8601 date-time such as 2024-01-31T00:00:00Z, not '${value}'.`);
  }
  return new Date(time);
}

export function positiveIntegerParam(query: URLSearchParams, name: string): number | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw invalidRequest(`Query parameter '${name}' must be a positive whole number, not '${value}'.`);
  }
  return Number(value);
}

/** Seconds as a non-negative number (fractions allowed), as `timeout` and `pollingInterval` are. */
export function secondsParam(query: URLSearchParams, name: string): number | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw invalidRequest(`Query parameter '${name}' must be a number of seconds (0 or more), not '${value}'.`);
  }
  return seconds;
}

/** `runtimeStatus=Running,Pending` (also repeated keys), names matched case-insensitively. */
export function runtimeStatusParam(query: URLSearchParams): RuntimeStatus[] | undefined {
  const raw: string[] = [];
  for (const [key, value] of query) {
    if (key.toLowerCase() === 'runtimestatus') raw.push(...value.split(','));
  }
  const names = raw.map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) return undefined;
  return names.map((name) => {
    const match = RUNTIME_STATUSES.find((status) => status.toLowerCase() === name.toLowerCase());
    if (!match) throw invalidRequest(`Unknown runtimeStatus '${name}'; use any of ${RUNTIME_STATUSES.join(', ')}.`);
    return match;
  });
}
