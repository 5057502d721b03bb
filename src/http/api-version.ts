import type { HttpRequest } from '@azure/functions';
import { MigratorError } from '../domain/errors.js';
import { clip } from './problem.js';

/** The Microsoft.Web api-version the service writes with unless a caller picks another. */
export const DEFAULT_WEB_API_VERSION = '2025-05-01';

/**
 * The Microsoft.Web api-versions a plan can be written for: the GA versions from 2022-03-01 (the first with
 * vnetImagePullEnabled and vnetContentShareEnabled, which the plan sets) to the one this service uses. A date that
 * merely looks like one (9999-99-99, 2019-01-01) would give a plan ARM refuses, so it is refused here.
 */
export const SUPPORTED_WEB_API_VERSIONS = ['2022-03-01', '2022-09-01', '2023-01-01', '2023-12-01', '2024-04-01', '2024-11-01', '2025-03-01', '2025-05-01'] as const;

export class InvalidApiVersionError extends MigratorError {
  readonly code = 'InvalidApiVersion';
  constructor(value: string, problem = `is not a supported Microsoft.Web api-version; use one of ${SUPPORTED_WEB_API_VERSIONS.join(', ')}`) {
    super(`apiVersion '${clip(value, 40)}' ${problem}.`, false, {
      details: { apiVersion: clip(value, 40), supported: SUPPORTED_WEB_API_VERSIONS },
    });
  }
}

/** Accepts a supported version; absent or empty means the default. */
export function parseWebApiVersion(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return DEFAULT_WEB_API_VERSION;
  if (!(SUPPORTED_WEB_API_VERSIONS as readonly string[]).includes(value)) throw new InvalidApiVersionError(value);
  return value;
}

/** `?api-version=` (ARM's spelling) or `?apiVersion=`; both given must agree. */
export function webApiVersionOf(request: HttpRequest): string {
  const arm = request.query.get('api-version');
  const camel = request.query.get('apiVersion');
  if (arm !== null && camel !== null && arm !== camel) {
    throw new InvalidApiVersionError(arm, `disagrees with apiVersion '${clip(camel, 40)}'; give one of api-version or apiVersion`);
  }
  return parseWebApiVersion(arm ?? camel);
}
