import { MigratorError } from '../domain/errors.js';

/** The Microsoft.Web api-version the service writes with unless a caller picks another. */
export const DEFAULT_WEB_API_VERSION = '2025-05-01';

export class InvalidApiVersionError extends MigratorError {
  readonly code = 'InvalidApiVersion';
  constructor(value: string) {
    super(`apiVersion '${value}' is not an ARM api-version; use the form YYYY-MM-DD, e.g. ${DEFAULT_WEB_API_VERSION}.`, false, {
      details: { apiVersion: value },
    });
  }
}

/** Accepts YYYY-MM-DD with an optional -preview suffix; absent means the default. */
export function parseWebApiVersion(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return DEFAULT_WEB_API_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(value)) throw new InvalidApiVersionError(value);
  return value;
}
